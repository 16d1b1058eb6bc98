from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActionsConfig(AppConfig):
    name = "arobase.actions"
    verbose_name = _("Actions")

    def ready(self):
        from arobase.core import data_version

        from . import atlaas, permissions  # noqa: F401  (registers the rules)
        from .models import Action, Actor, Image, Person

        from .publicity import shown_publicly

        # Atlaas shows published actions and every actor: drafts and proposals change nothing public.
        data_version.connect(data_version.ATLAAS, [Action, Person, Image], [Action.services, Action.actors], shown=shown_publicly)
        data_version.connect(data_version.ATLAAS, [Actor])
        atlaas.register_figures()
