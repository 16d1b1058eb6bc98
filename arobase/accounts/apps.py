from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "arobase.accounts"
    verbose_name = _("Comptes")

    def ready(self):
        from . import checks, permissions  # noqa: F401  (registers the checks and rules)
