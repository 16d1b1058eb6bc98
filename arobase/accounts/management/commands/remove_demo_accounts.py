from django.contrib.auth.models import User
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Supprime les comptes de démonstration (mot de passe public) avant une mise en production."

    def handle(self, *args, **options):
        count, _ = User.objects.filter(demo_account__isnull=False).delete()
        self.stdout.write(self.style.SUCCESS(f"Comptes de démonstration supprimés ({count} objets)."))
