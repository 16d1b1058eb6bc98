"""Scoring rules of the jury season: pure functions, no database."""

import math
import statistics

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from arobase.evaluation.rules import (
    CriterionSpec,
    DossierAggregate,
    aggregate_dossiers,
    calibrate,
    combine,
    disagreement,
    proposals_disagree,
    suggested_level,
    weighted_score,
)

SCORES = st.floats(min_value=0, max_value=100, allow_nan=False, allow_subnormal=False)
# One review per (evaluator, dossier): a few evaluators, a few dossiers.
REVIEWS = st.dictionaries(
    st.tuples(st.integers(0, 3), st.integers(0, 5)), SCORES, min_size=1, max_size=24
).map(lambda d: [(e, dossier, raw) for (e, dossier), raw in d.items()])
TOL = 1e-6


# weighted_score

GRID = [CriterionSpec("a", weight=2, scale_max=10), CriterionSpec("b", weight=1, scale_max=5)]
WITH_OPTIONAL = [CriterionSpec("a", 1, 10), CriterionSpec("c", 3, 4, required=False)]


def test_weighted_score_weights_and_scales():
    assert weighted_score({"a": 5, "b": 5}, GRID) == pytest.approx(100 * (2 * 0.5 + 1 * 1) / 3)
    assert weighted_score({"a": 10, "b": 5}, GRID) == pytest.approx(100)
    assert weighted_score({"a": 0, "b": 0}, GRID) == 0


def test_weighted_score_required_missing_is_none():
    assert weighted_score({"a": 5}, GRID) is None
    assert weighted_score({"a": 5, "b": None}, GRID) is None


def test_weighted_score_optional_missing_is_left_out():
    assert weighted_score({"a": 10}, WITH_OPTIONAL) == pytest.approx(100)
    assert weighted_score({"a": 10, "c": None}, WITH_OPTIONAL) == pytest.approx(100)
    assert weighted_score({"a": 10, "c": 0}, WITH_OPTIONAL) == pytest.approx(25)


def test_weighted_score_nothing_scored_or_zero_weight_is_none():
    optional = [CriterionSpec("x", 1, 5, required=False), CriterionSpec("z", 0, 5, required=False)]
    assert weighted_score({}, optional) is None
    assert weighted_score({"z": 3}, optional) is None
    assert weighted_score({}, []) is None


def test_weighted_score_ignores_unknown_keys():
    assert weighted_score({"a": 5, "b": 5, "other": 999}, GRID) == weighted_score({"a": 5, "b": 5}, GRID)


@pytest.mark.parametrize("value", [-1, 10.5, 11])
def test_weighted_score_out_of_scale_raises(value):
    with pytest.raises(ValueError, match=rf"score {value!r} outside 0\.\.\d+ for 'a'"):
        weighted_score({"a": value, "b": 1}, GRID)


@settings(max_examples=100)
@given(st.floats(0, 10), st.floats(0, 5))
def test_weighted_score_stays_in_0_100(a, b):
    assert 0 <= weighted_score({"a": a, "b": b}, GRID) <= 100 + TOL


# combine


def test_median_of_three():
    assert combine([10, 20, 90], "median") == 20
    assert combine([10, 20, 90]) == pytest.approx(40)
    assert combine([10, 20], "median") == 15


def test_outlier_moves_mean_not_median():
    assert combine([10, 20, 30], "median") == combine([10, 20, 100], "median") == 20
    assert combine([10, 20, 30], "mean") == pytest.approx(20)
    assert combine([10, 20, 100], "mean") == pytest.approx(130 / 3)


def test_combine_empty_and_unknown_method():
    assert combine([]) is None
    assert combine(iter([]), "median") is None
    with pytest.raises(ValueError, match="unknown method 'mode'"):
        combine([1, 2], "mode")


# calibrate


