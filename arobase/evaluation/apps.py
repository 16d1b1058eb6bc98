from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    name = "arobase.evaluation"
    verbose_name = _("Saison : évaluation, jury, publication")

    def ready(self):
        from arobase.dossiers import page_extras

        from . import permissions  # noqa: F401  (registers the rules)
        from .views.dossier_result import dossier_page_context

        page_extras.provide("evaluation/_dossier_result.html", dossier_page_context)
