"""Notification e-mails reviewed by staff before they leave: queued once (a unique key),
sent in batches, each message claimed before sending so that it never leaves twice, a
failure retried up to OUTBOX_MAX_ATTEMPTS times."""

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from arobase.accounts import emails

from .models import OutboxMessage


def queue(edition, template, to, context, key, territory=None):
    """Add a message unless one with this key exists; returns (message, created)."""
    return OutboxMessage.objects.get_or_create(
        key=key[:200], defaults={"edition": edition, "template": template, "to": to, "context": context, "territory": territory},
    )


def sendable(edition):
    return OutboxMessage.objects.filter(edition=edition).filter(
        Q(status=OutboxMessage.PENDING) | Q(status=OutboxMessage.FAILED, attempts__lt=settings.OUTBOX_MAX_ATTEMPTS)
    )


def send_batch(edition, limit=None):
    """Send up to `limit` waiting messages; returns (sent, failed)."""
    sent = failed = 0
    for message in list(sendable(edition).order_by("pk")[: limit or settings.OUTBOX_BATCH]):
        claimed = OutboxMessage.objects.filter(pk=message.pk, status=message.status, attempts=message.attempts).update(
            status=OutboxMessage.SENDING, attempts=message.attempts + 1,
        )
        if not claimed:
            continue  # another batch took it
        ok = emails.send(message.template, message.to, message.context)
        if ok:
            OutboxMessage.objects.filter(pk=message.pk).update(status=OutboxMessage.SENT, sent_at=timezone.now(), last_error="")
            sent += 1
        else:
            OutboxMessage.objects.filter(pk=message.pk).update(status=OutboxMessage.FAILED, last_error="Le serveur de messagerie a refusé ou n'a pas répondu.")
            failed += 1
    return sent, failed


def preview(message):
    """(subject, text body) as the recipient will read them."""
    from django.template.loader import render_to_string

    context = {"site_name": "Arobase", **message.context}
    subject = " ".join(render_to_string(f"emails/{message.template}_subject.txt", context).split())
    return subject, render_to_string(f"emails/{message.template}.txt", context)
