from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActionsConfig(AppConfig):
    name = "arobase.actions"
    verbose_name = _("Actions")

    def ready(self):
        from . import permissions  # noqa: F401  (registers the rules)
