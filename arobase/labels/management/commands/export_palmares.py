from django.core.management.base import BaseCommand, CommandError

from arobase.labels import rules
from arobase.labels.palmares_csv.export import export_rows, write_csv


class Command(BaseCommand):
    help = "Écrit le palmarès au format CSV d'import sur la sortie standard."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, help="une seule année de label")
        parser.add_argument("--include-demo", action="store_true", help="inclure les labels de démonstration")

    def handle(self, *args, year, include_demo, **options):
        if year is not None and year < rules.FIRST_YEAR:
            raise CommandError(f"Année {year} invalide : le label existe depuis {rules.FIRST_YEAR}.")
        write_csv(export_rows(year=year, include_demo=include_demo), self.stdout._out)
