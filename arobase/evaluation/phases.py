"""The phases of an edition as data (CONTRACT §9): what each allows, what blocks the
next one, and the transitions staff make from /gestion/<year>/."""

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q

from arobase.journal.records import record
from arobase.labels import season
from arobase.labels.phase_rules import next_phase, rules_of


class TransitionBlocked(Exception):
    """The next phase cannot start; `reasons` lists why, in French."""

    def __init__(self, reasons):
        super().__init__(" ".join(reasons))
        self.reasons = reasons


def blockers(edition, now):
    """What prevents the edition from entering its next phase (empty: nothing)."""
    from arobase.dossiers import rules as dossier_rules
    from arobase.dossiers.models import Dossier
    from arobase.referential.models import Axe

    target = next_phase(edition.phase)
    if target is None:
        return ["L'édition est publiée : c'est la dernière phase."]
    reasons = []
    submitted = Dossier.objects.filter(edition=edition, state=dossier_rules.SUBMITTED)
    if target == season.CANDIDATURES:
        if not edition.closing_date:
            reasons.append("Fixez la date de clôture des dossiers.")
        if not Axe.objects.filter(edition=edition).exists():
            reasons.append("Le référentiel de l'édition n'est pas chargé.")
    elif target == season.INSTRUCTION:
        if edition.closing_date and now <= season.closing_moment(edition.closing_date):
            reasons.append(
                f"Les candidatures sont ouvertes jusqu'au {edition.closing_date:%d/%m/%Y} à minuit : "
                "avancez la date de clôture pour les clore plus tôt."
            )
    elif target == season.EVALUATION:
        if not edition.criteria.exists():
            reasons.append("La grille d'évaluation est vide : ajoutez des critères (admin › Grille d'évaluation).")
        if Dossier.objects.filter(edition=edition, state=dossier_rules.REOPENED).exists():
            reasons.append("Des dossiers rouverts n'ont pas été déposés à nouveau.")
        if not submitted.exists():
            reasons.append("Aucun dossier déposé.")
        per_dossier = settings.EVALUATORS_PER_DOSSIER
        short = submitted.annotate(n=Count("reviews", filter=Q(reviews__purpose="evaluation"))).filter(n__lt=per_dossier).count()
        if short:
            reasons.append(f"{short} dossier(s) ont moins de {per_dossier} évaluateurs.")
    elif target == season.DELIBERATION:
        waiting = edition_reviews(edition).filter(submitted_at__isnull=True).count()
        if waiting:
            reasons.append(f"{waiting} avis ne sont pas soumis.")
    elif target == season.PUBLIE:
        undecided = submitted.filter(decision__isnull=True).count()
        if undecided:
            reasons.append(f"{undecided} dossier(s) déposés n'ont pas de décision du jury.")
        if edition.labels.exists():
            reasons.append("Des labels de cette année existent déjà (import) : la publication les remplacerait.")
    return reasons


def edition_reviews(edition):
    from .models import Review

    return Review.objects.filter(dossier__edition=edition, purpose=Review.EVALUATION)


def advance(edition, by, now, automatic=False):
    """Move the edition to its next phase, or raise TransitionBlocked. Publication goes
    through publication.publish, which calls this once the labels are written."""
    with transaction.atomic():
        locked = type(edition).objects.select_for_update().get(pk=edition.pk)
        if locked.phase != edition.phase:
            raise TransitionBlocked(["L'édition a changé de phase entre-temps : rechargez la page."])
        reasons = blockers(locked, now)
        if reasons:
            raise TransitionBlocked(reasons)
        before, locked.phase = locked.phase, next_phase(locked.phase)
        locked.save(update_fields=["phase"])
        how = "automatiquement à la date de clôture" if automatic else "par l'équipe"
        record(by, f"passage en phase « {locked.get_phase_display()} » ({how})", edition=locked, subject="phase", before={"phase": before}, after={"phase": locked.phase})
        edition.phase = locked.phase
        rules_of(locked)
    return edition


def apply_schedule(edition, now):
    """Candidatures close by themselves once the deadline has passed (called when the
    edition is read by the season's pages, and by `arobase season` from cron)."""
    if edition.phase == season.CANDIDATURES and edition.closing_date and now > season.closing_moment(edition.closing_date):
        try:
            advance(edition, None, now, automatic=True)
        except TransitionBlocked:
            pass
    return edition
