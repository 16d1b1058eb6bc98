from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReferentialConfig(AppConfig):
    name = "arobase.referential"
    verbose_name = _("Référentiel")

    def ready(self):
        from arobase.core import data_version

        from .models import Axe, Enjeu, Service, Usage

        data_version.connect(data_version.REFERENTIAL, [Axe, Enjeu, Usage, Service])
