"""The dossier of an edition: choosing actions, answering, submitting, reopening."""

from django.db import transaction
from django.utils import timezone

from arobase.actions import rules as action_rules
from arobase.journal.records import record
from arobase.labels import phase_rules, season
from arobase.referential import loading as referential

from . import rules
from .models import Dossier, Membership, Question


class FilingError(Exception):
    """A refusal whose str() is the French reason."""


def dossier_for(edition, territory):
    dossier, _ = Dossier.objects.get_or_create(edition=edition, territory=territory)
    return dossier


def questions_for(edition, territory):
    return list(Question.objects.filter(edition=edition, category__in=["", territory.category or ""]))


def reference_day(edition, now):
    """Eligibility is judged on the day of filing, but never after the closing day."""
    today = timezone.localdate(now)
    return min(today, edition.closing_date) if edition.closing_date else today


def eligibility(actions, edition, now):
    """{action id: reason or None} for the candidate actions."""
    day = reference_day(edition, now)
    return {a.pk: action_rules.eligibility_refusal(a.status, a.started, a.ended, day) for a in actions}


def window_refusal(dossier, now):
    """Why the calendar forbids working on this dossier now, or None. A dossier that
    staff reopened stays editable after the deadline until evaluation starts."""
    edition = dossier.edition
    if dossier.state == rules.REOPENED and edition.phase in (season.CANDIDATURES, season.INSTRUCTION):
        return None
    if edition.phase == season.CANDIDATURES and not phase_rules.allows(edition, "can_submit"):
        return "L'équipe a suspendu le dépôt des dossiers pour cette phase."
    return season.filing_refusal(edition.phase, edition.opening_date, edition.closing_date, now)


def checklist(dossier, chosen, questions, membership, now):
    """What still blocks submission (French sentences); empty when it can be submitted."""
    edition = dossier.edition
    reasons = eligibility(chosen, edition, now)
    missing = [q.text for q in questions if q.required and not str(dossier.answers.get(str(q.pk), "")).strip()]
    return rules.blocking_reasons(
        filing_refusal=window_refusal(dossier, now),
        action_count=len(chosen),
        missing_answers=missing,
        ineligible_titles=[a.title for a in chosen if reasons[a.pk]],
        membership=membership,
        requires_payment=edition.filing_requires_payment,
    )


def covered_enjeux(actions):
    return {service.usage.enjeu.slug for action in actions for service in action.services.all()}


def mosaic(edition, actions):
    year = referential.resolve_year(edition.year)
    axes = referential.axes_and_enjeux(year) if year else []
    return rules.mosaic([(axe, list(axe.enjeux.all())) for axe in axes], covered_enjeux(actions))


def ensure_editable(dossier, now):
    if dossier.is_frozen:
        raise FilingError("Ce dossier est déposé : il ne peut plus être modifié, sauf s'il est rouvert par l'équipe.")
    refusal = window_refusal(dossier, now)
    if refusal:
        raise FilingError(str(refusal))


def snapshot(actions):
    """The actions as submitted: kept even if the sheets change afterwards."""
    return [
        {
            "id": a.pk, "title": a.title, "subtitle": a.subtitle, "summary": a.summary, "done": a.done,
            "tools": a.tools, "providers": a.providers, "results": a.results, "recommendations": a.recommendations,
            "links": a.link_list, "status": a.status,
            "started": a.started.isoformat() if a.started else None, "ended": a.ended.isoformat() if a.ended else None,
            "services": [{"slug": s.slug, "name": s.name, "enjeu": s.usage.enjeu.slug} for s in a.services.all()],
        }
        for a in actions
    ]


def submit(dossier, user, now):
    """Freeze the dossier if nothing blocks it; FilingError lists what does."""
    with transaction.atomic():
        dossier = Dossier.objects.select_for_update().select_related("edition", "territory").get(pk=dossier.pk)
        if dossier.is_frozen:
            raise FilingError("Ce dossier est déjà déposé.")
        chosen = list(dossier.actions.prefetch_related("services__usage__enjeu"))
        membership = Membership.objects.filter(edition=dossier.edition, territory=dossier.territory).first()
        blocking = checklist(dossier, chosen, questions_for(dossier.edition, dossier.territory), membership, now)
        if blocking:
            raise FilingError(" ".join(blocking))
        dossier.state, dossier.submitted_at, dossier.submitted_by = rules.SUBMITTED, now, user
        dossier.receipt_sent_at = None  # this submission's receipt is still to send (receipts.py)
        dossier.snapshot = snapshot(chosen)
        dossier.save()
        record(user, f"dossier {dossier.edition_id} déposé ({len(chosen)} actions)", territory=dossier.territory)
        return dossier


@transaction.atomic
def reopen(dossier, user, reason):
    if not reason.strip():
        raise FilingError("Indiquez le motif de la réouverture : il est envoyé aux correspondants.")
    if not dossier.is_frozen:
        raise FilingError("Seul un dossier déposé peut être rouvert.")
    dossier.state, dossier.reopened_at, dossier.reopen_reason = rules.REOPENED, timezone.now(), reason
    dossier.save()
    record(user, f"dossier {dossier.edition_id} rouvert : {reason}", territory=dossier.territory)
    return dossier
