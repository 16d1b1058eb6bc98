from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TerritoriesConfig(AppConfig):
    name = "arobase.territories"
    verbose_name = _("Territoires")

    def ready(self):
        from arobase.core import data_version

        from .models import Territory

        # Public pages are cached under the versions of what they show: a change bumps this one.
        data_version.connect(data_version.TERRITORIES, [Territory])
