"""The season's audit log: who, when, what, before and after (readable by staff)."""

from .models import AuditEntry


def log(edition, actor, subject, verb, before=None, after=None, territory=None):
    return AuditEntry.objects.create(
        edition=edition, actor=actor if actor is not None and actor.is_authenticated else None,
        territory=territory, subject=subject, verb=verb[:300], before=before, after=after,
    )
