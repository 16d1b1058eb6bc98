"""Writes the workbook of the current data version ahead of the first visitor.

The CSV and GeoJSON files are streamed from the database at each download, in constant
memory; the workbook cannot be streamed, so it is written once per data version and
served from disk. For the whole country that takes minutes: run this command after an
import or a publication, or every few minutes beside `arobase season` (it does nothing
when the current version's workbook is already written).
"""

import re
import time
from urllib.parse import urlsplit

from django.core.management.base import BaseCommand, CommandError

from arobase.opendata import exports
from arobase.public import data_version

HOST = re.compile(r"(?:[\w-]+(?:\.[\w-]+)*|\[[0-9A-Fa-f:]+\])(?::[0-9]{1,5})?")


def site_url(text):
    """`https://host[:port]` without a path: the absolute URLs in the files start with it."""
    parts = urlsplit(text.strip())
    if (parts.scheme not in ("http", "https") or not parts.hostname or parts.path not in ("", "/") or parts.query or parts.fragment
            or not HOST.fullmatch(parts.netloc)):
        raise CommandError(f"Adresse du site invalide : « {text} ». Exemple : https://label.example.org")
    return f"{parts.scheme}://{parts.netloc.lower()}"


class Command(BaseCommand):
    help = "Écrit à l'avance le classeur arobase.xlsx de la version courante des données (publiques, et de démonstration s'il y en a)."

    def add_arguments(self, parser):
        parser.add_argument("--url", required=True, help="adresse publique du site, telle que les visiteurs la voient (https://…)")

    def handle(self, *args, url, **options):
        base_url = site_url(url)
        version, changed_at = data_version.current()
        flags = [False] + ([True] if exports.palmares_count(demo=True) > exports.palmares_count()
                           or exports.action_count(demo=True) > exports.action_count() else [])
        for demo in flags:
            started = time.perf_counter()
            exports.xlsx_file(demo, base_url, version, changed_at).close()
            if options["verbosity"]:
                label = "avec les données de démonstration" if demo else "données publiques"
                self.stdout.write(f"arobase.xlsx ({label}) prêt en {time.perf_counter() - started:.1f} s.")
