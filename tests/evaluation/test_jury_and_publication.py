"""The jury decides (suggestion, rationale, TEN, audit), staff publish at ceremony time,
the outbox sends each message once, certificates, press kits and appeals."""

import io
from datetime import timedelta

import pytest
from django.test import Client
from django.core import mail
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone
from pypdf import PdfReader

from arobase.evaluation import outbox
from arobase.evaluation.models import Appeal, Decision, OutboxMessage, Review
from arobase.journal.models import Entry
from arobase.labels.models import Edition, Label

from .conftest import assign_all, move_to, submit_review

FAILING_BACKEND = "tests.support.mail.FailingBackend"


@pytest.fixture
def deliberating(season, login):
    assign_all(season)
    move_to(season, "evaluation")
    for evaluator, scores in ((season.evaluator, [4, 4, 4]), (season.evaluator2, [3, 4, 3])):
        client = login(evaluator)
        submit_review(client, season, season.dossiers["59368"], scores, 5)
        submit_review(client, season, season.dossiers["34145"], [2, 2, 1], 3)
    move_to(season, "deliberation")
    return season


def decide(client, world, code, **data):
    return client.post(f"/evaluation/{world.edition.year}/deliberation/{world.dossiers[code].pk}/", data)


def suggested(world, code):
    from arobase.evaluation import reviewing

    return reviewing.aggregates(world.edition)[world.dossiers[code].pk].suggested


def test_the_deliberation_ranks_dossiers_with_their_suggestion(deliberating, login):
    page = login(deliberating.jury).get(f"/evaluation/{deliberating.edition.year}/deliberation/").content.decode()
    assert page.index("La Madeleine") < page.index("Lunel")
    assert f"{suggested(deliberating, '59368')} @" in page


def test_the_ranking_goes_on_across_pages(deliberating, login, monkeypatch):
    """Shown 100 at a time (a page of 3 000 rows took seconds); the rank counts over the edition."""
    from arobase.evaluation.views import jury as jury_views

    monkeypatch.setattr(jury_views, "DELIBERATION_PAGE_SIZE", 1)
    client = login(deliberating.jury)
    url = f"/evaluation/{deliberating.edition.year}/deliberation/"
    first, second = client.get(url).content.decode(), client.get(url + "?page=2").content.decode()
    assert "La Madeleine" in first and "Lunel" not in first and "Page 1 sur 2" in first
    assert "Lunel" in second and "La Madeleine" not in second and "<td>2</td>" in second
    for odd in ("abc", "٣", "9" * 30, "-1"):
        assert client.get(url + f"?page={odd}").status_code == 200


def test_a_decision_away_from_the_suggestion_needs_a_rationale(deliberating, login):
    client = login(deliberating.jury)
    level = suggested(deliberating, "34145")
    away = str(5 if level != 5 else 1)
    response = decide(client, deliberating, "34145", arobases=away)
    assert response.status_code == 400 and "motivez-la" in response.content.decode()
    assert not Decision.objects.exists()
    decide(client, deliberating, "34145", arobases=away, rationale="Dynamique remarquable")
    assert Decision.objects.get().arobases == int(away)


@pytest.mark.parametrize("value", ["0", "6", "", "٣", "9" * 30])
def test_every_complete_dossier_gets_1_to_5(deliberating, login, value):
    response = decide(login(deliberating.jury), deliberating, "34145", arobases=value, rationale="x")
    assert response.status_code == 400 and "au moins 1 @" in response.content.decode()
    assert not Decision.objects.exists()


def test_ten_only_for_an_eligible_candidate(deliberating, login):
    client = login(deliberating.jury)
    response = decide(client, deliberating, "59368", arobases="5", ten="on", rationale="Continuité")
    assert response.status_code == 400 and "non éligible" in response.content.decode()
    for year in range(2020, 2027):
        Edition.objects.get_or_create(year=year)
        Label.objects.create(territory=deliberating.madeleine, edition_id=year, arobases=5)
    page = client.get(f"/evaluation/{deliberating.edition.year}/deliberation/{deliberating.dossiers['59368'].pk}/").content.decode()
    assert "éligible : 8 labels 5 @" in page
    decide(client, deliberating, "59368", arobases="5", ten="on", rationale="Continuité")
    assert Decision.objects.get().ten
    response = decide(client, deliberating, "59368", arobases="4", ten="on", rationale="Continuité")
    assert "il faut 5 @ cette année" in response.content.decode()


