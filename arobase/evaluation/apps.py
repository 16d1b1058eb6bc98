from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    name = "arobase.evaluation"
    verbose_name = _("Saison : évaluation, jury, publication")

    def ready(self):
        from . import permissions  # noqa: F401  (registers the rules)
