import sys

from django.core.management.base import BaseCommand, CommandError

from arobase.backups import BackupError, database, media, restorer, wording


class Command(BaseCommand):
    help = (
        "Restaure une archive d'« arobase backup » : remplace toute la base de données et les "
        "fichiers envoyés. Demande confirmation, sauf avec --yes."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", metavar="FICHIER", help="archive .tar.gz écrite par « arobase backup »")
        parser.add_argument("--yes", action="store_true", help="ne pas demander confirmation (scripts)")

    def handle(self, *args, file, yes, verbosity, **options):
        progress = self.stdout.write if verbosity else wording.quiet
        try:
            with media.staging_folder() as staging:
                progress(f"Vérification de l'archive {file}…")
                manifest = restorer.read(file, staging)
                if verbosity or not yes:
                    self.describe(manifest)
                self.confirm(yes)
                restorer.restore(manifest, staging, progress=progress)
            rows = database.current_rows()
        except BackupError as error:
            raise CommandError(str(error)) from None
        except OSError as error:  # before anything is replaced: staging folder, extraction
            raise CommandError(f"Restauration impossible : {error}. Rien n'a été modifié.") from None
        self.report(manifest, rows, verbosity)

    def describe(self, manifest):
        version = manifest.get("arobase") or {}
        made_by = " ".join(filter(None, [version.get("version"), (version.get("commit") or "")[:12]]))
        self.stdout.write(
            f"Sauvegarde du {wording.created_at(manifest)}" + (f" (Arobase {made_by})" if made_by else "") + " :\n"
            f"  base {database.VENDORS[manifest['database']['vendor']]} : {wording.summary(manifest['rows'])}\n"
            f"  fichiers envoyés : {wording.number(wording.media_count(manifest))}"
        )

    def confirm(self, yes):
        """Destructive: a person types « oui », or a script says --yes; never by default."""
        if yes:
            return
        if not sys.stdin.isatty():
            raise CommandError(
                "Restauration refusée : pas de terminal pour la confirmer. Relancez avec --yes. Rien n'a été modifié."
            )
        self.stdout.write(self.style.WARNING(
            f"La restauration remplace TOUTES les données de la base ({database.describe()}) "
            f"et le dossier des fichiers envoyés ({media.media_root()}). Arrêtez l'application avant."
        ))
        try:
            answer = input("Tapez « oui » pour restaurer : ")
        except EOFError:
            answer = ""
        if answer.strip().lower() != "oui":
            raise CommandError("Restauration annulée. Rien n'a été modifié.")

    def report(self, manifest, rows, verbosity):
        differing = sorted(table for table, count in manifest["rows"].items() if rows.get(table) != count)
        if differing:
            raise CommandError(
                "Restauration faite, mais le nombre de lignes diffère de la sauvegarde pour : " + ", ".join(differing[:10])
            )
        behind = database.apps_behind(manifest["migrations"])
        if behind:  # said even with -v 0: the site needs it
            self.stderr.write(self.style.WARNING(
                f"Cette sauvegarde précède des migrations du code ({', '.join(behind)}) : lancez « arobase migrate »."
            ))
        if not verbosity:
            return
        self.stdout.write(
            f"  base : {wording.summary(rows)}\n"
            f"  fichiers envoyés : {wording.number(wording.media_count(manifest))}"
        )
        self.stdout.write(self.style.SUCCESS(
            "Restauration terminée. Redémarrez l'application : ses processus gardent en mémoire des pages "
            "d'avant la restauration."
        ))
