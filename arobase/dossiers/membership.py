"""Joining the association for an edition, with a gapless invoice number."""

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from arobase.journal.records import record
from arobase.territories.rules import POPULATION_VINTAGE

from . import rules
from .models import InvoiceCounter, Membership


class MembershipError(Exception):
    """A refusal whose str() is the French reason."""


def join(edition, territory, user):
    """Create the membership and its invoice; the existing one if already joined."""
    existing = Membership.objects.filter(edition=edition, territory=territory).first()
    if existing:
        return existing
    fee = edition.fee_for(territory)
    if fee is None:
        raise MembershipError("Seules les communes et les intercommunalités adhèrent à l'association.")
    try:
        with transaction.atomic():
            sequence = _next_sequence(edition)
            today = timezone.localdate()
            membership = Membership.objects.create(
                edition=edition, territory=territory, fee=fee, population=territory.population or 0,
                population_vintage=POPULATION_VINTAGE,
                invoice_sequence=sequence, invoice_number=rules.invoice_number(edition.year, sequence),
                issued_on=today, due_on=today + timedelta(days=edition.payment_days), joined_by=user,
            )
            record(user, f"adhésion {edition.year} ({membership.invoice_number}, {fee} €)", territory=territory)
            return membership
    except IntegrityError:
        # Someone else joined for this territory at the same moment: theirs stands,
        # and our number was rolled back with our transaction (no gap).
        existing = Membership.objects.filter(edition=edition, territory=territory).first()
        if existing is None:
            raise
        return existing


def _next_sequence(edition):
    """Take the next number inside the caller's transaction. The UPDATE locks the
    counter's row until commit, so concurrent joins queue; a rollback returns the number."""
    InvoiceCounter.objects.get_or_create(edition=edition)
    InvoiceCounter.objects.filter(edition=edition).update(last=F("last") + 1)
    return InvoiceCounter.objects.get(edition=edition).last


@transaction.atomic
def record_payment(membership, user, paid_on, reference):
    membership.status, membership.paid_on, membership.payment_reference = rules.PAID, paid_on, reference
    membership.waiver_reason, membership.recorded_by = "", user
    membership.save()
    record(user, f"paiement enregistré {membership.invoice_number} ({reference})", territory=membership.territory)


@transaction.atomic
def record_waiver(membership, user, reason):
    if not reason.strip():
        raise MembershipError("Indiquez le motif de l'exonération.")
    membership.status, membership.waiver_reason, membership.recorded_by = rules.WAIVED, reason, user
    membership.paid_on, membership.payment_reference = None, ""
    membership.save()
    record(user, f"exonération {membership.invoice_number} : {reason}", territory=membership.territory)
