from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActionsConfig(AppConfig):
    name = "arobase.actions"
    verbose_name = _("Actions")

    def ready(self):
        from arobase.core import data_version

        from . import permissions  # noqa: F401  (registers the rules)
        from .models import Action, Actor, Image, Person

        data_version.connect([Action, Actor, Person, Image], [Action.services, Action.actors])
