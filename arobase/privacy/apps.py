from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    """Each member's own data (RGPD articles 15, 17 and 20): see it, take it, leave.
    It sits above every app that holds personal data, so it may read them all."""

    name = "arobase.privacy"
    verbose_name = _("Données personnelles")
