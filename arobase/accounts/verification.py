"""The e-mail that verifies a new account's address, sent at most once every ten
minutes per account: anyone can type any address in the sign-up form, so the form must
not become a way to flood someone's mailbox."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from arobase.journal.models import Entry
from arobase.journal.records import record

from . import emails, tokens

RESEND_INTERVAL = timedelta(minutes=10)
SENT, FAILED, TOO_SOON = "sent", "failed", "too_soon"
VERB = "lien de vérification envoyé"


def send_link(request, user, now=None):
    """Send `user` the link that activates their account: SENT, FAILED (the mail server
    refused: they may ask again at once) or TOO_SOON (one left less than ten minutes ago)."""
    now = now or timezone.now()
    if Entry.objects.filter(actor=user, verb=VERB, at__gte=now - RESEND_INTERVAL).exists():
        return TOO_SOON
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    link = request.build_absolute_uri(reverse("accounts:verify", args=[uid, tokens.email_verification.make_token(user)]))
    if not emails.send("verify_email", user.email, {"link": link}):
        return FAILED
    record(user, VERB)
    return SENT
