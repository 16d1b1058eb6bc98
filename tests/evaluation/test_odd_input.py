"""Odd input on every form of the season: never a 500, never a half-written change."""

import pytest

from arobase.evaluation.models import Appeal, Decision, Review

from .conftest import assign_all, move_to, submit_review

# Scripts, bidi controls and negative numbers are covered page by page elsewhere.
ODD = ["\x00", "١٢", "9" * 40, "x" * 100_000]
IDS = ["nul", "arabic-digits", "huge", "overlong"]


@pytest.fixture(params=["evaluation", "deliberation"])
def deliberating(season, client, request):
    assign_all(season)
    move_to(season, "evaluation")
    if request.param == "deliberation":
        for evaluator in (season.evaluator, season.evaluator2):
            client.force_login(evaluator)
            for dossier in season.dossiers.values():
                submit_review(client, season, dossier, [3, 3, 3], 3)
        move_to(season, "deliberation")
    return season


def forms(world):
    year = world.edition.year
    dossier = world.dossiers["59368"].pk
    return [
        ("staff", f"/gestion/{year}/phase/", ["from", "confirm"]),
        ("staff", f"/gestion/{year}/evaluateurs/", ["operation", "evaluator", "dossiers", "review"]),
        ("staff", f"/gestion/{year}/conflits/", ["user", "territory", "reason"]),
        ("staff", f"/gestion/{year}/publication/", ["operation", "appeal"]),
        ("evaluator", f"/evaluation/{year}/conflit/", ["territory", "reason"]),
        ("evaluator", f"/evaluation/{year}/dossiers/{dossier}/", ["score-1", "proposed_arobases", "mentions", "comment", "submit"]),
        ("jury", f"/evaluation/{year}/deliberation/{dossier}/", ["arobases", "hors_concours", "mentions", "ten", "rationale"]),
        ("jury", f"/evaluation/{year}/deliberation/{dossier}/", ["note"]),
        ("jury", f"/evaluation/{year}/recours/1/", ["arobases", "outcome"]),
        ("correspondent", f"/espace/59368/dossier/{year}/recours/", ["reason"]),
        ("conseil", f"/conseil/{year}/", ["operation", "confirm"]),
    ]


@pytest.mark.parametrize("value", ODD, ids=IDS)
def test_odd_values_never_fail(client, deliberating, value):
    for role, url, fields in forms(deliberating):
        client.force_login(getattr(deliberating, role))
        data = {field: value for field in fields}
        response = client.post(url, data)
        assert response.status_code < 500, (url, response.status_code)
    assert not Decision.objects.exists() and not Appeal.objects.exists()
    if deliberating.edition.phase == "evaluation":
        assert not Review.objects.filter(submitted_at__isnull=False).exists()
    for path in (f"/evaluation/{deliberating.edition.year}/dossiers/{value[:30]}/", f"/gestion/{deliberating.edition.year}/presse/{value[:30]}.csv"):
        assert client.get(path).status_code < 500
