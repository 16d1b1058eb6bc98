from django.core.management.base import BaseCommand, CommandError
from django.db import IntegrityError, transaction

from arobase.core.site_address import site_url
from arobase.core.warming import warm_after
from arobase.labels.palmares_csv.applying import apply_plan
from arobase.labels.palmares_csv.plan import MAX_REPORTED_ERRORS
from arobase.labels.palmares_csv.planning import plan_import


class Command(BaseCommand):
    help = "Importe un palmarès CSV (annee,code,arobases,mentions,prix) : tout ou rien."

    def add_arguments(self, parser):
        parser.add_argument("file", help="fichier CSV en UTF-8, séparé par des virgules ou des points-virgules")
        parser.add_argument("--replace", action="store_true", help="remplacer les labels déjà enregistrés qui diffèrent")
        parser.add_argument("--dry-run", action="store_true", help="vérifier le fichier sans rien enregistrer")
        parser.add_argument("--url", help="adresse publique du site, pour y préchauffer les pages (par défaut : AROBASE_SITE_URL)")

    def handle(self, *args, file, replace, dry_run, url=None, **options):
        address = site_url(url) if url else None  # checked before anything is written
        self.verbosity = options.get("verbosity", 1)
        try:
            # The plan is made inside the write transaction: what it checked still holds
            # when it writes, and a label stored meanwhile by someone else ends in a
            # message, with nothing written.
            with transaction.atomic():
                plan = self.checked_plan(file, replace)
                if not dry_run:
                    apply_plan(plan)
        except IntegrityError:
            raise CommandError(
                "Un label a été enregistré par ailleurs pendant l'import : rien n'a été importé. Relancez la commande."
            ) from None
        verb = "seraient" if dry_run else "ont été"
        self.stdout.write(
            f"{plan.created_count} label(s) {verb} créé(s), {plan.replaced_count} remplacé(s), "
            f"{plan.unchanged_count} déjà à jour"
            + (f" (années : {plan.years[0]}–{plan.years[-1]})." if plan.years else ".")
        )
        if not dry_run:
            self.stdout.write(self.style.SUCCESS("Import terminé."))
            warm_after(self, address)

    def checked_plan(self, file, replace):
        try:
            with open(file, "rb") as stream:  # read line by line: memory does not grow with the file
                plan = plan_import(stream, replace=replace)
        except FileNotFoundError:
            raise CommandError(f"Fichier introuvable : {file}") from None
        except (IsADirectoryError, PermissionError, OSError) as error:
            raise CommandError(f"Fichier illisible : {file} ({error.strerror})") from None
        if not plan.ok:
            for error in plan.errors:
                self.stderr.write(error)
            if plan.error_count > MAX_REPORTED_ERRORS:
                self.stderr.write(f"… et {plan.error_count - MAX_REPORTED_ERRORS} autre(s) ligne(s) en erreur.")
            raise CommandError(f"Fichier refusé : {plan.error_count} ligne(s) en erreur, rien n'a été importé.")
        return plan
