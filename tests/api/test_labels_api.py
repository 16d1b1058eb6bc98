from datetime import timedelta
import pytest

from arobase.labels.models import Label

pytestmark = pytest.mark.django_db


def test_la_madeleine_labels_exactly_as_the_contract(client, demo):
    body = client.get("/api/v1/territories/59368/labels").json()
    assert list(body) == ["code", "labels", "summary"]
    assert body["code"] == "59368"
    assert [label["year"] for label in body["labels"]] == list(range(2010, 2025))
    assert body["labels"][12] == {
        "year": 2022, "edition": 23, "arobases": 5, "hors_concours": False,
        "mentions": [], "prizes": ["territoire-excellence-numerique"], "demo": False,
    }
    assert body["summary"] == {
        "latest_year": 2024, "latest_arobases": 5,
        "streak": {"arobases": 5, "years": 10, "since": 2015},
        "five_arobases_count": 10,
        "ten": {"awarded": 2022, "valid_until": 2024},
    }


def test_labels_of_territories_without_labels_or_ten(client, demo):
    body = client.get("/api/v1/territories/34145/labels").json()
    assert body["summary"]["ten"] is None and body["summary"]["streak"] == {"arobases": 4, "years": 1, "since": 2023}
    unlabelled = client.get("/api/v1/territories/59/labels").json()
    assert unlabelled["labels"] == [] and unlabelled["summary"]["streak"] is None and unlabelled["summary"]["latest_year"] is None
    assert client.get("/api/v1/territories/99999/labels").status_code == 404


def test_hors_concours_in_the_api(client, demo):
    label = Label.objects.filter(hors_concours=True).select_related("territory").first()
    body = client.get(f"/api/v1/territories/{label.territory.code}/labels").json()
    item = next(entry for entry in body["labels"] if entry["year"] == label.year)
    assert item["arobases"] is None and item["hors_concours"] is True


def test_editions(client, demo):
    body = client.get("/api/v1/editions").json()
    assert list(body) == ["count", "next", "previous", "results"]
    # The demo leaves the edition after the latest palmarès taking candidatures (CONTRACT §9).
    assert [(e["year"], e["phase"]) for e in body["results"][:2]] == [(2026, "candidatures"), (2025, "publie")]
    edition = client.get("/api/v1/editions/2023").json()
    assert list(edition) == ["year", "edition", "ceremony_date", "ceremony_place", "participants", "distribution", "phase", "opens", "closes"]
    assert (edition["edition"], edition["ceremony_date"], edition["ceremony_place"], edition["participants"]) == (24, "2023-02-02", "Albi", 257)
    assert list(edition["distribution"]) == ["1", "2", "3", "4", "5"]
    assert sum(edition["distribution"].values()) == Label.objects.filter(edition=2023, hors_concours=False).count()
    demo_only = client.get("/api/v1/editions/2025").json()
    assert demo_only["participants"] == Label.objects.filter(edition=2025).count()  # no recorded figure
    assert demo_only["ceremony_date"] is None and demo_only["ceremony_place"] is None


def test_edition_phase_and_dates_in_paris_time(client, demo):
    from django.utils import timezone

    open_edition = client.get("/api/v1/editions/2026").json()
    closing = timezone.localdate() + timedelta(days=30)
    assert open_edition["phase"] == "candidatures" and open_edition["participants"] == 0
    assert open_edition["closes"].startswith(f"{closing.isoformat()}T23:59:59+0")  # +01:00 or +02:00
    # Nothing of an unpublished edition's palmarès is public.
    assert client.get("/api/v1/editions/2026/palmares").status_code == 404
    page = client.get("/palmares/2026/")
    assert page.status_code == 200 and "sera publié" in page.content.decode()


def test_palmares_fits_one_page_by_default(client, demo):
    body = client.get("/api/v1/editions/2024/palmares").json()
    assert body["count"] == Label.objects.filter(edition=2024).count() == len(body["results"])
    assert body["next"] is None
    madeleine = next(entry for entry in body["results"] if entry["code"] == "59368")
    assert madeleine == {"code": "59368", "name": "La Madeleine", "category": "ville", "arobases": 5,
                         "hors_concours": False, "mentions": [], "prizes": [], "demo": False}
    aiglemont = next(entry for entry in body["results"] if entry["code"] == "08003")
    assert aiglemont["category"] == "village"
    paged = client.get("/api/v1/editions/2024/palmares", {"page_size": 50, "page": 2}).json()
    assert len(paged["results"]) == 50 and paged["previous"] and paged["next"]


def test_palmares_rows_hold_to_the_schema_with_mentions_and_prizes(client, demo):
    """The palmarès is answered from plain rows (labels/queries.PalmaresRows), outside
    the schema's validation: the schema must still accept every row, mentions and
    prizes as the labels hold them."""
    from arobase.api.labels import PalmaresPage

    awarded = Label.objects.filter(edition=2024).exclude(mentions=None).prefetch_related("mentions", "prizes").first()
    awarded = awarded or Label.objects.filter(edition=2024).exclude(prizes=None).prefetch_related("mentions", "prizes").first()
    assert awarded is not None, "the demo has mentions or prizes in 2024"
    response = client.get("/api/v1/editions/2024/palmares")
    assert response["Content-Type"] == "application/json; charset=utf-8"
    body = PalmaresPage.model_validate(response.json()).model_dump()
    entry = next(row for row in body["results"] if row["code"] == awarded.territory.code)
    assert entry["mentions"] == sorted(awarded.mention_slugs) and entry["prizes"] == sorted(awarded.prize_slugs)
    assert [row["code"] for row in body["results"]] == [label.territory.code for label in
                                                         Label.objects.filter(edition=2024).order_by("hors_concours", "-arobases", "territory__name", "territory__code")]


@pytest.mark.parametrize("url, status", [
    ("/api/v1/editions/1990", 404), ("/api/v1/editions/2099/palmares", 404), ("/api/v1/editions/abc", 422),
    ("/api/v1/editions?page=99", 404), ("/api/v1/editions/2024/palmares?page_size=5000", 422),
    ("/api/v1/editions/2024/palmares?page=0", 422),
])
def test_errors(client, demo, url, status):
    response = client.get(url)
    assert response.status_code == status and "detail" in response.json()


def test_label_api_queries_are_constant(client, demo, django_assert_max_num_queries):
    """Each count includes one query for the published data version (page cache)."""
    with django_assert_max_num_queries(5):
        client.get("/api/v1/territories/59368/labels")
    with django_assert_max_num_queries(6):
        client.get("/api/v1/editions/2024/palmares")
    with django_assert_max_num_queries(3):
        client.get("/api/v1/editions")
