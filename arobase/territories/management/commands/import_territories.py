import time

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from arobase.territories import rules
from arobase.territories.importer import DATA_FILE, import_territories

KIND_LABELS = {
    rules.COMMUNE: "communes",
    rules.EPCI: "intercommunalités",
    rules.DEPARTEMENT: "départements",
    rules.REGION: "régions",
}


class Command(BaseCommand):
    help = "Charge le référentiel national des territoires fourni avec Arobase (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--file", default=str(DATA_FILE), help="fichier CSV gzip (par défaut : celui fourni)")

    def handle(self, *args, **options):
        started = time.monotonic()
        show_bar = options["verbosity"] > 0

        def progress(iterable, desc, total):
            return tqdm(iterable, desc=desc, total=total, unit=" lignes", disable=not show_bar, file=self.stderr._out)

        try:
            report = import_territories(options["file"], progress=progress)
        except FileNotFoundError:
            raise CommandError(f"Fichier introuvable : {options['file']}") from None
        except (OSError, KeyError, ValueError) as error:
            raise CommandError(f"Fichier de référence illisible ({options['file']}) : {error}") from None
        if not show_bar:
            return
        for kind, label in KIND_LABELS.items():
            self.stdout.write(
                f"{report.total(kind):>6} {label} : {report.created[kind]} créé(e)s, "
                f"{report.updated[kind]} mis(es) à jour, {report.unchanged[kind]} inchangé(e)s"
            )
        self.stdout.write(self.style.SUCCESS(f"Import terminé en {time.monotonic() - started:.1f} s."))