def test_every_change_of_a_decision_is_audited_with_before_and_after(deliberating, login):
    client = login(deliberating.jury)
    level = suggested(deliberating, "34145")
    decide(client, deliberating, "34145", arobases=str(level))
    decide(client, deliberating, "34145", arobases="1", hors_concours="", rationale="Revu en séance" if level != 1 else "")
    entries = list(Entry.objects.filter(subject="décision").order_by("at", "pk"))
    assert [e.verb for e in entries] == ["décision prise", "décision modifiée"]
    assert entries[1].before["arobases"] == level and entries[1].after["arobases"] == 1
    assert entries[1].actor == deliberating.jury
    page = login(deliberating.staff).get(f"/gestion/{deliberating.edition.year}/journal/").content.decode()
    assert "décision modifiée" in page
    assert login(deliberating.jury).get(f"/gestion/{deliberating.edition.year}/journal/").status_code == 403


@pytest.mark.parametrize("role", ["evaluator", "correspondent", "conseil", "actor", "stranger"])
def test_only_the_jury_and_staff_deliberate(deliberating, login, role):
    client = login(getattr(deliberating, role))
    assert client.get(f"/evaluation/{deliberating.edition.year}/deliberation/").status_code == 403
    assert decide(client, deliberating, "34145", arobases="3", rationale="x").status_code == 403
    assert client.get(f"/evaluation/{deliberating.edition.year}/deliberation/proces-verbal.pdf").status_code == 403
    assert not Decision.objects.exists()


def test_the_minutes_are_a_pdf_with_every_decision(deliberating, login):
    client = login(deliberating.jury)
    decide(client, deliberating, "34145", arobases=str(suggested(deliberating, "34145")))
    response = client.get(f"/evaluation/{deliberating.edition.year}/deliberation/proces-verbal.pdf")
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages).split())
    assert "Procès-verbal du jury" in text and "Lunel" in text and "non décidé" in text


def publish(world, client):
    for code in ("59368", "34145"):
        decide(client, world, code, arobases=str(suggested(world, code)))
    return client.post(f"/gestion/{world.edition.year}/phase/", {"from": "deliberation", "confirm": "on"}, follow=True)


def test_publication_makes_the_labels_public_and_queues_one_message_per_correspondent(deliberating, login, client):
    year = deliberating.edition.year
    assert client.get(f"/api/v1/editions/{year}/palmares").status_code == 404
    response = publish(deliberating, login(deliberating.staff))
    assert "Édition publiée : 2 labels" in response.content.decode() and "pages publiques prêtes" in response.content.decode()
    # The publication rendered the main pages before answering: the first visitor meets them warm.
    anonymous = Client()
    assert anonymous.get(f"/palmares/{year}/")["X-Arobase-Cache"] == "hit"
    assert anonymous.get(f"/api/v1/editions/{year}/palmares")["X-Arobase-Cache"] == "hit"
    deliberating.edition.refresh_from_db()
    assert deliberating.edition.phase == "publie" and deliberating.edition.published_at
    client.logout()
    level = suggested(deliberating, "59368")
    labels = client.get("/api/v1/territories/59368/labels").json()
    assert any(label["year"] == year and label["arobases"] == level for label in labels["labels"])
    assert client.get(f"/api/v1/editions/{year}/palmares").status_code == 200
    assert f"{year}" in client.get("/territoires/59368/panneau.svg").content.decode()
    messages = OutboxMessage.objects.filter(edition=deliberating.edition)
    assert sorted(messages.values_list("to", flat=True)) == ["autre@example.fr", "corr@example.fr"]
    assert all(m.status == "attente" for m in messages) and mail.outbox == []


