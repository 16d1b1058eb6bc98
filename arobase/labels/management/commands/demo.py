from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from arobase.dossiers import demo as season_demo
from arobase.labels import season
from arobase.labels.demo import MissingReferenceData, load_demo


class Command(BaseCommand):
    help = (
        "Charge les données de démonstration (idempotent) : faits réels des articles, palmarès généré, "
        "comptes de démonstration, fiches actions et l'édition suivante en cours de candidatures."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--season", default=season.CANDIDATURES, choices=season.PHASES, metavar="PHASE",
            help=f"phase de l'édition suivante ({', '.join(season.PHASES)}) ; par défaut : candidatures",
        )

    def handle(self, *args, season, **options):
        try:
            with transaction.atomic():
                seeds, generated = load_demo(settings.TEN_MIN_FIVE_AROBASES)
                summary = season_demo.load(season)
        except (MissingReferenceData, season_demo.SeasonNotReady) as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"{seeds} labels réels issus des articles de presse (La Madeleine, Lunel, Villers-Semeuse…).")
        self.stdout.write(f"{generated} labels de démonstration générés pour 2000–2025, marqués « démo ».")
        self.stdout.write(f"{summary['actions']} fiches actions de démonstration publiées.")
        self.stdout.write(f"Édition {summary['year']} en phase « {summary['phase']} »" + (f", {summary['dossiers']} dossiers déposés." if summary["dossiers"] else "."))
        self.stdout.write(f"Comptes de démonstration (mot de passe « {season_demo.PASSWORD} ») :")
        for email in summary["accounts"]:
            self.stdout.write(f"  {email}")
        self.stdout.write(self.style.SUCCESS("Données de démonstration chargées."))