def test_calibrate_corrects_a_severe_evaluator():
    reviews = [("A", d, raw) for d, raw in zip("xyz", [40, 50, 60])]
    reviews += [("B", d, raw) for d, raw in zip("xyz", [60, 70, 80])]
    result = calibrate(reviews, shrinkage=0)
    for dossier in "xyz":
        assert result["A", dossier] == pytest.approx(result["B", dossier])
    assert result["A", "x"] == pytest.approx(60 - 10 * math.sqrt(2.5))
    assert result["A", "y"] == pytest.approx(60)
    shrunk = calibrate(reviews, shrinkage=5)
    assert 40 < shrunk["A", "x"] < result["A", "x"]


def test_calibrate_degenerate_cases():
    assert calibrate([]) == {}
    same = [(e, d, 50.0) for e in "AB" for d in "xyzw"]
    assert calibrate(same, shrinkage=0) == {(e, d): 50.0 for e, d, _ in same}
    with pytest.raises(ValueError, match="one review per evaluator and dossier"):
        calibrate([("A", "x", 10), ("A", "x", 20)])
    with pytest.raises(ValueError, match="shrinkage must be >= 0"):
        calibrate([("A", "x", 10)], shrinkage=-1)


@settings(max_examples=100)
@given(REVIEWS, st.data())
def test_calibrate_order_invariant(reviews, data):
    shuffled = data.draw(st.permutations(reviews))
    first, second = calibrate(reviews), calibrate(shuffled)
    assert first.keys() == second.keys()
    for key, value in first.items():
        assert math.isclose(value, second[key], abs_tol=TOL)


@settings(max_examples=100)
@given(REVIEWS, st.integers(1, 8), st.floats(0, 50))
def test_calibrate_below_min_reviews_keeps_raw(reviews, min_reviews, shrinkage):
    counts = {}
    for evaluator, _, _ in reviews:
        counts[evaluator] = counts.get(evaluator, 0) + 1
    result = calibrate(reviews, min_reviews=min_reviews, shrinkage=shrinkage)
    for evaluator, dossier, raw in reviews:
        if counts[evaluator] < min_reviews:
            assert result[evaluator, dossier] == raw


@settings(max_examples=100)
@given(REVIEWS, st.floats(0.01, 100))
def test_calibrate_shrinkage_never_corrects_more_than_unshrunk(reviews, k):
    unshrunk, shrunk = calibrate(reviews, shrinkage=0), calibrate(reviews, shrinkage=k)
    for evaluator, dossier, raw in reviews:
        low, high = sorted([raw, unshrunk[evaluator, dossier]])
        assert low - TOL <= shrunk[evaluator, dossier] <= high + TOL


@settings(max_examples=100)
@given(REVIEWS)
def test_calibrate_huge_shrinkage_keeps_raw(reviews):
    result = calibrate(reviews, min_reviews=1, shrinkage=1e9)
    for evaluator, dossier, raw in reviews:
        assert abs(result[evaluator, dossier] - raw) <= 1e-3


@settings(max_examples=100)
@given(st.lists(st.floats(0, 90, allow_subnormal=False), min_size=3, max_size=8))
def test_calibrate_constant_offset_is_removed(base):
    assume(statistics.pstdev(base) > 0.01)
    reviews = [("A", i, x) for i, x in enumerate(base)] + [("B", i, x + 10) for i, x in enumerate(base)]
    result = calibrate(reviews, min_reviews=3, shrinkage=0)
    for i in range(len(base)):
        assert math.isclose(result["A", i], result["B", i], abs_tol=TOL)


@settings(max_examples=100)
@given(REVIEWS, st.integers(0, 5), st.floats(0, 1e6))
def test_calibrate_stays_in_0_100(reviews, min_reviews, k):
    result = calibrate(reviews, min_reviews=min_reviews, shrinkage=k)
    assert len(result) == len(reviews)
    assert all(0 <= value <= 100 for value in result.values())


# disagreement, proposals, suggested level


def test_disagreement():
    assert not disagreement([], 25)
    assert not disagreement([90], 25)
    assert not disagreement([10, 35], 25)
    assert disagreement([10, 36], 25)
    assert disagreement([50, 10, 40], 25)


