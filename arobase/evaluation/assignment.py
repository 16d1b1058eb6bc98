"""Who reviews which dossier: by hand, in bulk, or planned automatically."""

from collections import Counter, defaultdict

from django.conf import settings
from django.contrib.auth.models import User
from django.db import IntegrityError, transaction

from arobase.accounts.models import Role
from arobase.dossiers import rules as dossier_rules
from arobase.dossiers.models import Dossier
from arobase.journal.records import record

from . import conflicts
from .models import Review


class AssignmentError(Exception):
    """A refused assignment; str() is the French reason."""


def pool():
    """The evaluators, by name."""
    return User.objects.filter(roles__kind=Role.EVALUATOR, is_active=True).distinct().order_by("last_name", "first_name", "email")


def submitted_dossiers(edition):
    return Dossier.objects.filter(edition=edition, state=dossier_rules.SUBMITTED).select_related("territory")


def plan(dossiers, evaluators, existing, forbidden, per_dossier):
    """New (dossier, evaluator) pairs so that each dossier has `per_dossier` evaluators:
    the most constrained dossiers first, then the least loaded evaluator, preferring one
    who has seen fewest dossiers of the same région. Deterministic; a plain function.

    dossiers: [(dossier key, région key)]; evaluators: [evaluator key];
    existing: {dossier: set of evaluators}; forbidden: set of (evaluator, dossier)."""
    load = Counter(e for assigned in existing.values() for e in assigned)
    seen_regions = defaultdict(Counter)
    regions = dict(dossiers)
    for dossier, assigned in existing.items():
        for evaluator in assigned:
            seen_regions[evaluator][regions.get(dossier)] += 1
    order = {e: i for i, e in enumerate(evaluators)}

    def allowed(dossier):
        return [e for e in evaluators if (e, dossier) not in forbidden and e not in existing.get(dossier, set())]

    pairs = []
    for dossier, region in sorted(dossiers, key=lambda d: (len(allowed(d[0])), str(d[0]))):
        assigned = set(existing.get(dossier, set()))
        while len(assigned) < per_dossier:
            candidates = [e for e in allowed(dossier) if e not in assigned]
            if not candidates:
                break
            chosen = min(candidates, key=lambda e: (load[e], seen_regions[e][region], order[e]))
            assigned.add(chosen)
            load[chosen] += 1
            seen_regions[chosen][region] += 1
            pairs.append((dossier, chosen))
    return pairs


def assign(dossier, evaluator, by, purpose=Review.EVALUATION):
    """Assign one evaluator to one dossier, unless a conflict forbids it."""
    found = conflicts.conflicts_of(dossier.edition, evaluator, dossier.territory)
    if conflicts.blocking(found):
        raise AssignmentError(
            f"{evaluator.get_full_name() or evaluator.email} est en conflit d'intérêts avec {dossier.territory.name} : "
            + ", ".join(c.label for c in found if not c.is_warning)
            + ". L'équipe peut lever le conflit avec un motif (page Conflits)."
        )
    if not Role.objects.filter(user=evaluator, kind=Role.EVALUATOR).exists():
        raise AssignmentError(f"{evaluator.email} n'est pas évaluateur.")
    try:
        with transaction.atomic():
            review = Review.objects.create(dossier=dossier, evaluator=evaluator, purpose=purpose, assigned_by=by)
    except IntegrityError:
        raise AssignmentError(f"{evaluator.get_full_name() or evaluator.email} évalue déjà le dossier de {dossier.territory.name}.") from None
    record(by, f"{review.evaluator.email} affecté au dossier ({review.get_purpose_display()})", edition=dossier.edition, territory=dossier.territory, subject="affectation", before=None, after={"evaluateur": evaluator.email})
    return review


@transaction.atomic
def unassign(review, by):
    if review.is_submitted:
        raise AssignmentError("Cet avis est soumis : il ne peut plus être retiré.")
    record(by, f"{review.evaluator.email} retiré du dossier", edition=review.dossier.edition, territory=review.dossier.territory, subject="affectation", before={"evaluateur": review.evaluator.email}, after=None)
    review.delete()


@transaction.atomic
def auto_assign(edition, by, per_dossier=None):
    """Complete every submitted dossier to `per_dossier` evaluators; returns
    (pairs made, dossiers still short)."""
    per_dossier = per_dossier or settings.EVALUATORS_PER_DOSSIER
    dossiers = list(submitted_dossiers(edition))
    evaluators = list(pool())
    existing = defaultdict(set)
    for dossier_id, evaluator_id in Review.objects.filter(dossier__in=dossiers, purpose=Review.EVALUATION).values_list("dossier_id", "evaluator_id"):
        existing[dossier_id].add(evaluator_id)
    found = conflicts.conflict_map(edition, [e.pk for e in evaluators], [d.territory for d in dossiers])
    by_territory = {d.territory_id: d.pk for d in dossiers}
    forbidden = {(u, by_territory[t]) for (u, t), cs in found.items() if conflicts.blocking(cs)}
    pairs = plan([(d.pk, d.territory.region_id) for d in dossiers], [e.pk for e in evaluators], existing, forbidden, per_dossier)
    Review.objects.bulk_create(Review(dossier_id=d, evaluator_id=e, assigned_by=by) for d, e in pairs)
    short = sum(1 for d in dossiers if len(existing[d.pk]) + sum(1 for p in pairs if p[0] == d.pk) < per_dossier)
    record(by, f"affectation automatique : {len(pairs)} affectations, {short} dossier(s) incomplets", edition=edition, subject="affectation", before=None, after={"paires": len(pairs)})
    return pairs, short
