"""`arobase season`: the season's scheduled steps, for cron (every few minutes)."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from arobase.evaluation import phases
from arobase.labels import season
from arobase.labels.models import Edition


class Command(BaseCommand):
    help = "Applique le calendrier des éditions : clôt les candidatures dont la date limite est passée (à lancer par cron)."

    def handle(self, *args, **options):
        now = timezone.now()
        for edition in Edition.objects.filter(phase=season.CANDIDATURES):
            before = edition.phase
            phases.apply_schedule(edition, now)
            if edition.phase != before:
                self.stdout.write(f"Édition {edition.year} : candidatures closes, phase « {edition.get_phase_display()} ».")
        self.stdout.write("Calendrier appliqué.")
