"""Deleting one's account (RGPD art. 17) without tearing holes in the label's records.

The account row stays as a tombstone, « Ancien membre », so that what the association
must keep (reviews and decisions of past seasons, invoices, published actions, the
journal) still holds together; everything that names or reaches the person is erased.
"""

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Q

from arobase.accounts.models import Attachment, FailedLogin, Invitation, Role
from arobase.actions.models import Actor, Person
from arobase.dossiers.models import Dossier
from arobase.evaluation.models import OutboxMessage
from arobase.journal.models import Entry
from arobase.labels import season
from arobase.labels.models import PendingImport

from .export import journal_about

FORMER_USERNAME = "ancien-membre-{pk}"
FORMER_FIRST_NAME, FORMER_LAST_NAME = "Ancien", "membre"
ERASED = "[ancien membre]"


def refusal(user):
    """Why this account may not delete itself here, or None."""
    if user.is_superuser and not User.objects.filter(is_superuser=True, is_active=True).exclude(pk=user.pk).exists():
        return ("Vous êtes le seul super-administrateur de la plateforme : nommez-en un autre dans l'administration "
                "avant de supprimer votre compte, sinon plus personne ne pourrait la gérer.")
    return None


def orphaned_dossiers(user):
    """Dossiers of a season still running whose territory would be left without any
    correspondent: the member is warned before confirming."""
    alone = []
    for attachment in Attachment.objects.filter(user=user, status=Attachment.APPROVED).select_related("territory"):
        others = Attachment.objects.filter(territory=attachment.territory, status=Attachment.APPROVED).exclude(user=user)
        if not others.exists():
            alone.append(attachment.territory_id)
    return list(Dossier.objects.filter(territory__in=alone).exclude(edition__phase=season.PUBLIE)
                .select_related("territory", "edition").order_by("territory__name"))


def _scrub(value, needles):
    """`value` (text or JSON) with every needle replaced by ERASED, whatever its case."""
    if isinstance(value, str):
        for needle in needles:
            start = value.lower().find(needle.lower())
            while start != -1:
                value = value[:start] + ERASED + value[start + len(needle):]
                start = value.lower().find(needle.lower(), start + len(ERASED))
        return value
    if isinstance(value, dict):
        return {_scrub(k, needles): _scrub(v, needles) for k, v in value.items()}
    if isinstance(value, list):
        return [_scrub(v, needles) for v in value]
    return value


def _forget_in_journal(user, needles):
    for entry in journal_about(user):
        entry.actor = None
        entry.verb = _scrub(entry.verb, needles)[:300]
        entry.detail = _scrub(entry.detail, needles)
        entry.before = _scrub(entry.before, needles)
        entry.after = _scrub(entry.after, needles)
        entry.save(update_fields=["actor", "verb", "detail", "before", "after"])


def _forget_contact_details(email):
    """The directory's and the actions' contact details at this address: gone, and the
    public pages that showed them change at once (each save moves the data version)."""
    for listing in [*Actor.objects.filter(email__iexact=email), *Person.objects.filter(email__iexact=email)]:
        listing.email, listing.phone, listing.consent = "", "", False
        listing.save()


def erase(user):
    """Anonymise `user` and what names them, in one transaction. The caller checked
    `refusal` and the password."""
    email, full_name = user.email, user.get_full_name().strip()
    needles = [n for n in (email, full_name) if len(n) >= 3]
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        _forget_in_journal(user, needles)
        if email:
            _forget_contact_details(email)
            Invitation.objects.filter(Q(email__iexact=email) | Q(invited_by=user), accepted_at__isnull=True).delete()
            Invitation.objects.filter(email__iexact=email).update(email="")
            unsent = [OutboxMessage.PENDING, OutboxMessage.RELEASED, OutboxMessage.SENDING, OutboxMessage.FAILED]
            OutboxMessage.objects.filter(to__iexact=email, status__in=unsent).delete()
            OutboxMessage.objects.filter(to__iexact=email).update(to="", context={})
            FailedLogin.objects.filter(username__iexact=email).delete()
        Invitation.objects.filter(invited_by=user, accepted_at__isnull=True).delete()
        Role.objects.filter(user=user).delete()
        Attachment.objects.filter(user=user, status__in=[Attachment.PENDING, Attachment.APPROVED]).update(status=Attachment.ENDED)
        Attachment.objects.filter(user=user).update(function="", message="", reason="")
        PendingImport.objects.filter(uploaded_by=user).delete()
        user.username = FORMER_USERNAME.format(pk=user.pk)
        user.email = ""
        user.first_name, user.last_name = FORMER_FIRST_NAME, FORMER_LAST_NAME
        user.set_unusable_password()
        user.is_active = user.is_staff = user.is_superuser = False
        user.save()
        user.groups.clear()
        user.user_permissions.clear()
        Entry.objects.create(by_member=True, subject="compte", verb="compte supprimé à la demande de son titulaire")
    return user
