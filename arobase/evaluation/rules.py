"""Scoring rules of the jury season, in pure Python so they can be tested without a database."""

import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Hashable, Iterable, Mapping, Sequence

Review = tuple[Hashable, Hashable, float]


@dataclass(frozen=True)
class CriterionSpec:
    """One criterion of the grid; scores go from 0 to scale_max."""

    key: str
    weight: float
    scale_max: int
    required: bool = True


def weighted_score(scores: Mapping[str, float | None], criteria: Sequence[CriterionSpec]) -> float | None:
    """Score on 0..100, so grids with different scales compare; None when it cannot be decided yet."""
    total = weights = 0.0
    for criterion in criteria:
        value = scores.get(criterion.key)
        if value is None:
            if criterion.required:
                return None
            continue
        if criterion.scale_max <= 0:
            raise ValueError(f"scale_max must be positive for {criterion.key!r}")
        if not 0 <= value <= criterion.scale_max:
            raise ValueError(f"score {value!r} outside 0..{criterion.scale_max} for {criterion.key!r}")
        total += criterion.weight * value / criterion.scale_max
        weights += criterion.weight
    if weights == 0:
        return None
    return 100 * total / weights


def combine(values: Iterable[float], method: str = "mean") -> float | None:
    """Combine several evaluators' scores; the median resists one outlier."""
    if method not in ("mean", "median"):
        raise ValueError(f"unknown method {method!r}")
    values = list(values)
    if not values:
        return None
    return float(statistics.mean(values) if method == "mean" else statistics.median(values))


def calibrate(reviews: Sequence[Review], min_reviews: int = 3, shrinkage: float = 5.0) -> dict[tuple[Hashable, Hashable], float]:
    """Correct each evaluator's severity and spread, shrunk toward the whole so few reviews move little."""
    if shrinkage < 0:
        raise ValueError("shrinkage must be >= 0")
    raws = {(evaluator, dossier): float(raw) for evaluator, dossier, raw in reviews}
    if len(raws) != len(reviews):
        raise ValueError("one review per evaluator and dossier")
    if not raws:
        return {}
    # Exact statistics (not fmean) so the result does not depend on the order of the reviews.
    mu = float(statistics.mean(raws.values()))
    sigma = float(statistics.pstdev(raws.values()))
    by_evaluator = defaultdict(list)
    for (evaluator, _), raw in raws.items():
        by_evaluator[evaluator].append(raw)
    k = float(shrinkage)
    # Each evaluator's shrunk mean and spread, once: per review, it cost reviews × reviews
    # of exact arithmetic (seconds at 3 000 dossiers).
    shrunk = {}
    for evaluator, own in by_evaluator.items():
        n = len(own)
        if n >= min_reviews and sigma != 0:
            m = (n * float(statistics.mean(own)) + k * mu) / (n + k)
            s = (n * float(statistics.pstdev(own)) + k * sigma) / (n + k)
            shrunk[evaluator] = (m, s or sigma)
    result = {}
    for (evaluator, dossier), raw in raws.items():
        if evaluator not in shrunk:
            result[evaluator, dossier] = raw
            continue
        m, s = shrunk[evaluator]
        result[evaluator, dossier] = min(100.0, max(0.0, mu + sigma * ((raw - m) / s)))
    return result


def disagreement(values: Sequence[float], threshold: float) -> bool:
    """Evaluators far apart on a dossier: the jury should discuss it."""
    return len(values) >= 2 and max(values) - min(values) > threshold


def proposals_disagree(levels: Sequence[int]) -> bool:
    """Proposed @ two levels or more apart."""
    return len(levels) >= 2 and max(levels) - min(levels) >= 2


def suggested_level(score: float | None, thresholds: Sequence[float] = (20, 40, 60, 80)) -> int | None:
    """Number of @ suggested by a score; reaching a threshold exactly goes up."""
    if any(b <= a for a, b in zip(thresholds, thresholds[1:])):
        raise ValueError("thresholds must be increasing")
    if score is None:
        return None
    return 1 + sum(score >= threshold for threshold in thresholds)


@dataclass
class DossierAggregate:
    """What the jury sees for one dossier."""

    raw: float | None
    calibrated: float | None
    suggested: int | None
    flags: list[str] = field(default_factory=list)


def aggregate_dossiers(
    reviews: Sequence[Review],
    proposals: Mapping[Hashable, Sequence[int]],
    method: str = "mean",
    min_reviews: int = 3,
    shrinkage: float = 5.0,
    thresholds: Sequence[float] = (20, 40, 60, 80),
    disagreement_points: float = 25.0,
) -> dict[Hashable, DossierAggregate]:
    """One aggregate per dossier found in the reviews or the proposals."""
    calibrated = calibrate(reviews, min_reviews=min_reviews, shrinkage=shrinkage)
    raw_by, cal_by = defaultdict(list), defaultdict(list)
    for evaluator, dossier, raw in reviews:
        raw_by[dossier].append(float(raw))
        cal_by[dossier].append(calibrated[evaluator, dossier])
    result = {}
    for dossier in list(dict.fromkeys([*raw_by, *proposals])):
        raws, levels = raw_by.get(dossier, []), proposals.get(dossier, ())
        flags = []
        if disagreement(raws, disagreement_points):
            flags.append("ecart-notes")
        if proposals_disagree(levels):
            flags.append("ecart-propositions")
        if len(raws) < 2:
            flags.append("un-seul-avis")
        score = combine(cal_by.get(dossier, []), method)
        result[dossier] = DossierAggregate(combine(raws, method), score, suggested_level(score, thresholds), flags)
    return result
