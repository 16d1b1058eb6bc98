"""The dossier's e-mails. The receipt leaves once per submission, even when it cannot
leave with it: a mail server down (or a worker killed after the commit) leaves it owed,
and `arobase season --url` sends it on a later run. The pages never claim an e-mail left
when it did not."""

import io
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.utils import timezone

from arobase.dossiers import filing, receipts
from arobase.dossiers.models import Dossier, Question
from tests.dossiers.test_dossier import make_action

FAILING_BACKEND = "tests.support.mail.FailingBackend"
SITE = "https://label.example.org"


@pytest.fixture
def filled(world):
    """A dossier of La Madeleine ready to submit."""
    question = Question.objects.create(edition=world.edition, text="Votre stratégie ?", required=True)
    dossier = Dossier.objects.create(edition=world.edition, territory=world.madeleine, answers={str(question.pk): "Tout en ligne."})
    dossier.actions.set([make_action(world, "Wifi public")])
    return dossier


def submit_through_the_page(client, world):
    client.force_login(world.correspondent)
    response = client.post("/espace/59368/dossier/2027/", {"submit": "1"}, follow=True)
    return response.content.decode().replace("&#x27;", "'")


def receipts_sent():
    return [m for m in mail.outbox if "accusé de réception" in m.subject]


def season(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("season", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def later(dossier, minutes):
    """As if the submission happened `minutes` ago."""
    Dossier.objects.filter(pk=dossier.pk).update(submitted_at=timezone.now() - timedelta(minutes=minutes))


def test_a_receipt_sent_with_the_submission_is_not_sent_again(world, client, filled):
    before = timezone.now()
    page = submit_through_the_page(client, world)
    assert "Un accusé de réception avec le résumé en PDF a été envoyé" in page
    filled.refresh_from_db()
    assert filled.state == "depose" and before <= filled.receipt_sent_at <= timezone.now()  # sent with the submission
    assert len(receipts_sent()) == 1
    later(filled, 60)
    season("--url", SITE)
    assert len(receipts_sent()) == 1


def test_a_mail_server_down_keeps_the_submission_and_says_the_receipt_will_follow(world, client, filled):
    with override_settings(EMAIL_BACKEND=FAILING_BACKEND):
        page = submit_through_the_page(client, world)
    filled.refresh_from_db()
    assert filled.state == "depose" and filled.receipt_sent_at is None
    assert "Dossier déposé" in page and "n'a pas pu être envoyé pour l'instant" in page
    assert "a été envoyé aux correspondants" not in page  # never claim what did not happen
    assert receipts_sent() == []


def test_season_sends_the_owed_receipt_once_the_submission_is_over(world, client, filled):
    with override_settings(EMAIL_BACKEND=FAILING_BACKEND):
        submit_through_the_page(client, world)
    out, _ = season("--url", SITE)
    assert receipts_sent() == []  # the submission's own request may still be sending it
    later(filled, receipts.RETRY_AFTER.total_seconds() / 60 + 1)
    before = timezone.now()
    out, _ = season("--url", SITE + "/")
    assert "Accusés de réception envoyés : 1." in out
    (receipt,) = receipts_sent()
    assert receipt.to == ["corr@example.fr"]
    assert f"{SITE}/espace/59368/dossier/2027/" in receipt.body
    assert receipt.attachments[0][0] == "dossier-59368-2027.pdf" and receipt.attachments[0][1].startswith(b"%PDF")
    filled.refresh_from_db()
    assert before <= filled.receipt_sent_at <= timezone.now()  # recorded by this run of `season`
    season("--url", SITE)
    assert len(receipts_sent()) == 1  # once


def test_a_failed_retry_is_tried_again_on_the_next_run(world, client, filled):
    with override_settings(EMAIL_BACKEND=FAILING_BACKEND):
        submit_through_the_page(client, world)
        later(filled, 60)
        _, err = season("--url", SITE)
    assert "1 accusé(s) de réception non envoyé(s)" in err
    filled.refresh_from_db()
    assert filled.receipt_sent_at is None
    season("--url", SITE)
    assert len(receipts_sent()) == 1


def test_season_without_the_url_says_receipts_are_owed_and_sends_nothing(world, client, filled):
    with override_settings(EMAIL_BACKEND=FAILING_BACKEND):
        submit_through_the_page(client, world)
    later(filled, 60)
    out, err = season()
    assert "Calendrier appliqué." in out
    assert "1 accusé(s) de réception en attente : relancez avec --url" in err
    assert receipts_sent() == []


@pytest.mark.parametrize("url", ["label.example.org", "javascript:alert(1)", f"{SITE}/espace/", f"{SITE}?a=1",
                                 "https://user@label.example.org", "https://label.example.org\x00", "https://h:99999999"])
def test_season_refuses_a_bad_site_url(world, url):
    with pytest.raises(CommandError, match="Adresse du site invalide"):
        season("--url", url)


def test_a_resubmission_after_reopening_gets_its_own_receipt(world, client, filled):
    submit_through_the_page(client, world)
    client.force_login(world.staff)
    client.post("/espace/59368/dossier/2027/rouvrir/", {"reason": "Il manque la pièce jointe"})
    filled.refresh_from_db()
    assert filled.state == "rouvert" and filled.receipt_sent_at is not None  # the first submission's
    with override_settings(EMAIL_BACKEND=FAILING_BACKEND):
        submit_through_the_page(client, world)
    filled.refresh_from_db()
    assert filled.state == "depose" and filled.receipt_sent_at is None
    later(filled, 60)
    season("--url", SITE)
    assert len(receipts_sent()) == 2


def test_only_submitted_dossiers_are_owed_a_receipt(world, filled):
    now = timezone.now()
    filled = filing.submit(filled, world.correspondent, now - timedelta(hours=1))
    assert list(receipts.pending(now)) == [filled]
    filing.reopen(filled, world.staff, "Il manque la pièce jointe")  # reopened: nothing to send until submitted again
    assert list(receipts.pending(now)) == []


def reopen_through_the_page(client, world):
    client.force_login(world.staff)
    response = client.post("/espace/59368/dossier/2027/rouvrir/", {"reason": "Il manque la pièce jointe"}, follow=True)
    return response.content.decode().replace("&#x27;", "'")


def test_reopening_says_whether_the_correspondents_were_told(world, client, filled):
    filing.submit(filled, world.correspondent, timezone.now())
    with override_settings(EMAIL_BACKEND=FAILING_BACKEND):
        page = reopen_through_the_page(client, world)
    assert "Dossier rouvert, mais l'e-mail aux correspondants n'a pas pu partir" in page
    assert "les correspondants sont prévenus" not in page
    assert Dossier.objects.get().state == "rouvert"  # reopened all the same

    filing.submit(Dossier.objects.get(), world.correspondent, timezone.now())
    world.correspondent.attachments.all().delete()  # nobody attached to La Madeleine any more
    page = reopen_through_the_page(client, world)
    assert "Aucun correspondant n'est rattaché à ce territoire : personne n'a été prévenu" in page

    filing.submit(Dossier.objects.get(), world.correspondent, timezone.now())
    from arobase.accounts import roles

    roles.attach_directly(world.correspondent, world.madeleine, None)
    page = reopen_through_the_page(client, world)
    assert "Dossier rouvert ; les correspondants sont prévenus par e-mail." in page
    assert "Il manque la pièce jointe" in mail.outbox[-1].body


def test_a_receipt_nobody_can_receive_waits_for_a_correspondent(world, client, filled):
    from arobase.accounts import roles

    with override_settings(EMAIL_BACKEND=FAILING_BACKEND):
        submit_through_the_page(client, world)
    later(filled, 60)
    world.correspondent.attachments.all().delete()
    world.correspondent.delete()  # the author of the submission is gone too
    _, err = season("--url", SITE)
    assert "1 accusé(s) de réception sans destinataire" in err and "serveur de messagerie" not in err
    assert receipts_sent() == []
    roles.attach_directly(world.other, world.madeleine, None)
    season("--url", SITE)
    (receipt,) = receipts_sent()
    assert receipt.to == ["autre@example.fr"]
