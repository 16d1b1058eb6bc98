"""A member's contact details published in the directory or on an action sheet, found
by their verified address, and the withdrawal of their consent to show them."""

from django.db import transaction

from arobase.actions.models import Actor, Person
from arobase.journal.records import record

ACTOR, PERSON = "acteur", "personne"


def listings(user):
    """(kind, object) pairs that carry this member's address."""
    if not user.email:
        return []
    actors = Actor.objects.filter(email__iexact=user.email).select_related("territory").order_by("name")
    people = Person.objects.filter(email__iexact=user.email).select_related("action").order_by("pk")
    return [(ACTOR, a) for a in actors] + [(PERSON, p) for p in people]


def withdraw(user, kind, pk):
    """Stop showing the listing's e-mail and phone, at once. Returns the listing, or
    None if it is not this member's."""
    found = next((listing for k, listing in listings(user) if k == kind and listing.pk == pk), None)
    if found is None:
        return None
    with transaction.atomic():
        found.consent = False
        found.save()
        record(user, "consentement retiré : coordonnées masquées", subject=kind, detail=str(found))
    return found