def test_publication_is_blocked_until_every_dossier_is_decided(deliberating, login):
    decide(login(deliberating.jury), deliberating, "34145", arobases=str(suggested(deliberating, "34145")))
    response = login(deliberating.staff).post(f"/gestion/{deliberating.edition.year}/phase/", {"from": "deliberation", "confirm": "on"}, follow=True)
    assert "1 dossier(s) déposés n&#x27;ont pas de décision" in response.content.decode()
    assert not Label.objects.filter(edition=deliberating.edition).exists()


def send_outbox():
    """What cron runs: `arobase send_outbox`; returns its output."""
    out, err = io.StringIO(), io.StringIO()
    call_command("send_outbox", stdout=out, stderr=err)
    return out.getvalue() + err.getvalue()


def test_the_outbox_sends_each_message_once_and_retries_failures(deliberating, login):
    client = login(deliberating.staff)
    publish(deliberating, client)
    assert "2 message(s) validé(s)" in client.post(f"/gestion/{deliberating.edition.year}/publication/", {"operation": "release"}, follow=True).content.decode()
    assert mail.outbox == []  # staff only release: nothing leaves during their request
    with override_settings(EMAIL_BACKEND=FAILING_BACKEND):
        assert "2 message(s) non envoyé(s)" in send_outbox()
    assert mail.outbox == []
    assert set(OutboxMessage.objects.values_list("status", "attempts")) == {("echec", 1)}
    assert "Messages envoyés : 2." in send_outbox()
    assert len(mail.outbox) == 2 and "Label" in mail.outbox[0].subject
    assert set(OutboxMessage.objects.values_list("status", "attempts")) == {("envoye", 2)}
    assert "Messages envoyés : 0." in send_outbox()
    assert outbox.send_batch() == (0, 0)
    assert len(mail.outbox) == 2
    # Queueing the same notification again is a no-op.
    from arobase.evaluation import publication

    decisions = list(Decision.objects.select_related("dossier__territory"))
    assert publication.queue_notifications(deliberating.edition, decisions, "http://x") == 0


def test_certificate_for_the_laureate_only(deliberating, login):
    publish(deliberating, login(deliberating.staff))
    url = f"/espace/59368/dossier/{deliberating.edition.year}/certificat.pdf"
    response = login(deliberating.correspondent).get(url)
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "La Madeleine" in text and str(deliberating.edition.year) in text
    # Another town's correspondent and the jury are not La Madeleine's: its space is hidden.
    assert login(deliberating.other).get(url).status_code == 404
    assert login(deliberating.jury).get(url).status_code == 404


def test_press_kit_per_region_in_csv_and_xlsx(deliberating, login):
    from openpyxl import load_workbook

    client = login(deliberating.staff)
    assert client.get(f"/gestion/{deliberating.edition.year}/presse/32.csv").status_code == 404  # not yet published
    publish(deliberating, client)
    csv_text = client.get(f"/gestion/{deliberating.edition.year}/presse/32.csv").getvalue().decode("utf-8-sig")
    assert "La Madeleine" in csv_text and "Lunel" not in csv_text
    response = client.get(f"/gestion/{deliberating.edition.year}/presse/32.xlsx")
    rows = list(load_workbook(io.BytesIO(response.content)).active.values)
    assert rows[0][3] == "territoire" and rows[1][3] == "La Madeleine"
    assert client.get(f"/gestion/{deliberating.edition.year}/presse/99.csv").status_code == 404
    assert login(deliberating.jury).get(f"/gestion/{deliberating.edition.year}/presse/32.csv").status_code == 403


