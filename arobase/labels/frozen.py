"""Once the Conseil d'Orientation has frozen an edition's preparation, its referential,
grid and questionnaire stay as they are: the admin shows them read-only, and no new row
can be attached to a frozen edition (it is not offered in the add forms)."""

PARENTS = ("axe", "enjeu", "usage")


class FrozenEditionReadOnly:
    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not _frozen(obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not _frozen(obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if field is not None and db_field.name == "edition":
            field.queryset = field.queryset.filter(frozen_at__isnull=True)
        elif field is not None and db_field.name in PARENTS:
            field.queryset = field.queryset.filter(edition__frozen_at__isnull=True)
        return field


def _frozen(obj):
    return bool(obj is not None and obj.edition.frozen_at)
