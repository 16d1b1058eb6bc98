import argparse

from django.core.management.base import BaseCommand, CommandError

from arobase.core.numbers import parse_int
from arobase.demo import benchmark as benchmarkdata
from arobase.demo import season as season_demo
from arobase.demo.benchmark import MAX_SCALE, number_fr
from arobase.demo.errors import SeasonNotReady


def _scale(text):
    number = parse_int(text, 1, MAX_SCALE)
    if number is None:
        shown = text if len(text) <= 30 else text[:30] + "…"
        raise argparse.ArgumentTypeError(f"l'échelle est un nombre entier de 1 à {MAX_SCALE} (reçu : « {shown} »)")
    return number


class Command(BaseCommand):
    help = (
        "Génère les données de benchmark (déterministes, marquées « démo ») à l'échelle N : tout le référentiel des "
        f"territoires, environ {number_fr(benchmarkdata.BASE.labels)} × N labels sur les 27 éditions "
        f"{benchmarkdata.FIRST_YEAR}–{benchmarkdata.LAST_YEAR}, {number_fr(benchmarkdata.BASE.actions)} × N fiches actions et leurs "
        f"acteurs, {benchmarkdata.BASE.dossiers} × N dossiers de l'édition suivante avec avis et décisions. Remplace les "
        "données de démonstration précédentes (benchmark ou « arobase demo ») ; ne touche à aucune donnée réelle."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale", type=_scale, default=1, metavar="N",
            help=f"facteur d'échelle, de 1 à {MAX_SCALE} (par défaut : 1) ; N=10 multiplie labels, actions et dossiers par dix",
        )
        parser.add_argument(
            "--tiny", action="store_true",
            help=f"tailles de base divisées par {benchmarkdata.TINY} (tests, intégration continue)",
        )

    def handle(self, *args, scale, tiny, verbosity, **options):
        write = self.stdout.write if verbosity > 0 else (lambda message: None)
        wanted = benchmarkdata.sizes(scale, tiny)
        try:
            benchmarkdata.check_reference()
        except benchmarkdata.MissingTerritories as error:
            raise CommandError(str(error)) from None
        write(
            f"Données de benchmark, échelle {scale}{' (réduite)' if tiny else ''} : environ {number_fr(wanted.labels)} labels, "
            f"{number_fr(wanted.actions)} fiches actions, {number_fr(wanted.dossiers)} dossiers."
        )
        clock = benchmarkdata.Clock(write)
        try:
            found = benchmarkdata.generate(scale, tiny=tiny, progress=clock)
        except (benchmarkdata.MissingTerritories, SeasonNotReady) as error:
            raise CommandError(str(error)) from None
        write(
            f"{found['editions']} éditions publiées ({benchmarkdata.FIRST_YEAR}–{benchmarkdata.LAST_YEAR}) : "
            f"{number_fr(found['labels'])} labels sur {number_fr(found['territories'])} territoires."
        )
        write(
            f"{number_fr(found['actions'])} fiches actions publiées ({number_fr(found['services'])} liens vers des services), "
            f"{number_fr(found['actors'])} acteurs locaux."
        )
        write(
            f"Édition {found['year']} en délibération : {number_fr(found['dossiers'])} dossiers déposés, {number_fr(found['reviews'])} avis, "
            f"{number_fr(found['decisions'])} décisions du jury (non publiées)."
        )
        write(f"{number_fr(found['accounts'])} comptes de démonstration (mot de passe « {season_demo.PASSWORD} »), dont un correspondant par candidat.")
        if verbosity > 0:
            self.stdout.write(self.style.SUCCESS(f"Données de benchmark chargées en {clock.elapsed:.0f} s, toutes marquées « démo »."))