def test_appeal_reexamined_by_another_evaluator_and_decided_by_the_jury(deliberating, login, client):
    publish(deliberating, login(deliberating.staff))
    year = deliberating.edition.year
    before = Label.objects.get(edition_id=year, territory=deliberating.lunel).arobases
    other = login(deliberating.other)  # Lunel's correspondent
    other.post(f"/espace/34145/dossier/{year}/recours/", {"reason": "Nos actions de médiation n'ont pas été lues."})
    appeal = Appeal.objects.get()
    assert appeal.arobases_before == before
    other.post(f"/espace/34145/dossier/{year}/recours/", {"reason": "Encore"})
    assert Appeal.objects.count() == 1
    # Not Madeleine's correspondent, not for Lunel.
    assert login(deliberating.correspondent).post(f"/espace/34145/dossier/{year}/recours/", {"reason": "x"}).status_code == 404
    staff = login(deliberating.staff)
    staff.post(f"/gestion/{year}/publication/", {"operation": "reexamine", "appeal": appeal.pk})
    reexam = Review.objects.get(purpose="recours")
    assert reexam.evaluator == deliberating.evaluator3  # the only evaluator who has not reviewed it
    submit_review(login(deliberating.evaluator3), deliberating, deliberating.dossiers["34145"], [4, 4, 4], 5, comment="Réexamen")
    appeal.refresh_from_db()
    assert appeal.state == "examine"
    jury = login(deliberating.jury)
    new = 5 if before != 5 else 4
    jury.post(f"/evaluation/{year}/recours/{appeal.pk}/", {"arobases": str(new), "outcome": "La médiation justifie un niveau de plus."})
    label = Label.objects.get(edition_id=year, territory=deliberating.lunel)
    assert label.arobases == new and "Label modifié après recours" in label.note
    assert Entry.objects.filter(subject="recours", verb__contains="label modifié").exists()
    client.logout()
    assert "Label modifié après recours" in client.get("/territoires/34145/").content.decode()
    assert OutboxMessage.objects.filter(template="appeal_decided", to="autre@example.fr").exists()


def test_no_appeal_after_the_period(deliberating, login):
    publish(deliberating, login(deliberating.staff))
    Edition.objects.filter(pk=deliberating.edition.pk).update(published_at=timezone.now() - timedelta(days=31))
    response = login(deliberating.other).post(f"/espace/34145/dossier/{deliberating.edition.year}/recours/", {"reason": "Trop tard ?"}, follow=True)
    assert "délai de recours" in response.content.decode()
    assert not Appeal.objects.exists()


def test_the_minutes_hide_the_rationale_from_a_conflicted_reader(deliberating, login):
    from arobase.evaluation.models import Declaration

    decide(login(deliberating.staff), deliberating, "34145", arobases="1", rationale="MOTIF-CONFIDENTIEL")
    Declaration.objects.create(edition=deliberating.edition, user=deliberating.jury, territory=deliberating.lunel, reason="Ancien agent")
    response = login(deliberating.jury).get(f"/evaluation/{deliberating.edition.year}/deliberation/proces-verbal.pdf")
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages).split())
    assert "MOTIF-CONFIDENTIEL" not in text and "conflit d'intérêts du lecteur" in text
    # Nor its score, its suggested level or the decision: the whole row is withheld.
    assert "Lunel (34145) Non communiqué : conflit d'intérêts du lecteur" in text
    assert f"{suggested(deliberating, '34145')} @" not in text.split("Lunel (34145)")[1].split(")", 1)[0]


def test_a_conflicted_juror_does_not_read_the_appeal(deliberating, login):
    from arobase.evaluation.models import Appeal, Declaration

    Appeal.objects.create(dossier=deliberating.dossiers["34145"], filed_by=deliberating.other, reason="RAISON-CONFIDENTIELLE")
    Appeal.objects.create(dossier=deliberating.dossiers["59368"], filed_by=deliberating.correspondent, reason="RAISON-LISIBLE")
    Declaration.objects.create(edition=deliberating.edition, user=deliberating.jury, territory=deliberating.lunel, reason="Ancien agent")
    page = login(deliberating.jury).get(f"/evaluation/{deliberating.edition.year}/deliberation/").content.decode()
    assert "RAISON-CONFIDENTIELLE" not in page and "RAISON-LISIBLE" in page
    assert "vous ne prenez pas part à ce recours" in page.replace("&#x27;", "'")


def test_the_ranking_shows_each_evaluators_proposal(deliberating, login):
    page = login(deliberating.jury).get(f"/evaluation/{deliberating.edition.year}/deliberation/").content.decode()
    assert "5 @, 5 @" in page and "3 @, 3 @" in page
