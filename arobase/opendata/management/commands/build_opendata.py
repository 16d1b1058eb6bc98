"""Writes the workbook of the current data version ahead of the first visitor.

The CSV and GeoJSON files are streamed from the database at each download, in constant
memory; the workbook cannot be streamed, so it is written once per data version and
served from disk. For the whole country that takes minutes: run this command after an
import or a publication, or every few minutes beside `arobase season` (it does nothing
when the current version's workbook is already written).
"""

import time

from django.core.management.base import BaseCommand

from arobase.core import data_version
from arobase.core.site_address import site_url
from arobase.opendata.action_table import action_count
from arobase.opendata.palmares_table import palmares_count
from arobase.opendata.workbook_store import xlsx_file


class Command(BaseCommand):
    help = "Écrit à l'avance le classeur arobase.xlsx de la version courante des données (publiques, et de démonstration s'il y en a)."

    def add_arguments(self, parser):
        parser.add_argument("--url", required=True, help="adresse publique du site, telle que les visiteurs la voient (https://…)")

    def handle(self, *args, url, **options):
        base_url = site_url(url)
        version, changed_at = data_version.current()
        flags = [False] + ([True] if palmares_count(demo=True) > palmares_count()
                           or action_count(demo=True) > action_count() else [])
        for demo in flags:
            started = time.perf_counter()
            xlsx_file(demo, base_url, version, changed_at).close()
            if options["verbosity"]:
                label = "avec les données de démonstration" if demo else "données publiques"
                self.stdout.write(f"arobase.xlsx ({label}) prêt en {time.perf_counter() - started:.1f} s.")
