from django.core.management.base import BaseCommand, CommandError

from arobase.core import warming
from arobase.core.site_address import site_url


class Command(BaseCommand):
    help = ("Rend les principales pages publiques et réponses de l'API dans le cache, comme les demanderait un "
            "visiteur de l'adresse publique (après une publication, un import, ou par cron).")

    def add_arguments(self, parser):
        parser.add_argument("--url", help="adresse publique du site (https://…) ; par défaut : AROBASE_SITE_URL")

    def handle(self, *args, url, **options):
        address = url or warming.default_site_url()
        if not address:
            raise CommandError("Donnez l'adresse publique du site : --url https://… (ou la variable AROBASE_SITE_URL).")
        address = site_url(address)

        def progress(number, total, path):
            if options["verbosity"] > 1:
                self.stdout.write(f"[{number}/{total}] {path}")

        rendered, seconds, failed = warming.warm(address, progress)
        for failure in failed:
            self.stderr.write(f"Pas de réponse 200 : {failure}")
        self.stdout.write(f"{rendered} page(s) mises en cache pour {address} en {seconds:.1f} s.")
        if failed:
            raise CommandError(f"{len(failed)} page(s) n'ont pas pu être préchauffées.")
