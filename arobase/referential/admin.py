"""The Conseil d'Orientation edits the referential here, edition by edition."""

from django.contrib import admin, messages

from arobase.core.admin_fields import SafeFieldsAdmin
from arobase.labels.frozen import FrozenEditionReadOnly

from . import loading
from .models import Axe, Enjeu, Service, Usage


class EnjeuInline(SafeFieldsAdmin, admin.TabularInline):
    model = Enjeu
    fields = ["position", "slug", "name", "description"]
    extra = 0


class UsageInline(SafeFieldsAdmin, admin.TabularInline):
    model = Usage
    fields = ["position", "slug", "name", "description"]
    extra = 0


class ServiceInline(SafeFieldsAdmin, admin.TabularInline):
    model = Service
    fields = ["position", "slug", "name", "description"]
    extra = 0


class SameEditionAsParent:
    """A child node belongs to its parent's edition: never chosen by hand."""

    def save_formset(self, request, form, formset, change):
        for child in formset.save(commit=False):
            child.edition_id = form.instance.edition_id
            child.save()
        for gone in formset.deleted_objects:
            gone.delete()
        formset.save_m2m()


@admin.register(Axe)
class AxeAdmin(FrozenEditionReadOnly, SameEditionAsParent, SafeFieldsAdmin, admin.ModelAdmin):
    list_display = ["name", "slug", "edition", "position"]
    list_filter = ["edition"]
    inlines = [EnjeuInline]
    actions = ["copy_to_next_edition"]

    @admin.action(description="Copier le référentiel de cette édition vers l'édition suivante")
    def copy_to_next_edition(self, request, queryset):
        years = sorted({axe.edition_id for axe in queryset})
        for year in years:
            try:
                loading.copy_forward(year, year + 1)
            except ValueError as error:
                self.message_user(request, str(error), messages.ERROR)
            else:
                self.message_user(request, f"Référentiel {year} copié vers l'édition {year + 1}.", messages.SUCCESS)


@admin.register(Enjeu)
class EnjeuAdmin(FrozenEditionReadOnly, SameEditionAsParent, SafeFieldsAdmin, admin.ModelAdmin):
    list_display = ["name", "slug", "axe", "edition"]
    list_filter = ["edition", "axe__slug"]
    fields = ["axe", "position", "slug", "name", "description"]
    inlines = [UsageInline]

    def save_model(self, request, obj, form, change):
        obj.edition_id = obj.axe.edition_id
        super().save_model(request, obj, form, change)


@admin.register(Usage)
class UsageAdmin(FrozenEditionReadOnly, SameEditionAsParent, SafeFieldsAdmin, admin.ModelAdmin):
    list_display = ["name", "slug", "enjeu", "edition"]
    list_filter = ["edition"]
    fields = ["enjeu", "position", "slug", "name", "description"]
    inlines = [ServiceInline]

    def save_model(self, request, obj, form, change):
        obj.edition_id = obj.enjeu.edition_id
        super().save_model(request, obj, form, change)


@admin.register(Service)
class ServiceAdmin(FrozenEditionReadOnly, SafeFieldsAdmin, admin.ModelAdmin):
    list_display = ["name", "slug", "usage", "edition"]
    list_filter = ["edition"]
    search_fields = ["name", "slug"]
    fields = ["usage", "position", "slug", "name", "description"]

    def save_model(self, request, obj, form, change):
        obj.edition_id = obj.usage.edition_id
        super().save_model(request, obj, form, change)
