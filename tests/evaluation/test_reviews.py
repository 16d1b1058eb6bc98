"""An evaluator's review: the frozen dossier, drafts, submission, others' reviews hidden
until one's own is submitted, odd input, and the automatic assignment."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from arobase.evaluation import assignment
from arobase.evaluation.models import Review
from arobase.labels.models import PhaseRule

from .conftest import assign_all, move_to, submit_review


def review_url(world, dossier):
    return f"/evaluation/{world.edition.year}/dossiers/{dossier.pk}/"


@pytest.fixture
def evaluating(season):
    assign_all(season)
    move_to(season, "evaluation")
    return season


def test_the_evaluator_sees_the_frozen_dossier_and_the_mosaic(evaluating, login):
    page = login(evaluating.evaluator).get(review_url(evaluating, evaluating.dossiers["59368"])).content.decode()
    assert "Conseil municipal en ligne à La Madeleine" in page
    assert "Mosaïque des enjeux" in page and "Stratégie" in page


def test_a_draft_is_saved_then_submitted_and_then_final(evaluating, login):
    client = login(evaluating.evaluator)
    dossier = evaluating.dossiers["59368"]
    c1, c2, c3 = evaluating.criteria
    client.post(review_url(evaluating, dossier), {f"score-{c1.pk}": "3", "comment": "À compléter", "submit": "0"})
    review = Review.objects.get(evaluator=evaluating.evaluator, dossier=dossier)
    assert review.scores == {str(c1.pk): 3} and review.submitted_at is None
    # Submitting without the required criteria is refused and keeps the typed text.
    response = client.post(review_url(evaluating, dossier), {f"score-{c1.pk}": "3", "comment": "Texte gardé", "submit": "1"})
    assert response.status_code == 400
    assert "Notez les critères obligatoires : Services" in response.content.decode() and "Texte gardé" in response.content.decode()
    assert submit_review(client, evaluating, dossier, [4, 2, 0], 4).status_code == 302
    review.refresh_from_db()
    # (2·4/4 + 1·2/4 + 1·0/4) / 4 = 62.5
    assert review.is_submitted and review.score == pytest.approx(62.5) and review.proposed_arobases == 4
    response = submit_review(client, evaluating, dossier, [0, 0, 0], 1)
    assert "ne peut plus être modifié" in response.content.decode()
    review.refresh_from_db()
    assert review.score == pytest.approx(62.5)


def test_others_reviews_are_hidden_until_ones_own_is_submitted(evaluating, login):
    dossier = evaluating.dossiers["59368"]
    submit_review(login(evaluating.evaluator2), evaluating, dossier, [1, 1, 1], 2, comment="Avis de Marc")
    client = login(evaluating.evaluator)
    assert "Avis de Marc" not in client.get(review_url(evaluating, dossier)).content.decode()
    submit_review(client, evaluating, dossier, [3, 3, 3], 4)
    assert "Avis de Marc" in client.get(review_url(evaluating, dossier)).content.decode()


def test_the_phase_switch_can_keep_others_reviews_hidden(evaluating, login):
    PhaseRule.objects.filter(edition=evaluating.edition, phase="evaluation").update(can_see_reviews=False)
    dossier = evaluating.dossiers["59368"]
    submit_review(login(evaluating.evaluator2), evaluating, dossier, [1, 1, 1], 2, comment="Avis de Marc")
    client = login(evaluating.evaluator)
    submit_review(client, evaluating, dossier, [3, 3, 3], 4)
    assert "Avis de Marc" not in client.get(review_url(evaluating, dossier)).content.decode()


def test_no_scoring_outside_the_evaluation_phase(season, login):
    assign_all(season)  # still in instruction
    response = submit_review(login(season.evaluator), season, season.dossiers["59368"], [3, 3, 3], 4)
    assert "pas ouverte" in response.content.decode()
    assert not Review.objects.filter(submitted_at__isnull=False).exists()


def test_an_evaluator_never_opens_a_dossier_not_assigned_to_them(evaluating, login):
    assert login(evaluating.evaluator3).get(review_url(evaluating, evaluating.dossiers["59368"])).status_code == 404
    for role in ("correspondent", "stranger", "actor"):
        # Not evaluators at all: refused (an evaluator without this dossier gets a 404 above).
        assert login(getattr(evaluating, role)).get(review_url(evaluating, evaluating.dossiers["59368"])).status_code == 403


@pytest.mark.parametrize("value", ["5", "-1", "٣", "3.5", "9" * 40, "3\x00", "abc"])
def test_a_score_off_the_scale_is_refused_clearly(evaluating, login, value):
    c1 = evaluating.criteria[0]
    response = login(evaluating.evaluator).post(review_url(evaluating, evaluating.dossiers["59368"]), {f"score-{c1.pk}": value, "submit": "0"})
    assert response.status_code == 400
    assert "la note va de 0 à 4" in response.content.decode()


def test_a_script_in_a_comment_is_shown_as_text(evaluating, login):
    dossier = evaluating.dossiers["59368"]
    submit_review(login(evaluating.evaluator2), evaluating, dossier, [1, 1, 1], 2, comment="<script>alert(1)</script>")
    client = login(evaluating.evaluator)
    submit_review(client, evaluating, dossier, [3, 3, 3], 4)
    page = client.get(review_url(evaluating, dossier)).content.decode()
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page


def test_automatic_assignment_gives_two_evaluators_per_dossier_and_avoids_conflicts(season, login):
    from arobase.evaluation.models import Declaration

    Declaration.objects.create(edition=season.edition, user=season.evaluator, territory=season.madeleine, reason="Lien")
    response = login(season.staff).post(f"/gestion/{season.edition.year}/evaluateurs/", {"operation": "auto"}, follow=True)
    assert "4 affectation(s) ajoutée(s)" in response.content.decode()
    madeleine = set(Review.objects.filter(dossier=season.dossiers["59368"]).values_list("evaluator_id", flat=True))
    assert len(madeleine) == 2 and season.evaluator.pk not in madeleine
    assert Review.objects.filter(dossier=season.dossiers["34145"]).count() == 2


@settings(max_examples=60, deadline=None)
@given(
    dossier_count=st.integers(1, 30), evaluator_count=st.integers(2, 8), per_dossier=st.integers(1, 3),
    forbidden_seed=st.sets(st.tuples(st.integers(0, 7), st.integers(0, 29)), max_size=20),
)
def test_the_plan_respects_conflicts_and_balances_the_load(dossier_count, evaluator_count, per_dossier, forbidden_seed):
    dossiers = [(d, d % 5) for d in range(dossier_count)]
    evaluators = list(range(evaluator_count))
    forbidden = {(e, d) for e, d in forbidden_seed if e < evaluator_count and d < dossier_count}
    pairs = assignment.plan(dossiers, evaluators, {}, forbidden, per_dossier)
    assert not set((e, d) for d, e in pairs) & forbidden
    assert len(pairs) == len(set(pairs))
    for dossier, _ in dossiers:
        allowed = sum(1 for e in evaluators if (e, dossier) not in forbidden)
        assert sum(1 for d, _ in pairs if d == dossier) == min(per_dossier, allowed)
    if not forbidden:
        loads = [sum(1 for _, e in pairs if e == evaluator) for evaluator in evaluators]
        assert max(loads) - min(loads) <= 1


def test_the_plan_spreads_regions_across_evaluators():
    dossiers = [(d, "nord" if d < 4 else "sud") for d in range(8)]
    pairs = assignment.plan(dossiers, ["a", "b"], {}, set(), 1)
    by_evaluator = {e: [r for d, r in dossiers for dd, ee in pairs if dd == d and ee == e] for e in "ab"}
    assert sorted(by_evaluator["a"]) == ["nord", "nord", "sud", "sud"]
