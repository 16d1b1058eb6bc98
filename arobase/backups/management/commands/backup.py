from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from arobase.backups import BackupError, wording, writer


class Command(BaseCommand):
    help = (
        "Sauvegarde la base de données et les fichiers envoyés dans une archive .tar.gz "
        "(à restaurer avec « arobase restore »)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output", metavar="FICHIER",
            help="archive à écrire (par défaut : $AROBASE_VAR_DIR/backups/arobase-AAAAMMJJ-HHMMSS.tar.gz)",
        )

    def handle(self, *args, output, verbosity, **options):
        target = Path(output) if output else writer.default_output()
        progress = self.stdout.write if verbosity else wording.quiet
        try:
            manifest = writer.create(target, progress=progress)
        except BackupError as error:
            raise CommandError(f"Sauvegarde impossible : {error}") from None
        except OSError as error:  # a full disk, a folder that cannot be written
            raise CommandError(f"Sauvegarde impossible : {error}. Aucune archive n'a été écrite.") from None
        if not verbosity:
            return
        target = target.absolute()
        self.stdout.write(self.style.SUCCESS(f"Sauvegarde écrite : {target} ({wording.size(target)})"))
        self.stdout.write(f"  base : {wording.summary(manifest['rows'])}")
        self.stdout.write(f"  fichiers envoyés : {wording.number(wording.media_count(manifest))}")
        if verbosity > 1:
            for table, count in manifest["rows"].items():
                self.stdout.write(f"    {table} : {wording.number(count)}")
