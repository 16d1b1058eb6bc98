from django.apps import AppConfig
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    name = "arobase.evaluation"
    verbose_name = _("Saison : évaluation, jury, publication")

    def ready(self):
        from arobase.labels.models import Edition

        from . import permissions  # noqa: F401  (registers the rules)

        post_save.connect(create_phase_rules, sender=Edition, dispatch_uid="edition-phase-rules")


def create_phase_rules(sender, instance, created, raw=False, **kwargs):
    """A new edition gets its phases' default switches at once, so that no page has to."""
    if created and not raw:
        from . import phases

        phases.rules_of(instance)
