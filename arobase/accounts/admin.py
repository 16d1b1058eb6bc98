from django.contrib import admin

from .forms import AdminLoginForm

admin.site.login_form = AdminLoginForm

from django.contrib import messages  # noqa: E402

from . import roles  # noqa: E402
from .models import Attachment, Role  # noqa: E402


@admin.register(Role)
class RoleAdmin(admin.ModelAdmin):
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
class AttachmentAdmin(admin.ModelAdmin):
    list_display = ["user", "territory", "status", "requested_at", "decided_by", "decided_at"]
    list_filter = ["status"]
    raw_id_fields = ["user", "territory", "decided_by"]
    readonly_fields = ["requested_at", "decided_by", "decided_at"]
