"""`arobase season`: the season's scheduled steps, for cron (every few minutes)."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from arobase.accounts import throttle
from arobase.core.site_address import site_url
from arobase.dossiers import receipts
from arobase.evaluation import outbox, phases
from arobase.labels import season
from arobase.labels.models import Edition


class Command(BaseCommand):
    help = ("Applique le calendrier des éditions : clôt les candidatures dont la date limite est passée ; "
            "avec --url, envoie les accusés de réception de dossiers restés en attente ; envoie les messages aux lauréats "
            "validés par l'équipe (à lancer par cron).")

    def add_arguments(self, parser):
        parser.add_argument("--url", help="adresse publique du site (https://…), pour le lien des accusés de réception")

    def handle(self, *args, url=None, **options):
        base_url = site_url(url) if url is not None else None
        now = timezone.now()
        for edition in Edition.objects.filter(phase=season.CANDIDATURES):
            before = edition.phase
            phases.apply_schedule(edition, now)
            if edition.phase != before:
                self.stdout.write(f"Édition {edition.year} : candidatures closes, phase « {edition.get_phase_display()} ».")
        self.stdout.write("Calendrier appliqué.")
        self.send_receipts(base_url, now)
        throttle.purge(now)  # failed logins older than 30 days
        sent, failed = outbox.send_all(now)
        if sent or failed:
            self.stdout.write(f"Messages aux lauréats envoyés : {sent}, échecs : {failed} (nouvel essai au prochain passage).")

    def send_receipts(self, base_url, now):
        """Receipts that did not leave with their submission (mail server down, worker
        killed after the commit): see arobase/dossiers/receipts.py."""
        owed = receipts.pending(now).count()
        if not owed:
            return
        if base_url is None:
            self.stderr.write(f"{owed} accusé(s) de réception en attente : relancez avec --url https://votre.site pour les envoyer.")
            return
        sent, failed, nobody = receipts.send_pending(base_url, now)
        self.stdout.write(f"Accusés de réception envoyés : {sent}.")
        if failed:
            self.stderr.write(f"{failed} accusé(s) de réception non envoyé(s) : le serveur de messagerie a refusé ou n'a pas répondu ; "
                              "nouvel essai au prochain passage.")
        if nobody:
            self.stderr.write(f"{nobody} accusé(s) de réception sans destinataire : aucun correspondant n'est rattaché au territoire "
                              "et l'auteur du dépôt n'existe plus ; il partira dès qu'un correspondant sera rattaché.")
