"""`arobase demo`: demo accounts (CONTRACT §8), the open edition (§9), demo actions."""

import io
from datetime import timedelta

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from arobase.accounts.models import Attachment, DemoAccount, Role
from arobase.actions.models import Action
from arobase.dossiers.models import Dossier
from arobase.labels.models import Edition

ACCOUNTS = ["correspondant", "acteur", "evaluateur", "jury", "equipe", "conseil"]


def test_demo_accounts_and_open_edition(demo):
    for name in ACCOUNTS:
        assert authenticate(username=f"{name}@demo.arobase.fr", password="arobase-demo") is not None
    assert DemoAccount.objects.count() == 6
    corr = Attachment.objects.filter(user__username="correspondant@demo.arobase.fr", status="approuve")
    assert sorted(corr.values_list("territory__code", flat=True)) == ["34145", "59368"]
    assert Role.objects.get(user__username="acteur@demo.arobase.fr").territory.code == "59368"
    assert {r.kind for r in Role.objects.filter(user__username__in=[f"{n}@demo.arobase.fr" for n in ACCOUNTS])} == {"acteur", "evaluateur", "jury", "staff", "conseil"}
    edition = Edition.objects.get(phase="candidatures")
    assert edition.year == 2026 and edition.closing_date == timezone.localdate() + timedelta(days=30)
    dossier = Dossier.objects.get(edition=edition)
    assert dossier.territory.code == "59368" and dossier.state == "brouillon" and dossier.actions.exists()
    assert 200 <= Action.objects.filter(is_demo=True, state="publiee").count() <= 1000


def test_demo_is_idempotent_and_prints_the_accounts(demo):
    before = (Action.objects.count(), Dossier.objects.count(), DemoAccount.objects.count())
    out = io.StringIO()
    call_command("demo", stdout=out)
    assert (Action.objects.count(), Dossier.objects.count(), DemoAccount.objects.count()) == before
    for name in ACCOUNTS:
        assert f"{name}@demo.arobase.fr" in out.getvalue()


def test_demo_season_preparation(db):
    call_command("demo", "--season", "preparation", stdout=io.StringIO())
    edition = Edition.objects.get(year=2026)
    assert edition.phase == "preparation" and edition.opening_date > timezone.localdate()


def test_demo_season_refuses_an_unknown_phase(db):
    with pytest.raises(CommandError):
        call_command("demo", "--season", "nimporte", stdout=io.StringIO())


def test_check_deploy_warns_while_demo_accounts_exist(demo):
    from django.core.checks import run_checks

    warnings = [m for m in run_checks(include_deployment_checks=True) if m.id == "arobase.W001"]
    assert warnings and "arobase-demo" in warnings[0].msg
    call_command("remove_demo_accounts", stdout=io.StringIO())
    assert not [m for m in run_checks(include_deployment_checks=True) if m.id == "arobase.W001"]


def test_profile_lists_published_actions(client, demo):
    page = client.get("/territoires/59368/").content.decode().replace("&#x27;", "'")
    published = Action.objects.filter(territory__code="59368", state="publiee").first()
    assert published.title in page and f"/actions/{published.pk}/" in page


def test_conseil_edits_the_referential_in_the_admin(client, demo):
    from arobase.referential.models import Enjeu

    client.login(username="conseil@demo.arobase.fr", password="arobase-demo")
    enjeu = Enjeu.objects.filter(edition_id=2026).first()
    assert client.get(f"/admin/referential/enjeu/{enjeu.pk}/change/").status_code == 200
    assert client.get("/admin/labels/label/").status_code == 403  # only the referential and mentions
    assert client.get("/admin/dossiers/membership/").status_code == 403
