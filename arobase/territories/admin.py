from django.contrib import admin

from arobase.core.admin_fields import SafeFieldsAdmin

from .models import Territory


@admin.register(Territory)
class TerritoryAdmin(SafeFieldsAdmin, admin.ModelAdmin):
    list_display = ["name", "code", "kind", "population", "departement"]
    list_filter = ["kind"]
    search_fields = ["search_name", "code", "postal_codes"]
    raw_id_fields = ["departement", "region", "epci"]
    readonly_fields = ["kind", "code"]
