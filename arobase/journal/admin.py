"""The journal, read-only for staff: what happened is never edited."""

from django.contrib import admin

from arobase.core.admin_fields import SafeFieldsAdmin

from .models import Entry


@admin.register(Entry)
class EntryAdmin(SafeFieldsAdmin, admin.ModelAdmin):
    list_display = ["at", "actor", "edition", "subject", "verb", "territory_name", "detail"]
    list_filter = ["edition", "subject"]
    search_fields = ["verb", "detail", "territory_name", "actor__email"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
