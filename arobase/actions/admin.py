from django.contrib import admin

from arobase.core.admin_fields import SafeFieldsAdmin

from .models import Action, Actor, Image, Person


class PersonInline(SafeFieldsAdmin, admin.TabularInline):
    model = Person
    extra = 0


class ImageInline(SafeFieldsAdmin, admin.TabularInline):
    model = Image
    fields = ["alt", "width", "height"]
    readonly_fields = ["width", "height"]
    extra = 0


@admin.register(Action)
class ActionAdmin(SafeFieldsAdmin, admin.ModelAdmin):
    list_display = ["title", "territory", "state", "status", "updated_at", "is_demo"]
    list_filter = ["state", "status", "is_demo"]
    search_fields = ["title", "territory__name", "territory__code"]
    raw_id_fields = ["territory", "author", "moderated_by", "updated_by"]
    filter_horizontal = ["services"]
    autocomplete_fields = ["actors"]
    inlines = [PersonInline, ImageInline]


@admin.register(Actor)
class ActorAdmin(SafeFieldsAdmin, admin.ModelAdmin):
    """Local actors of the directory; e-mail and phone are shown to members only with consent."""

    list_display = ["name", "kind", "territory", "consent", "is_demo"]
    list_filter = ["kind", "consent", "is_demo"]
    search_fields = ["name", "slug", "territory__name", "territory__code"]
    prepopulated_fields = {"slug": ["name"]}
    raw_id_fields = ["territory"]
