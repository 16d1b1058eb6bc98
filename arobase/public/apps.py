from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicConfig(AppConfig):
    name = "arobase.public"
    verbose_name = _("Pages publiques")

    def ready(self):
        from arobase.actions.models import Action, Actor, Image, Person
        from arobase.labels.models import Edition, Label, Mention, Prize
        from arobase.referential.models import Axe, Enjeu, Service, Usage
        from arobase.territories.models import Territory

        from . import data_version

        data_version.connect(
            [Territory, Edition, Label, Mention, Prize, Axe, Enjeu, Usage, Service, Action, Actor, Person, Image],
            [Label.mentions, Label.prizes, Action.services, Action.actors],
        )
