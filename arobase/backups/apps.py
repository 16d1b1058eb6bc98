from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BackupsConfig(AppConfig):
    """No models: an app only so that Django finds the `backup` and `restore` commands."""

    name = "arobase.backups"
    verbose_name = _("Sauvegardes")
