"""Ceremony time: the jury's decisions become labels, in one transaction, and the
notifications wait in the outbox for staff to review and send."""

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from arobase.accounts.models import Attachment
from arobase.core import data_version
from arobase.journal.records import record
from arobase.labels import phase_rules
from arobase.labels import rules as label_rules
from arobase.labels.models import Label, Prize

from . import outbox, phases
from .models import Appeal, Decision


def level_text(arobases, hors_concours):
    return "hors concours" if hors_concours else f"{arobases} @"


def publish(edition, by, now, base_url):
    """Write the labels, move the edition to `publie`, queue the notifications.
    Raises phases.TransitionBlocked when something is missing."""
    if edition.phase != "deliberation" or not phase_rules.allows(edition, "can_publish"):
        raise phases.TransitionBlocked(["La publication se fait depuis la phase de délibération."])
    with transaction.atomic():
        decisions = list(
            Decision.objects.filter(dossier__edition=edition, dossier__state="depose")
            .select_related("dossier__territory").prefetch_related("mentions")
        )
        phases.advance(edition, by, now)  # checks the blockers under a lock
        ten_prize, _ = Prize.objects.get_or_create(slug=label_rules.TEN, defaults={"name": "Territoire d'excellence numérique"})
        for decision in decisions:
            dossier = decision.dossier
            label = Label.objects.create(
                territory=dossier.territory, edition=edition, arobases=decision.arobases,
                hors_concours=decision.hors_concours, is_demo=dossier.is_demo,
            )
            label.mentions.set(decision.mentions.all())
            if decision.ten:
                label.prizes.add(ten_prize)
            decision.label = label
            decision.save(update_fields=["label"])
        type(edition).objects.filter(pk=edition.pk).update(published_at=now)
        edition.published_at = now
        data_version.bump(data_version.PALMARES)
        queued = queue_notifications(edition, decisions, base_url)
        record(by, f"édition publiée : {len(decisions)} labels, {queued} messages à relire", edition=edition, subject="publication", before=None, after={"labels": len(decisions)})
    return len(decisions), queued


def queue_notifications(edition, decisions, base_url):
    """One message per correspondent and laureate, keyed so that it is queued once."""
    territory_ids = [d.dossier.territory_id for d in decisions]
    recipients = {}
    for territory_id, email in Attachment.objects.filter(territory_id__in=territory_ids, status=Attachment.APPROVED).values_list("territory_id", "user__email"):
        recipients.setdefault(territory_id, []).append(email)
    queued = 0
    for decision in decisions:
        territory = decision.dossier.territory
        context = {
            "territory": territory.name, "year": edition.year, "level": level_text(decision.arobases, decision.hors_concours),
            "mentions": [m.name for m in decision.mentions.all()], "ten": decision.ten,
            "profile": base_url + territory.get_absolute_url(),
            "certificate": base_url + reverse("evaluation:certificate", args=[territory.code, edition.year]),
            "appeal_days": edition.appeal_days,
        }
        for email in recipients.get(territory.pk, []):
            _, created = outbox.queue(edition, "palmares_notification", email, context, f"{edition.year}:palmares:{territory.pk}:{email.lower()}", territory)
            queued += created
    return queued


def appeal_deadline(edition):
    if edition.published_at is None:
        return None
    return edition.published_at + timezone.timedelta(days=edition.appeal_days)


def open_appeals(edition):
    return Appeal.objects.filter(dossier__edition=edition).exclude(state=Appeal.DECIDED)
