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


def forms(world, value):
    """(role, url, fields, answer): the answer to the odd value, (302, where it leads) with
    an error message on that page, (400, None) with the error on the form's page, or
    (302, where, None) when the value is a fair answer (a note is free text)."""
    year = world.edition.year
    dossier = world.dossiers["59368"].pk
    nul = value == "\x00"  # the NUL byte is stripped: an empty answer
    return [
        ("staff", f"/gestion/{year}/phase/", ["from", "confirm"], (302, f"/gestion/{year}/", "error")),
        ("staff", f"/gestion/{year}/evaluateurs/", ["operation", "evaluator", "dossiers", "review"], (302, f"/gestion/{year}/evaluateurs/", "error")),
        ("staff", f"/gestion/{year}/conflits/", ["user", "territory", "reason"], (302, f"/gestion/{year}/conflits/", "error")),
        # An operation it doesn't know: nothing done, nothing said (the page offers known ones only).
        ("staff", f"/gestion/{year}/publication/", ["operation", "appeal"], (302, f"/gestion/{year}/publication/", None)),
        ("evaluator", f"/evaluation/{year}/conflit/", ["territory", "reason"], (302, f"/evaluation/{year}/", "error")),
        ("evaluator", f"/evaluation/{year}/dossiers/{dossier}/", ["score-1", "proposed_arobases", "mentions", "comment", "submit"], (400, None, "error")),
        ("jury", f"/evaluation/{year}/deliberation/{dossier}/", ["arobases", "hors_concours", "mentions", "ten", "rationale"], (400, None, "error")),
        ("jury", f"/evaluation/{year}/deliberation/{dossier}/", ["note"],
         (400, None, "error") if nul else (302, f"/evaluation/{year}/deliberation/{dossier}/", None)),
        # No appeal exists before publication: this form is never reached here (a 404).
        ("jury", f"/evaluation/{year}/recours/1/", ["arobases", "outcome"], (404, None, None)),
        ("correspondent", f"/espace/59368/dossier/{year}/recours/", ["reason"], (302, f"/espace/59368/dossier/{year}/", "error")),
        ("conseil", f"/conseil/{year}/", ["operation", "confirm"], (302, f"/conseil/{year}/", "error")),
    ]


@pytest.mark.parametrize("value", ODD, ids=IDS)
def test_odd_values_never_fail(client, deliberating, value):
    for role, url, fields, (status, location, error) in forms(deliberating, value):
        client.force_login(getattr(deliberating, role))
        data = {field: value for field in fields}
        response = client.post(url, data)
        assert response.status_code == status, (url, response.status_code)
        if status == 302:
            assert response["Location"] == location, (url, response["Location"])
            shown = client.get(location).content.decode()  # the page the user lands on
            assert ('class="message message-error"' in shown) == (error is not None), (url, "error message shown?")
        elif status == 400:
            assert response.context["error"], url
    assert not Decision.objects.exists() and not Appeal.objects.exists()
    if deliberating.edition.phase == "evaluation":
        assert not Review.objects.filter(submitted_at__isnull=False).exists()
    # The odd value in a URL, asked by someone who may open such pages: a NUL byte is
    # refused at the edge, anything else is no dossier and no region.
    year, expected = deliberating.edition.year, 400 if value == "\x00" else 404
    for role, path in (("evaluator", f"/evaluation/{year}/dossiers/{value[:30]}/"), ("staff", f"/gestion/{year}/presse/{value[:30]}.csv")):
        client.force_login(getattr(deliberating, role))
        assert client.get(path).status_code == expected, path
