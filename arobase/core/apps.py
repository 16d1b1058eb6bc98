from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "arobase.core"
    verbose_name = _("Socle")

    def ready(self):
        from django.urls import register_converter

        from .converters import IdConverter, YearConverter

        # Before any URLconf is read: every app's routes use them.
        register_converter(YearConverter, "year")
        register_converter(IdConverter, "id")
