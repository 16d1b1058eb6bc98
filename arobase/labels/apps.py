from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class LabelsConfig(AppConfig):
    name = "arobase.labels"
    verbose_name = _("Label")

    def ready(self):
        from arobase.core import data_version

        from . import fees, phase_rules
        from .models import Edition, Label, Mention, Prize

        post_save.connect(fees.forget, sender=Edition, dispatch_uid="fee-terms-save")
        post_delete.connect(fees.forget, sender=Edition, dispatch_uid="fee-terms-delete")
        data_version.connect(data_version.PALMARES, [Edition, Label, Mention, Prize], [Label.mentions, Label.prizes])
        from . import queries

        queries.register_figures()
        post_save.connect(phase_rules.create_phase_rules, sender=Edition, dispatch_uid="edition-phase-rules")
