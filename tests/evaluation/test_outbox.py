"""Messages leave once, or say why not: claims carry their time, a sender killed after
its claim leaves a message the next run sends once, and two senders at the same moment
never send one message twice."""

import io
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from arobase.evaluation import outbox
from arobase.evaluation.models import OutboxMessage


@pytest.fixture
def released(world):
    """Three notifications of the edition, read and released by staff."""
    for n in range(3):
        outbox.queue(world.edition, "attachment_decided", f"laureat{n}@example.fr",
                     {"attachment": None, "link": "https://label.example.org/espace/"}, key=f"test-{n}", territory=world.madeleine)
    assert outbox.release(world.edition) == 3
    return world


def run_sender():
    out = io.StringIO()
    call_command("send_outbox", stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_a_claim_left_by_a_killed_sender_is_sent_on_the_next_run_once(released):
    """A sender claimed a message, then died before sending it (the claim is the state it
    leaves): while the claim is fresh nobody takes it, once stale the next run sends it."""
    message = OutboxMessage.objects.get(to="laureat0@example.fr")
    assert outbox.claim(message, timezone.now() - timedelta(minutes=1))
    OutboxMessage.objects.exclude(pk=message.pk).update(status=OutboxMessage.SENT)
    assert "Messages envoyés : 0." in run_sender()  # the claim may still be a live sender's
    OutboxMessage.objects.filter(pk=message.pk).update(claimed_at=timezone.now() - outbox.CLAIM_TIMEOUT - timedelta(seconds=1))
    assert "Messages envoyés : 1." in run_sender()
    assert "Messages envoyés : 0." in run_sender()
    assert [m.to for m in mail.outbox] == [["laureat0@example.fr"]]
    message.refresh_from_db()
    assert (message.status, message.attempts) == (OutboxMessage.SENT, 2)


def test_a_message_whose_sender_died_too_often_shows_as_failed(released, settings):
    message = OutboxMessage.objects.get(to="laureat1@example.fr")
    OutboxMessage.objects.filter(pk=message.pk).update(status=OutboxMessage.SENDING, attempts=settings.OUTBOX_MAX_ATTEMPTS,
                                                      claimed_at=timezone.now() - timedelta(hours=1))
    run_sender()
    message.refresh_from_db()
    assert message.status == OutboxMessage.FAILED and "interrompu" in message.last_error
    assert "laureat1@example.fr" not in [m.to[0] for m in mail.outbox]


def test_two_senders_at_the_same_moment_send_each_message_once(released, monkeypatch):
    """While the first sender is sending, a second one starts: it finds the claimed
    messages taken and sends only what nobody claimed."""
    real_send = outbox.emails.send
    started, second_run = [], []

    def send_and_start_another_sender(template, to, context):
        if not started:
            started.append(to)
            second_run.append(outbox.send_batch())
        return real_send(template, to, context)

    monkeypatch.setattr(outbox.emails, "send", send_and_start_another_sender)
    first_run = outbox.send_batch()
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == ["laureat0@example.fr", "laureat1@example.fr", "laureat2@example.fr"]
    assert first_run == (1, 0) and second_run == [(2, 0)]  # the first kept its claim, the second took the rest


def test_staff_release_from_the_page_and_nothing_leaves_during_their_request(released, login):
    OutboxMessage.objects.update(status=OutboxMessage.PENDING)
    page = login(released.staff).get(f"/gestion/{released.edition.year}/publication/").content.decode()
    assert "Valider l'envoi de 3 message(s)" in page.replace("&#x27;", "'")
    login(released.staff).post(f"/gestion/{released.edition.year}/publication/", {"operation": "release"})
    assert mail.outbox == [] and OutboxMessage.objects.filter(status=OutboxMessage.RELEASED).count() == 3
    call_command("season", stdout=io.StringIO(), stderr=io.StringIO())  # the daily run sends them too
    assert len(mail.outbox) == 3


def test_a_silent_mail_server_is_given_up_after_a_timeout(settings):
    from django.core.mail import get_connection

    from arobase import settings as production

    assert production.EMAIL_TIMEOUT == 20
    assert get_connection("django.core.mail.backends.smtp.EmailBackend").timeout == settings.EMAIL_TIMEOUT
