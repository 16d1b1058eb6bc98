"""An evaluator's work on a dossier: scoring the grid, saving a draft, submitting, and
seeing the others' reviews only afterwards."""

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, Max
from django.utils import timezone

from arobase.core.numbers import parse_ids, parse_int
from arobase.journal.records import record
from arobase.labels import phase_rules
from arobase.labels.models import Mention

from . import conflicts, rules, text
from .models import Review


class ReviewError(Exception):
    """A refused save; str() is the French reason."""


def criterion_specs(criteria):
    return [rules.CriterionSpec(str(c.pk), float(c.weight), c.scale_max, c.required) for c in criteria]


def offered_mentions(edition):
    """The mentions open in this edition (all current ones when none is chosen)."""
    chosen = edition.mentions.all()
    return list(chosen) if chosen.exists() else list(Mention.objects.filter(last_year__isnull=True))


def parse_scores(criteria, data):
    """{criterion pk (str): int} from the form; ReviewError for a value off the scale."""
    scores = {}
    for criterion in criteria:
        raw = (data.get(f"score-{criterion.pk}") or "").strip()
        if raw == "":
            continue
        score = parse_int(raw, 0, criterion.scale_max)
        if score is None:
            raise ReviewError(f"« {criterion.name} » : la note va de 0 à {criterion.scale_max}.")
        scores[str(criterion.pk)] = score
    return scores


def save(review, criteria, data, submit, by):
    """Save the evaluator's draft, or submit it (then it is final)."""
    edition = review.dossier.edition
    if not phase_rules.allows(edition, "can_review") and review.purpose == Review.EVALUATION:
        raise ReviewError("La phase d'évaluation est close : les avis ne peuvent plus être modifiés.")
    if review.is_submitted:
        raise ReviewError("Cet avis est soumis : il ne peut plus être modifié.")
    if conflicts.is_conflicted(edition, by, review.dossier.territory):
        raise ReviewError("Vous avez un conflit d'intérêts avec ce candidat.")
    scores = parse_scores(criteria, data)
    level = (data.get("proposed_arobases") or "").strip()
    if level and level not in {"1", "2", "3", "4", "5"}:
        raise ReviewError("Le nombre d'@ proposé va de 1 à 5.")
    comment = text.clean(data.get("comment"), 10000)
    mention_ids = {m.pk for m in offered_mentions(edition)}
    chosen = [pk for pk in parse_ids(data.getlist("mentions")) if pk in mention_ids]
    score = rules.weighted_score(scores, criterion_specs(criteria))
    if submit:
        missing = [c.name for c in criteria if c.required and str(c.pk) not in scores]
        problems = []
        if missing:
            problems.append("Notez les critères obligatoires : " + ", ".join(missing) + ".")
        if not level:
            problems.append("Proposez un nombre d'@.")
        if not comment.strip():
            problems.append("Écrivez un commentaire pour le jury.")
        if problems:
            raise ReviewError(" ".join(problems))
    with transaction.atomic():
        locked = Review.objects.select_for_update().get(pk=review.pk)
        if locked.is_submitted:
            raise ReviewError("Cet avis est soumis : il ne peut plus être modifié.")
        review.scores, review.comment, review.score = scores, comment, score
        review.proposed_arobases = int(level) if level else None
        review.submitted_at = timezone.now() if submit else None
        review.save()
        review.proposed_mentions.set(chosen)
        if submit:
            record(by, "avis soumis", edition=edition, territory=review.dossier.territory, subject="avis", before=None, after={"note": score, "arobases": review.proposed_arobases})
    return review


def others_visible(review, user):
    """Whether the evaluator may read the other reviews of this dossier."""
    edition = review.dossier.edition
    return (
        review.is_submitted and phase_rules.allows(edition, "can_see_reviews")
        and not conflicts.is_conflicted(edition, user, review.dossier.territory)
    )


def aggregates(edition):
    """{dossier id: rules.DossierAggregate} from the edition's submitted reviews.

    Kept in the cache under the reviews' count and latest change: the jury reads the
    ranking far more often than evaluators write, and calibrating every review of 3 000
    dossiers takes a second."""
    submitted = Review.objects.filter(dossier__edition=edition, purpose=Review.EVALUATION, submitted_at__isnull=False)
    stamp = Review.objects.filter(dossier__edition=edition).aggregate(count=Count("pk"), changed=Max("updated_at"))
    key = f"review-aggregates:{edition.pk}:{stamp['count']}:{stamp['changed'] and stamp['changed'].isoformat()}"
    found = _recent_aggregates.get(key)
    if found is None:
        found = cache.get(key)
    if found is not None:
        _remember(key, found)
        return found
    rows = list(submitted.values_list("evaluator_id", "dossier_id", "score", "proposed_arobases"))
    scored = [(evaluator, dossier, score) for evaluator, dossier, score, _ in rows if score is not None]
    proposals = {}
    for _, dossier_id, _, level in rows:
        if level:
            proposals.setdefault(dossier_id, []).append(level)
    found = rules.aggregate_dossiers(
        scored, proposals, method=settings.AGGREGATION, min_reviews=settings.CALIBRATION_MIN_REVIEWS,
        shrinkage=settings.CALIBRATION_SHRINKAGE, thresholds=settings.LEVEL_THRESHOLDS,
        disagreement_points=settings.DISAGREEMENT_POINTS,
    )
    cache.set(key, found, 3600)
    _remember(key, found)
    return found


# The last few aggregates, in this process: reading 3 000 of them back from the cache
# (unpickling) took 0.1 s of each deliberation page. The key changes with any review,
# so an entry is never stale; the shared cache still spares other workers the computing.
_recent_aggregates = {}


def _remember(key, found, kept=4):
    if key not in _recent_aggregates:
        while len(_recent_aggregates) >= kept:
            _recent_aggregates.pop(next(iter(_recent_aggregates)))
        _recent_aggregates[key] = found
