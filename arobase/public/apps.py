from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicConfig(AppConfig):
    name = "arobase.public"
    verbose_name = _("Pages publiques")
