"""The one way to write to the journal."""

from .models import Entry


def record(actor, verb, *, territory=None, edition=None, subject="", detail="", before=None, after=None):
    """Journal `verb` done by `actor` (None or anonymous: done by the platform itself)."""
    member = actor if actor is not None and actor.is_authenticated else None
    return Entry.objects.create(
        actor=member, by_member=member is not None,
        territory=territory, territory_name=territory.name if territory is not None else "",
        edition=edition, subject=subject, verb=verb[:300], detail=detail, before=before, after=after,
    )
