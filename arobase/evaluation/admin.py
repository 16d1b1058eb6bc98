"""Staff and the Conseil d'Orientation edit the grid and the phases' switches here;
the audit log and the outbox are read-only."""

from django.contrib import admin

from arobase.labels.frozen import FrozenEditionReadOnly

from .models import AuditEntry, Criterion, OutboxMessage, PhaseRule


@admin.register(Criterion)
class CriterionAdmin(FrozenEditionReadOnly, admin.ModelAdmin):
    list_display = ["name", "edition", "weight", "scale_max", "required", "position"]
    list_filter = ["edition"]
    filter_horizontal = ["axes", "enjeux"]


@admin.register(PhaseRule)
class PhaseRuleAdmin(admin.ModelAdmin):
    list_display = ["edition", "phase", "starts_on", "ends_on", "can_submit", "can_review", "can_see_reviews", "can_decide", "can_publish", "can_appeal"]
    list_filter = ["edition", "phase"]
    list_editable = ["can_submit", "can_review", "can_see_reviews", "can_decide", "can_publish", "can_appeal"]

    def has_add_permission(self, request):
        return False  # created with their defaults for every edition


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnly):
    list_display = ["at", "edition", "actor", "subject", "territory", "verb"]
    list_filter = ["edition", "subject"]


@admin.register(OutboxMessage)
class OutboxMessageAdmin(ReadOnly):
    list_display = ["to", "edition", "template", "status", "attempts", "sent_at"]
    list_filter = ["edition", "status", "template"]
