"""The version of the published data: read once per public request, bumped by writes."""

from datetime import UTC, datetime

from django.db.models import F
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone

from .models import DataVersion

ROW = 1
EPOCH = datetime(2000, 1, 1, tzinfo=UTC)


def current():
    """(version, changed_at) in one query; (0, EPOCH) before the first change."""
    row = DataVersion.objects.filter(pk=ROW).values_list("version", "changed_at").first()
    return row or (0, EPOCH)


def bump(**_signal_arguments):
    """Mark the published data as changed. Inside a transaction, the new version
    becomes visible with the data it describes, never before."""
    if not DataVersion.objects.filter(pk=ROW).update(version=F("version") + 1, changed_at=timezone.now()):
        DataVersion.objects.update_or_create(pk=ROW, defaults={"version": 1})


def connect(models, m2m_fields=()):
    """Bump on every save or delete of these models (bulk writes call `bump` themselves)."""
    for model in models:
        post_save.connect(bump, sender=model, dispatch_uid=f"data-version-save-{model._meta.label}")
        post_delete.connect(bump, sender=model, dispatch_uid=f"data-version-delete-{model._meta.label}")
    for field in m2m_fields:
        m2m_changed.connect(bump, sender=field.through, dispatch_uid=f"data-version-m2m-{field.through._meta.label}")
