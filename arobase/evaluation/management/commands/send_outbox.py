"""`arobase send_outbox`: send the notifications staff released (cron, every few minutes)."""

from django.core.management.base import BaseCommand

from arobase.evaluation import outbox


class Command(BaseCommand):
    help = "Envoie les messages aux lauréats validés par l'équipe, et reprend ceux qu'un envoi interrompu a laissés (cron)."

    def handle(self, *args, **options):
        sent, failed = outbox.send_all()
        self.stdout.write(f"Messages envoyés : {sent}.")
        if failed:
            self.stderr.write(f"{failed} message(s) non envoyé(s) : le serveur de messagerie a refusé ou n'a pas répondu ; "
                              "nouvel essai au prochain passage.")
