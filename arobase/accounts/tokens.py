"""Signed links sent by e-mail: address verification and invitations."""

from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core import signing


class EmailVerificationTokenGenerator(PasswordResetTokenGenerator):
    """Valid until the account is activated (the hash covers is_active)."""

    key_salt = "arobase.accounts.email-verification"

    def _make_hash_value(self, user, timestamp):
        return f"{user.pk}{user.is_active}{user.email}{timestamp}"


email_verification = EmailVerificationTokenGenerator()

INVITATION_SALT = "arobase.accounts.invitation"
INVITATION_MAX_AGE = 14 * 24 * 3600


def invitation_token(invitation):
    return signing.dumps(invitation.pk, salt=INVITATION_SALT)


def invitation_id(token):
    """The invitation's id, or None if the link is forged or older than 14 days."""
    try:
        return signing.loads(token, salt=INVITATION_SALT, max_age=INVITATION_MAX_AGE)
    except signing.BadSignature:
        return None
