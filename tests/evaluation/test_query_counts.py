"""The season's pages cost a bounded number of queries, whatever the number of dossiers
(measured on the demo's deliberation: 40 dossiers, 80 reviews)."""

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from arobase.dossiers.models import Dossier
from arobase.labels.models import Edition

LIMITS = {
    "/gestion/{year}/": 30,
    "/gestion/{year}/evaluateurs/": 20,
    "/gestion/{year}/conflits/": 20,
    "/gestion/{year}/publication/": 25,
    "/evaluation/{year}/": 20,
    "/evaluation/{year}/deliberation/": 20,
    "/evaluation/{year}/deliberation/{dossier}/": 30,
}


@pytest.fixture
def deliberation_demo(db):
    call_command("demo", "--season", "deliberation", stdout=io.StringIO())
    edition = Edition.objects.get(phase="deliberation")
    return edition, Dossier.objects.filter(edition=edition, state="depose").first()


def test_season_pages_query_counts(client, deliberation_demo):
    from django.contrib.auth.models import User

    edition, dossier = deliberation_demo
    counts = {}
    for path, limit in LIMITS.items():
        user = "equipe@demo.arobase.fr" if path.startswith("/gestion") else "jury@demo.arobase.fr"
        client.force_login(User.objects.get(username=user))
        url = path.format(year=edition.year, dossier=dossier.pk)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts[path] = len(queries)
    assert all(counts[path] <= limit for path, limit in LIMITS.items()), str(counts)


def test_review_page_query_count(client, deliberation_demo):
    from arobase.evaluation.models import Review

    edition, _ = deliberation_demo
    review = Review.objects.filter(evaluator__username="evaluateur@demo.arobase.fr", dossier__edition=edition).first()
    client.force_login(review.evaluator)
    url = f"/evaluation/{edition.year}/dossiers/{review.dossier_id}/"
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    assert len(queries) <= 35, "\n".join(q["sql"][:150] for q in queries.captured_queries)
