"""The dossier: choosing eligible actions, the questionnaire, the checklist, submission
before the deadline (Paris time), the frozen snapshot, the receipt and reopening."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.utils import timezone

from arobase.actions import rules as action_rules
from arobase.actions.models import Action
from arobase.dossiers import filing
from arobase.dossiers.models import Dossier, Question

PARIS = ZoneInfo("Europe/Paris")


def make_action(world, title, **fields):
    fields = {"status": action_rules.ONGOING, "started": date(2025, 1, 1), "summary": "Résumé", "author": world.correspondent, **fields}
    action = Action.objects.create(territory=world.madeleine, title=title, **fields)
    action.services.set(world.services[:2])
    return action


@pytest.fixture
def ready(world):
    """Two actions, one required question answered in the form data."""
    question = Question.objects.create(edition=world.edition, text="Votre stratégie ?", required=True)
    first, second = make_action(world, "Wifi public"), make_action(world, "Portail famille")
    return question, first, second


def post_dossier(client, data):
    return client.post("/espace/59368/dossier/2027/", data, follow=True)


def test_whole_dossier_flow(world, client, ready):
    question, first, second = ready
    old = make_action(world, "Vieille action", status=action_rules.DONE, started=date(2015, 1, 1), ended=date(2016, 1, 1))
    client.force_login(world.correspondent)
    page = client.get("/espace/59368/dossier/2027/").content.decode().replace("&#x27;", "'")
    assert "Choisissez au moins une action" in page and "plus de deux ans" in page
    assert "Démocratie locale" in page and "non couvert" in page  # the mosaic, with its text
    response = post_dossier(client, {"actions": [first.pk, second.pk, old.pk], f"question-{question.pk}": "Tout en ligne."})
    text = response.content.decode().replace("&#x27;", "'")
    assert "Dossier enregistré" in text and "Vieille action" in text and "retirez-la" in text
    response = post_dossier(client, {"submit": "1"})
    assert "Vieille action" in response.content.decode().replace("&#x27;", "'")
    assert Dossier.objects.get().state == "brouillon"
    post_dossier(client, {"actions": [first.pk, second.pk], f"question-{question.pk}": "Tout en ligne."})
    response = post_dossier(client, {"submit": "1"})
    assert "Dossier déposé" in response.content.decode().replace("&#x27;", "'")
    dossier = Dossier.objects.get()
    assert dossier.state == "depose" and sorted(a["title"] for a in dossier.snapshot) == ["Portail famille", "Wifi public"]
    (receipt,) = [m for m in mail.outbox if "accusé de réception" in m.subject]
    assert receipt.to == ["corr@example.fr"]
    assert receipt.attachments[0][2] == "application/pdf" and receipt.attachments[0][1].startswith(b"%PDF")
    # Frozen: later edits of the sheets do not change what was submitted.
    first.title = "Wifi public (renommé)"
    first.save()
    dossier.refresh_from_db()
    assert "Wifi public" in {a["title"] for a in dossier.snapshot}
    response = post_dossier(client, {"actions": [first.pk]})
    assert "déposé" in response.content.decode().replace("&#x27;", "'")
    assert Dossier.objects.get().actions.count() == 2


def test_reopen_by_staff_with_a_reason(world, client, ready):
    question, first, second = ready
    dossier = Dossier.objects.create(edition=world.edition, territory=world.madeleine, answers={str(question.pk): "Oui"})
    dossier.actions.set([first])
    filing.submit(dossier, world.correspondent, timezone.now())
    client.force_login(world.correspondent)
    assert client.post("/espace/59368/dossier/2027/rouvrir/", {"reason": "x"}).status_code == 403
    client.force_login(world.staff)
    response = client.post("/espace/59368/dossier/2027/rouvrir/", {"reason": ""}, follow=True)
    assert "Indiquez le motif" in response.content.decode().replace("&#x27;", "'")
    client.post("/espace/59368/dossier/2027/rouvrir/", {"reason": "Il manque la pièce jointe"})
    dossier.refresh_from_db()
    assert dossier.state == "rouvert"
    assert "Il manque la pièce jointe" in mail.outbox[-1].body and mail.outbox[-1].to == ["corr@example.fr"]


@pytest.mark.parametrize("moment, accepted", [
    ((23, 59, 59), True),
    ((0, 0, 0), False),  # the next day
])
def test_deadline_enforced_on_the_server(world, ready, moment, accepted):
    question, first, _ = ready
    world.edition.closing_date = date(2026, 11, 15)
    world.edition.opening_date = date(2026, 3, 1)
    world.edition.save()
    dossier = Dossier.objects.create(edition=world.edition, territory=world.madeleine, answers={str(question.pk): "Oui"})
    dossier.actions.set([first])
    day = date(2026, 11, 15) if moment != (0, 0, 0) else date(2026, 11, 16)
    now = datetime(day.year, day.month, day.day, *moment, tzinfo=PARIS)
    if accepted:
        assert filing.submit(dossier, world.correspondent, now).state == "depose"
    else:
        with pytest.raises(filing.FilingError, match="closes"):
            filing.submit(dossier, world.correspondent, now)


def test_closed_edition_refuses_edits_through_the_page(world, client, ready):
    world.edition.closing_date = timezone.localdate() - timedelta(days=1)
    world.edition.save()
    client.force_login(world.correspondent)
    response = post_dossier(client, {"actions": [ready[1].pk]})
    assert "closes depuis" in response.content.decode().replace("&#x27;", "'")
    assert not Dossier.objects.filter(actions__isnull=False).exists()


def test_paid_membership_switch(world, client, ready):
    question, first, _ = ready
    world.edition.filing_requires_payment = True
    world.edition.save()
    dossier = Dossier.objects.create(edition=world.edition, territory=world.madeleine, answers={str(question.pk): "Oui"})
    dossier.actions.set([first])
    with pytest.raises(filing.FilingError, match="Adhérez"):
        filing.submit(dossier, world.correspondent, timezone.now())
    from arobase.dossiers import membership

    m = membership.join(world.edition, world.madeleine, world.correspondent)
    with pytest.raises(filing.FilingError, match="réglée"):
        filing.submit(dossier, world.correspondent, timezone.now())
    membership.record_payment(m, world.staff, timezone.localdate(), "VIR")
    assert filing.submit(dossier, world.correspondent, timezone.now()).state == "depose"


def test_questionnaire_is_per_category(world):
    Question.objects.create(edition=world.edition, category="village", text="Question village")
    Question.objects.create(edition=world.edition, category="ville", text="Question ville")
    texts = [q.text for q in filing.questions_for(world.edition, world.madeleine)]
    assert texts == ["Question ville"]


def test_other_territorys_actions_cannot_be_slipped_in(world, client, ready):
    foreign = Action.objects.create(territory=world.lunel, title="Action de Lunel", summary="x", status=action_rules.ONGOING)
    client.force_login(world.correspondent)
    post_dossier(client, {"actions": [ready[1].pk, foreign.pk, "１２", "99999999999999999999", "\x00"]})
    assert list(Dossier.objects.get().actions.values_list("title", flat=True)) == ["Wifi public"]


def test_dashboard_counts_and_csv(world, client, ready):
    from arobase.dossiers import membership

    membership.join(world.edition, world.madeleine, world.correspondent)
    Dossier.objects.create(edition=world.edition, territory=world.madeleine)
    client.force_login(world.staff)
    page = client.get("/gestion/2027/").content.decode().replace("&#x27;", "'")
    assert "FA-2027-0001" in page and "La Madeleine" in page
    response = client.get("/gestion/2027/adhesions.csv")
    body = b"".join(response.streaming_content).decode()
    assert body.startswith("\ufefffacture,code,nom") and "FA-2027-0001,59368,La Madeleine,21790,1089.50" in body
    body = b"".join(client.get("/gestion/2027/dossiers.csv").streaming_content).decode()
    assert "59368,La Madeleine,ville,brouillon,0" in body


SCRIPT = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def test_answers_and_requests_are_escaped_everywhere(world, client, ready):
    from arobase.accounts import roles

    from ..actions.test_actions import active_content
    from ..conftest import make_user

    question, first, _ = ready
    client.force_login(world.correspondent)
    post_dossier(client, {"actions": [first.pk], f"question-{question.pk}": SCRIPT})
    assert active_content(client.get("/espace/59368/dossier/2027/").content.decode()) == []
    requester = make_user("x@example.fr", first_name=SCRIPT, last_name=SCRIPT)
    roles.request_attachment(requester, world.lunel, function=SCRIPT, message=SCRIPT)
    client.force_login(world.staff)
    assert active_content(client.get("/gestion/2027/").content.decode()) == []
