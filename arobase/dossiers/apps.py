from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DossiersConfig(AppConfig):
    name = "arobase.dossiers"
    verbose_name = _("Adhésions et dossiers")

    def ready(self):
        from . import permissions  # noqa: F401  (registers the rules)
