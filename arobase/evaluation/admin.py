"""Staff and the Conseil d'Orientation edit the grid here (the phases' switches: labels);
the outbox is read-only (the journal: arobase.journal)."""

from django.contrib import admin

from arobase.core.admin_fields import SafeFieldsAdmin
from arobase.labels.frozen import FrozenEditionReadOnly

from .models import Criterion, OutboxMessage


@admin.register(Criterion)
class CriterionAdmin(FrozenEditionReadOnly, SafeFieldsAdmin, admin.ModelAdmin):
    list_display = ["name", "edition", "weight", "scale_max", "required", "position"]
    list_filter = ["edition"]
    filter_horizontal = ["axes", "enjeux"]


class ReadOnly(SafeFieldsAdmin, admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(OutboxMessage)
class OutboxMessageAdmin(ReadOnly):
    list_display = ["to", "edition", "template", "status", "attempts", "sent_at"]
    list_filter = ["edition", "status", "template"]