def test_proposals_disagree():
    assert not proposals_disagree([])
    assert not proposals_disagree([3])
    assert not proposals_disagree([3, 4, 4])
    assert proposals_disagree([2, 4])
    assert proposals_disagree([5, 3, 4])


def test_suggested_level_bounds_and_thresholds():
    assert suggested_level(0) == 1
    assert suggested_level(100) == 5
    assert suggested_level(19.99) == 1
    assert suggested_level(20) == 2
    assert suggested_level(79.9) == 4
    assert suggested_level(80) == 5
    assert suggested_level(None) is None
    assert suggested_level(50, thresholds=(50,)) == 2


@pytest.mark.parametrize("thresholds", [(20, 20, 60, 80), (40, 20), (20, 60, 40, 80)])
def test_suggested_level_needs_increasing_thresholds(thresholds):
    with pytest.raises(ValueError, match="thresholds must be increasing"):
        suggested_level(50, thresholds)


@settings(max_examples=100)
@given(st.floats(allow_nan=False), st.floats(allow_nan=False))
def test_suggested_level_always_1_to_5_and_monotone(a, b):
    low, high = sorted([a, b])
    assert 1 <= suggested_level(low) <= suggested_level(high) <= 5


# aggregate_dossiers


def test_aggregate_flags_and_values():
    reviews = [("e1", "d1", 30), ("e2", "d1", 70), ("e1", "d2", 50), ("e2", "d2", 60), ("e1", "d3", 85)]
    proposals = {"d1": [2, 4], "d2": [3, 3], "d4": [3]}
    result = aggregate_dossiers(reviews, proposals, min_reviews=10)
    assert result.keys() == {"d1", "d2", "d3", "d4"}
    assert result["d1"] == DossierAggregate(50.0, 50.0, 3, ["ecart-notes", "ecart-propositions"])
    assert result["d2"] == DossierAggregate(55.0, 55.0, 3, [])
    assert result["d3"] == DossierAggregate(85.0, 85.0, 5, ["un-seul-avis"])
    assert result["d4"] == DossierAggregate(None, None, None, ["un-seul-avis"])


def test_aggregate_median_and_thresholds():
    reviews = [("e1", "d", 10), ("e2", "d", 20), ("e3", "d", 90)]
    median = aggregate_dossiers(reviews, {}, method="median", thresholds=(15, 50))["d"]
    assert (median.raw, median.calibrated, median.suggested) == (20, 20, 2)
    assert median.flags == ["ecart-notes"]
    mean = aggregate_dossiers(reviews, {}, disagreement_points=80)["d"]
    assert mean.raw == pytest.approx(40) and mean.flags == []


def test_aggregate_uses_calibrated_scores():
    reviews = [("A", d, raw) for d, raw in zip("xyz", [40, 50, 60])]
    reviews += [("B", d, raw) for d, raw in zip("xyz", [60, 70, 80])]
    result = aggregate_dossiers(reviews, {}, shrinkage=0)
    calibrated = calibrate(reviews, shrinkage=0)
    assert result["x"].raw == pytest.approx(50)
    assert result["x"].calibrated == pytest.approx((calibrated["A", "x"] + calibrated["B", "x"]) / 2)
    assert result["x"].suggested == suggested_level(result["x"].calibrated) == 3


@settings(max_examples=100)
@given(REVIEWS, st.dictionaries(st.integers(0, 8), st.lists(st.integers(1, 5), max_size=4), max_size=6))
def test_aggregate_covers_every_dossier(reviews, proposals):
    result = aggregate_dossiers(reviews, proposals)
    assert result.keys() == {d for _, d, _ in reviews} | proposals.keys()
    for aggregate in result.values():
        if aggregate.raw is None:
            assert aggregate.calibrated is None and aggregate.suggested is None
            assert "un-seul-avis" in aggregate.flags
        else:
            assert 0 <= aggregate.calibrated <= 100 and 1 <= aggregate.suggested <= 5
