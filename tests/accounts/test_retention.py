"""Personal data is kept as long as the mentions légales say, and they say it."""

import io
from datetime import timedelta

from django.core.management import call_command
from django.utils import timezone

from arobase.accounts.models import FailedLogin


def test_the_daily_season_erases_failed_logins_older_than_30_days(db):
    now = timezone.now()
    FailedLogin.objects.create(username="ancien@example.fr", address="192.0.2.1", at=now - timedelta(days=31))
    FailedLogin.objects.create(username="recent@example.fr", address="192.0.2.2", at=now - timedelta(days=29))
    call_command("season", stdout=io.StringIO(), stderr=io.StringIO())
    assert list(FailedLogin.objects.values_list("username", flat=True)) == ["recent@example.fr"]


def test_the_mentions_legales_say_what_is_kept_why_how_long_and_how_to_exercise_ones_rights(db, client, settings):
    page = client.get("/mentions-legales/").content.decode().replace("&#x27;", "'")
    assert 'id="donnees-personnelles"' in page
    for said in ("Tentatives de connexion échouées", "30 jours, puis effacées automatiquement", "Factures d'adhésion", "10 ans",
                 "Vos droits", "articles 15 à 21", f'mailto:{settings.ASSOCIATION["email"]}', "CNIL"):
        assert said in page, said
