from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from arobase.labels.demo import MissingReferenceData, load_demo


class Command(BaseCommand):
    help = "Charge les données de démonstration (idempotent) : faits réels des articles et palmarès généré."

    def handle(self, *args, **options):
        try:
            seeds, generated = load_demo(settings.TEN_MIN_FIVE_AROBASES)
        except MissingReferenceData as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"{seeds} labels réels issus des articles de presse (La Madeleine, Lunel, Villers-Semeuse…).")
        self.stdout.write(f"{generated} labels de démonstration générés pour 2015–2025, marqués « démo ».")
        self.stdout.write(self.style.SUCCESS("Données de démonstration chargées."))
