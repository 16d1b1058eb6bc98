"""`arobase demo --season PHASE` for the phases of the season (CONTRACT §9), and nothing
of a pending decision on any public page or API answer before publication."""

import io
import re

import openpyxl
import pytest
from django.core.cache import cache
from django.core.management import call_command

from arobase.dossiers.models import Dossier
from arobase.evaluation.models import Decision, OutboxMessage, Review
from arobase.labels.models import Edition, Label


def season_demo(phase):
    call_command("demo", "--season", phase, stdout=io.StringIO())
    return Edition.objects.exclude(phase="publie").order_by("-year").first() or Edition.objects.filter(published_at__isnull=False).get()


def test_instruction_has_about_40_submitted_dossiers(db):
    edition = season_demo("instruction")
    assert edition.phase == "instruction"
    assert Dossier.objects.filter(edition=edition, state="depose", is_demo=True).count() == 40
    assert Dossier.objects.filter(edition=edition, territory__code="59368", state="depose").exists()


def test_evaluation_has_assignments_and_some_reviews_still_to_do(db):
    edition = season_demo("evaluation")
    assert edition.phase == "evaluation"
    reviews = Review.objects.filter(dossier__edition=edition)
    assert all(n >= 2 for n in Dossier.objects.filter(edition=edition, state="depose").values_list("reviews__dossier").distinct() and [
        reviews.filter(dossier=d).count() for d in Dossier.objects.filter(edition=edition, state="depose")
    ])
    mine = reviews.filter(evaluator__username="evaluateur@demo.arobase.fr")
    assert mine.exists() and mine.filter(submitted_at__isnull=True).exists()
    assert reviews.filter(submitted_at__isnull=False).exists()


def test_deliberation_has_every_review_and_pending_decisions_with_disagreement(db):
    from arobase.evaluation import reviewing

    edition = season_demo("deliberation")
    assert edition.phase == "deliberation"
    assert not Review.objects.filter(dossier__edition=edition, submitted_at__isnull=True).exists()
    decided = Decision.objects.filter(dossier__edition=edition).count()
    assert 0 < decided < 40
    flags = [f for a in reviewing.aggregates(edition).values() for f in a.flags]
    assert "ecart-notes" in flags or "ecart-propositions" in flags
    assert not Label.objects.filter(edition=edition).exists()


def test_publie_writes_the_labels_and_a_rerun_goes_back_to_candidatures(db):
    call_command("demo", "--season", "publie", stdout=io.StringIO())
    edition = Edition.objects.get(published_at__isnull=False)
    assert edition.phase == "publie"
    assert Label.objects.filter(edition=edition).count() == 40
    assert OutboxMessage.objects.filter(edition=edition, to="correspondant@demo.arobase.fr").count() == 2
    call_command("demo", stdout=io.StringIO())
    edition.refresh_from_db()
    assert edition.phase == "candidatures" and edition.published_at is None
    assert not Label.objects.filter(edition=edition).exists()


def public_urls(client, year, codes):
    urls = ["/", "/palmares/", f"/palmares/{year}/", f"/palmares/{year - 1}/", "/statistiques/", "/le-label/",
            "/api/v1/editions", f"/api/v1/editions/{year}", f"/api/v1/editions/{year}/palmares", f"/api/v1/editions/{year - 1}/palmares"]
    for code in codes:
        urls += [f"/territoires/{code}/", f"/territoires/{code}/panneau.svg", f"/api/v1/territories/{code}", f"/api/v1/territories/{code}/labels"]
    regions = set()
    for region in re.findall(r'href="(/regions/[^"/]+/)"', client.get("/statistiques/").content.decode()):
        regions.add(region)
    opendata = [f"/opendata/{name}?demo=1" for name in ("palmares.csv", "actions.csv", "actions.geojson", "datapackage.json", "arobase.xlsx")]
    atlaas = ["/atlaas/", "/opendata/", "/opendata/referentiel.json", "/acteurs/", "/api/v1/actions", "/api/v1/actions/aggregate", "/api/v1/actors"]
    return urls + sorted(regions) + opendata + atlaas


def body_of(response):
    """The text of a page, a streamed file, or the cells of a workbook (whose metadata
    holds the time it was written)."""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if response["Content-Type"].startswith("application/vnd.openxmlformats"):
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
        return repr([list(sheet.iter_rows(values_only=True)) for sheet in workbook.worksheets])
    return content.decode()


def crawl(client, urls):
    cache.clear()
    pages = {}
    for url in urls:
        response = client.get(url)
        body = body_of(response)
        body = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", body)
        pages[url] = (response.status_code, body)
    return pages


@pytest.mark.django_db
def test_nothing_of_a_pending_decision_is_public(client):
    """The public answers are the same with and without the jury's pending decisions."""
    edition = season_demo("deliberation")
    Decision.objects.filter(dossier__edition=edition).update(rationale="MOTIVATION-SECRETE")
    codes = list(Decision.objects.filter(dossier__edition=edition).values_list("dossier__territory__code", flat=True))
    urls = public_urls(client, edition.year, codes)
    with_decisions = crawl(client, urls)
    assert with_decisions[f"/api/v1/editions/{edition.year}/palmares"][0] == 404
    assert "MOTIVATION-SECRETE" not in "".join(body for _, body in with_decisions.values())
    Decision.objects.filter(dossier__edition=edition).delete()
    without = crawl(client, urls)
    differing = [url for url in urls if with_decisions[url] != without[url]]
    assert differing == []
    assert len(urls) > 100


def test_the_demo_never_evaluates_a_real_dossier(db):
    from django.core.management.base import CommandError

    from arobase.territories.models import Territory

    call_command("demo", stdout=io.StringIO())
    edition = Edition.objects.get(phase="candidatures")
    Dossier.objects.create(edition=edition, territory=Territory.objects.get(code="34172", kind="commune"), state="depose")
    with pytest.raises(CommandError, match="dossiers réels déposés"):
        call_command("demo", "--season", "evaluation", stdout=io.StringIO())
    assert not Review.objects.exists()
