"""Appeals: filed by a correspondent within the edition's period, re-examined by an
evaluator who has no conflict and did not review the dossier, decided by the jury; a
changed label is published with a note."""

from django.db import IntegrityError, transaction
from django.utils import timezone

from arobase.journal.records import record
from arobase.labels import phase_rules
from arobase.labels.models import Label

from . import assignment, conflicts, outbox, publication, text
from .models import Appeal, Review


class AppealError(Exception):
    """A refusal; str() is the French reason."""


def refusal(dossier, now):
    """Why an appeal cannot be filed now for this dossier, or None."""
    edition = dossier.edition
    if not edition.is_published or not phase_rules.allows(edition, "can_appeal"):
        return "Les recours ne sont pas ouverts pour cette édition."
    deadline = publication.appeal_deadline(edition)
    if deadline and now > deadline:
        return f"Le délai de recours ({edition.appeal_days} jours après la publication) est écoulé depuis le {timezone.localtime(deadline):%d/%m/%Y}."
    if not Label.objects.filter(edition=edition, territory=dossier.territory).exists():
        return "Aucun label publié pour ce dossier."
    if Appeal.objects.filter(dossier=dossier).exists():
        return "Un recours a déjà été déposé pour ce dossier."
    return None


def file(dossier, by, reason, now):
    reason = text.clean(reason, 5000)
    if not reason:
        raise AppealError("Exposez le motif du recours.")
    if problem := refusal(dossier, now):
        raise AppealError(problem)
    label = Label.objects.get(edition=dossier.edition, territory=dossier.territory)
    try:
        with transaction.atomic():
            appeal = Appeal.objects.create(dossier=dossier, filed_by=by, reason=reason[:5000], arobases_before=label.arobases)
            record(by, "recours déposé", edition=dossier.edition, territory=dossier.territory, subject="recours", before=None, after={"motif": reason[:300]})
    except IntegrityError:
        raise AppealError("Un recours a déjà été déposé pour ce dossier.") from None
    return appeal


def eligible_reexaminers(appeal):
    """Evaluators without conflict who did not review the dossier, least loaded first."""
    dossier = appeal.dossier
    reviewed = set(Review.objects.filter(dossier=dossier).values_list("evaluator_id", flat=True))
    evaluators = [e for e in assignment.pool() if e.pk not in reviewed]
    found = conflicts.conflict_map(dossier.edition, [e.pk for e in evaluators], [dossier.territory])
    return [e for e in evaluators if not conflicts.blocking(found[(e.pk, dossier.territory_id)])]


def assign_reexamination(appeal, by):
    candidates = eligible_reexaminers(appeal)
    if not candidates:
        raise AppealError("Aucun évaluateur sans conflit et n'ayant pas déjà évalué ce dossier n'est disponible.")
    loads = {}
    for evaluator_id in Review.objects.filter(dossier__edition=appeal.dossier.edition, evaluator__in=candidates).values_list("evaluator_id", flat=True):
        loads[evaluator_id] = loads.get(evaluator_id, 0) + 1
    chosen = min(candidates, key=lambda e: (loads.get(e.pk, 0), e.pk))
    try:
        return assignment.assign(appeal.dossier, chosen, by, purpose=Review.APPEAL)
    except assignment.AssignmentError as error:
        raise AppealError(str(error)) from None


def mark_examined(review):
    Appeal.objects.filter(dossier=review.dossier, state=Appeal.FILED).update(state=Appeal.EXAMINED)


def decide(appeal, by, outcome, level, now, base_url):
    """The jury's answer; a changed level updates the published label with a note."""
    outcome = text.clean(outcome, 5000)
    if appeal.state == Appeal.DECIDED:
        raise AppealError("Ce recours est déjà tranché.")
    if appeal.state != Appeal.EXAMINED:
        raise AppealError("Le recours doit d'abord être réexaminé par un évaluateur.")
    if not outcome:
        raise AppealError("Motivez la décision sur le recours : elle est envoyée au candidat.")
    if level not in {"1", "2", "3", "4", "5"}:
        raise AppealError("Choisissez le nombre d'@ après recours (de 1 à 5).")
    if conflicts.is_conflicted(appeal.dossier.edition, by, appeal.dossier.territory):
        raise AppealError("Vous avez un conflit d'intérêts avec ce candidat.")
    dossier, new = appeal.dossier, int(level)
    with transaction.atomic():
        label = Label.objects.select_for_update().get(edition=dossier.edition, territory=dossier.territory)
        before = label.arobases
        if new != before:
            label.arobases, label.hors_concours = new, False
            label.note = f"Label modifié après recours le {timezone.localdate(now):%d/%m/%Y} : {publication.level_text(before, before is None)} → {new} @."
            label.save()
        appeal.state, appeal.outcome, appeal.arobases_after = Appeal.DECIDED, outcome[:5000], new
        appeal.decided_by, appeal.decided_at = by, now
        appeal.save()
        record(by, "recours tranché" + (" : label modifié" if new != before else " : label maintenu"), edition=dossier.edition, territory=dossier.territory, subject="recours", before={"arobases": before}, after={"arobases": new, "motivation": outcome[:300]})
        for email in dossier.territory.attachments.filter(status="approuve").values_list("user__email", flat=True):
            outbox.queue(dossier.edition, "appeal_decided", email, {
                "territory": dossier.territory.name, "year": dossier.edition_id, "outcome": outcome,
                "before": before, "after": new, "profile": base_url + dossier.territory.get_absolute_url(),
            }, f"{dossier.edition_id}:recours:{dossier.territory_id}:{email.lower()}", dossier.territory)
    return appeal
