"""Once the Conseil d'Orientation has frozen an edition's preparation, its referential,
grid and questionnaire stay as they are: the admin shows them read-only."""


class FrozenEditionReadOnly:
    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not _frozen(obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not _frozen(obj)


def _frozen(obj):
    return bool(obj is not None and obj.edition.frozen_at)
