"""Staff tools: memberships, dossiers and each edition's questionnaire."""

from django.contrib import admin

from arobase.core.admin_fields import SafeFieldsAdmin
from arobase.labels.frozen import FrozenEditionReadOnly

from .models import Dossier, Membership, Question


@admin.register(Question)
class QuestionAdmin(FrozenEditionReadOnly, SafeFieldsAdmin, admin.ModelAdmin):
    list_display = ["text", "edition", "category", "required", "position"]
    list_filter = ["edition", "category"]


@admin.register(Membership)
class MembershipAdmin(SafeFieldsAdmin, admin.ModelAdmin):
    list_display = ["invoice_number", "territory", "edition", "fee", "status", "due_on", "paid_on"]
    list_filter = ["edition", "status"]
    search_fields = ["invoice_number", "territory__name", "territory__code"]
    readonly_fields = ["invoice_number", "invoice_sequence", "fee", "population", "population_vintage", "issued_on", "edition", "territory", "joined_by"]

    def has_delete_permission(self, request, obj=None):
        return False  # invoices are numbered without gaps: never deleted

    def has_add_permission(self, request):
        return False  # a membership is created by joining (numbering under lock)


@admin.register(Dossier)
class DossierAdmin(SafeFieldsAdmin, admin.ModelAdmin):
    list_display = ["territory", "edition", "state", "submitted_at"]
    list_filter = ["edition", "state"]
    search_fields = ["territory__name", "territory__code"]
    readonly_fields = ["snapshot", "submitted_at", "submitted_by", "receipt_sent_at", "reopened_at", "reopen_reason", "state"]
    raw_id_fields = ["territory", "actions"]
