from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpendataConfig(AppConfig):
    """No models: an app so that Django finds the `build_opendata` command."""

    name = "arobase.opendata"
    verbose_name = _("Données ouvertes")
