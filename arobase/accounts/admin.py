from django.contrib import admin, messages
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group, User

from arobase.core.admin_fields import SafeFieldsAdmin

from . import roles
from .forms import AdminLoginForm
from .models import Attachment, Role

admin.site.login_form = AdminLoginForm

# Django's own admins of accounts and groups, with the project's bounded choice fields.
admin.site.unregister(User)
admin.site.unregister(Group)


@admin.register(User)
class AccountAdmin(SafeFieldsAdmin, UserAdmin):
    pass


@admin.register(Group)
class AccountGroupAdmin(SafeFieldsAdmin, GroupAdmin):
    pass


@admin.register(Role)
class RoleAdmin(SafeFieldsAdmin, admin.ModelAdmin):
    list_display = ["user", "kind", "territory", "granted_at"]
    list_filter = ["kind"]
    raw_id_fields = ["user", "territory"]

    def save_model(self, request, obj, form, change):
        """Through the rules: a correspondent never becomes a jury member."""
        try:
            if obj.kind == Role.JURY and (refusal := roles.jury_refusal(obj.user)):
                raise roles.RoleConflict(refusal)
        except roles.RoleConflict as conflict:
            messages.error(request, str(conflict))
            return
        super().save_model(request, obj, form, change)
        if obj.kind == Role.CONSEIL:
            roles.grant(obj.user, obj.kind, by=request.user)


@admin.register(Attachment)
class AttachmentAdmin(SafeFieldsAdmin, admin.ModelAdmin):
    list_display = ["user", "territory", "status", "requested_at", "decided_by", "decided_at"]
    list_filter = ["status"]
    raw_id_fields = ["user", "territory", "decided_by"]
    readonly_fields = ["requested_at", "decided_by", "decided_at"]
