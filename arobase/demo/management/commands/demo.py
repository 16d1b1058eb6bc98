import argparse

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from arobase.core.numbers import parse_int
from arobase.core.site_address import site_url
from arobase.core.warming import warm_after
from arobase.demo import season as season_demo
from arobase.demo.errors import MissingReferenceData, SeasonNotReady
from arobase.demo.labels import load_demo
from arobase.labels import season


def _count(text):
    number = parse_int(text, 0, 200_000)
    if number is None:
        raise argparse.ArgumentTypeError("un nombre entier de 0 à 200 000")
    return number


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
        parser.add_argument(
            "--actions", type=_count, default=settings.DEMO_ACTIONS, metavar="N",
            help=f"nombre approximatif de fiches actions de démonstration (par défaut : {settings.DEMO_ACTIONS})",
        )
        parser.add_argument("--url", help="adresse publique du site, pour y préchauffer les pages (par défaut : AROBASE_SITE_URL)")

    def handle(self, *args, season, actions, url=None, **options):
        self.verbosity = options.get("verbosity", 1)
        address = site_url(url) if url else None
        try:
            with transaction.atomic():
                seeds, generated = load_demo(settings.TEN_MIN_FIVE_AROBASES)
                summary = season_demo.load(season, actions=actions)
        except (MissingReferenceData, SeasonNotReady) as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"{seeds} labels réels issus des articles de presse (La Madeleine, Lunel, Villers-Semeuse…).")
        self.stdout.write(f"{generated} labels de démonstration générés pour 2000–2025, marqués « démo ».")
        self.stdout.write(f"{summary['actions']} fiches actions de démonstration publiées, {summary['actors']} acteurs locaux.")
        self.stdout.write(f"Édition {summary['year']} en phase « {summary['phase']} »" + (f", {summary['dossiers']} dossiers déposés." if summary["dossiers"] else "."))
        self.stdout.write(f"Comptes de démonstration (mot de passe « {season_demo.PASSWORD} ») :")
        for email in summary["accounts"]:
            self.stdout.write(f"  {email}")
        self.stdout.write(self.style.SUCCESS("Données de démonstration chargées."))
        warm_after(self, address)
