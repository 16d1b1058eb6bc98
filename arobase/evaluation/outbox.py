"""Notification e-mails reviewed by staff before they leave.

Staff release what they have read; `arobase send_outbox` (and the daily `arobase
season`) send it, out of any request: a slow mail server never holds a page. Each
message is claimed before sending by a conditional UPDATE that only one sender can win,
with the time: a sender killed between its claim and the send leaves a claim that is
offered again once older than CLAIM_TIMEOUT, so a message leaves once, or says why not.
"""

from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from arobase.accounts import emails

from .models import OutboxMessage

# Longer than one send may take (EMAIL_TIMEOUT): a claim this old is a sender that died.
CLAIM_TIMEOUT = timedelta(minutes=5)
INTERRUPTED = "Envoi interrompu (processus arrêté) : le message est repris au prochain passage."


def queue(edition, template, to, context, key, territory=None):
    """Add a message unless one with this key exists; returns (message, created)."""
    return OutboxMessage.objects.get_or_create(
        key=key[:200], defaults={"edition": edition, "template": template, "to": to, "context": context, "territory": territory},
    )


def release(edition):
    """Staff have read the messages waiting for review: they may leave. Returns how many."""
    return OutboxMessage.objects.filter(edition=edition, status=OutboxMessage.PENDING).update(status=OutboxMessage.RELEASED)


def sendable(now=None, edition=None):
    """Released messages, failures left to retry, and claims left behind by a dead sender."""
    stale = (now or timezone.now()) - CLAIM_TIMEOUT
    retry = Q(attempts__lt=settings.OUTBOX_MAX_ATTEMPTS)
    found = OutboxMessage.objects.filter(
        Q(status=OutboxMessage.RELEASED) | (Q(status=OutboxMessage.FAILED) & retry)
        | (Q(status=OutboxMessage.SENDING, claimed_at__lt=stale) & retry)
    )
    return found.filter(edition=edition) if edition is not None else found


def give_up_stale_claims(now):
    """A message whose sender died too often is shown to staff as failed, not hidden."""
    return OutboxMessage.objects.filter(
        status=OutboxMessage.SENDING, claimed_at__lt=now - CLAIM_TIMEOUT, attempts__gte=settings.OUTBOX_MAX_ATTEMPTS,
    ).update(status=OutboxMessage.FAILED, last_error=INTERRUPTED)


def claim(message, now):
    """Whether this sender won the message: the UPDATE matches only the state it read."""
    return OutboxMessage.objects.filter(
        pk=message.pk, status=message.status, attempts=message.attempts, claimed_at=message.claimed_at,
    ).update(status=OutboxMessage.SENDING, attempts=message.attempts + 1, claimed_at=now) == 1


def send_batch(limit=None, now=None):
    """Send up to `limit` messages; returns (sent, failed)."""
    now = now or timezone.now()
    give_up_stale_claims(now)
    sent = failed = 0
    for message in list(sendable(now).order_by("pk")[: limit or settings.OUTBOX_BATCH]):
        if not claim(message, now):
            continue  # another sender took it
        if emails.send(message.template, message.to, message.context):
            OutboxMessage.objects.filter(pk=message.pk).update(status=OutboxMessage.SENT, sent_at=timezone.now(), last_error="")
            sent += 1
        else:
            OutboxMessage.objects.filter(pk=message.pk).update(status=OutboxMessage.FAILED, last_error="Le serveur de messagerie a refusé ou n'a pas répondu.")
            failed += 1
    return sent, failed


def send_all(now=None):
    """Every message that may leave, batch after batch; returns (sent, failed)."""
    sent = failed = 0
    while True:
        batch_sent, batch_failed = send_batch(now=now)
        sent, failed = sent + batch_sent, failed + batch_failed
        if batch_failed or batch_sent < settings.OUTBOX_BATCH:
            return sent, failed  # done, or the mail server refuses: the next run tries again


def preview(message):
    """(subject, text body) as the recipient will read them."""
    from django.template.loader import render_to_string

    context = {"site_name": "Arobase", **message.context}
    subject = " ".join(render_to_string(f"emails/{message.template}_subject.txt", context).split())
    return subject, render_to_string(f"emails/{message.template}.txt", context)
