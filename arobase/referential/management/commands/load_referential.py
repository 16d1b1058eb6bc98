from django.core.management.base import BaseCommand, CommandError

from arobase.labels.rules import FIRST_YEAR
from arobase.referential import loading


class Command(BaseCommand):
    help = "Charge le référentiel national d'une édition depuis un fichier JSON (par défaut, le référentiel initial livré)."

    def add_arguments(self, parser):
        parser.add_argument("--edition", type=int, required=True, help="année du label (ex. 2027)")
        parser.add_argument("--file", default=str(loading.INITIAL), help="fichier JSON (format de arobase/referential/data/referentiel.json)")
        parser.add_argument("--replace", action="store_true", help="remplacer le référentiel existant de cette édition")

    def handle(self, *args, edition, file, replace, **options):
        if not FIRST_YEAR <= edition <= 9999:
            raise CommandError(f"Année d'édition invalide : {edition}.")
        if loading.Axe.objects.filter(edition_id=edition).exists() and not replace:
            raise CommandError(f"L'édition {edition} a déjà un référentiel : ajoutez --replace pour le remplacer (les actions perdent leurs services de cette édition).")
        try:
            loading.load(edition, file)
        except (OSError, ValueError, KeyError, TypeError) as error:
            raise CommandError(f"Fichier de référentiel illisible : {error}") from None
        count = loading.Service.objects.filter(edition_id=edition).count()
        self.stdout.write(self.style.SUCCESS(f"Référentiel {edition} chargé : {count} services."))
