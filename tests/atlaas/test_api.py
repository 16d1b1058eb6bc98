"""The actions, aggregate and actors API (CONTRACT §6)."""

import json

import pytest

from .conftest import SECRET_EMAIL, SECRET_PHONE

FILTERS = [
    {},
    {"q": "conseil"},
    {"axe": "democratie-et-services-publics"},
    {"enjeu": "democratie-locale"},
    {"usage": "participation-citoyenne"},
    {"service": "conseil-municipal-en-direct"},
    {"status": "realisee"},
    {"status": "prevue"},
    {"year": "2024"},
    {"category": "village"},
    {"category": "ville"},
    {"category": "territoire"},
    {"arobases": "5"},
    {"arobases": "3"},
    {"region": "32"},
    {"departement": "34"},
    {"territory": "59368"},
    {"actor": "les-cles-du-numerique"},
    {"enjeu": "democratie-locale", "category": "ville", "status": "realisee"},
    {"q": "rien-de-tel"},
    {"bbox": "2.8,50.5,3.2,50.8"},
]


def get(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200, response.content
    return response.json()


@pytest.mark.parametrize("filters", FILTERS, ids=lambda f: "&".join(f"{k}={v}" for k, v in f.items()) or "none")
def test_aggregate_counts_add_up_to_the_list_count(atlas, client, filters):
    count = get(client, "/api/v1/actions", **filters)["count"]
    for level in ("region", "departement", "commune"):
        rows = get(client, "/api/v1/actions/aggregate", level=level, **filters)
        assert sum(row["count"] for row in rows) == count, level


def test_filters_select_what_they_say(atlas, client):
    def ids(**params):
        return {r["id"] for r in get(client, "/api/v1/actions", page_size=100, **params)["results"]}

    a = atlas
    assert ids() == {x.pk for x in a.published}
    assert ids(enjeu="democratie-locale") == {a.council.pk, a.budget_action.pk, a.village.pk, a.metropole.pk}
    assert ids(category="village") == {a.village.pk}
    assert ids(category="territoire") == {a.metropole.pk}
    assert ids(arobases="3") == {a.budget_action.pk}  # Lunel's latest label, not its 4 @ of 2024
    assert ids(departement="59") == {a.council.pk, a.tablets.pk, a.village.pk, a.metropole.pk}
    assert ids(actor="les-cles-du-numerique") == {a.council.pk}
    assert ids(year="2024") >= {a.budget_action.pk}
    assert ids(status="prevue") == {a.tablets.pk}
    assert ids(bbox="2.8,50.5,3.2,50.8") == {a.council.pk, a.tablets.pk, a.metropole.pk}  # around Lille


def test_an_action_has_the_contract_fields(atlas, client):
    data = get(client, f"/api/v1/actions/{atlas.council.pk}")
    assert set(data) == {"id", "title", "subtitle", "summary", "status", "started", "ended", "published", "updated",
                         "territory", "services", "usages", "enjeux", "axes", "lat", "lon", "actors", "url", "demo"}
    assert data["territory"] == {"code": "59368", "name": "La Madeleine"}
    assert data["services"] == ["conseil-municipal-en-direct"] and data["enjeux"] == ["democratie-locale"]
    assert data["actors"] == [{"slug": "les-cles-du-numerique", "name": "Les Clés du numérique"}]
    assert data["url"] == f"/actions/{atlas.council.pk}/" and data["demo"] is False
    assert data["lat"] == pytest.approx(atlas.madeleine.lat)


def test_stored_aggregates_follow_each_published_change(atlas, client, django_capture_on_commit_callbacks):
    """The unfiltered aggregates are stored per data version (core/figures.py): a
    published action counts at once, whether the writer's commit stored them or not."""
    from .conftest import make_action

    def madeleine(**params):
        rows = get(client, "/api/v1/actions/aggregate", level="commune", **params)
        return next(row["count"] for row in rows if row["code"] == "59368")

    before = madeleine()
    make_action(atlas.madeleine, [atlas.live], "Wifi public")  # no commit in a test: computed by the reader
    assert madeleine() == before + 1 == madeleine(bbox="2.8,50.5,3.2,50.8")
    with django_capture_on_commit_callbacks(execute=True):
        make_action(atlas.madeleine, [atlas.live], "Tiers-lieu")
    assert madeleine() == before + 2
    assert sum(row["count"] for row in get(client, "/api/v1/actions/aggregate", level="region")) == get(client, "/api/v1/actions")["count"]


def test_aggregate_rows(atlas, client):
    rows = get(client, "/api/v1/actions/aggregate", level="departement")
    by_code = {row["code"]: row for row in rows}
    assert by_code["59"]["count"] == 4 and by_code["59"]["name"] == "Nord"
    assert by_code["34"]["count"] == 1
    assert set(rows[0]) == {"code", "name", "lat", "lon", "count"}


def test_unpublished_actions_and_private_fields_never_appear(atlas, client):
    urls = ["/api/v1/actions?page_size=1000", f"/api/v1/actions/{atlas.council.pk}", "/api/v1/actors?page_size=1000",
            "/api/v1/actors/les-cles-du-numerique", "/api/v1/actors/prestataire-discret",
            "/api/v1/actions/aggregate?level=commune", "/api/v1/actions?q=confidentiel"]
    for url in urls:
        body = client.get(url).content.decode()
        for secret in (SECRET_EMAIL, SECRET_PHONE, "discret@example.org", "01 02 03 04 05", "confidentiel", "Brouillon"):
            assert secret not in body, (url, secret)
    assert client.get(f"/api/v1/actions/{atlas.draft.pk}").status_code == 404
    assert client.get(f"/api/v1/actions/{atlas.refused.pk}").status_code == 404


def test_actors(atlas, client):
    data = get(client, "/api/v1/actors")
    assert data["count"] == 2
    first = data["results"][0]
    assert set(first) == {"slug", "name", "kind", "territory", "description", "website", "action_count", "url", "demo"}
    detail = get(client, "/api/v1/actors/les-cles-du-numerique")
    assert detail["action_count"] == 1 and detail["actions"][0]["id"] == atlas.council.pk
    assert get(client, "/api/v1/actors", q="clés")["count"] == 1
    assert get(client, "/api/v1/actors", kind="prestataire")["results"][0]["slug"] == "prestataire-discret"
    assert client.get("/api/v1/actors/inconnu").status_code == 404


@pytest.mark.parametrize("params", [
    "year=%D9%A2%D9%A0%D9%A2%D9%A4", "year=20244", "arobases=9", "arobases=%C2%B2", "status=finie", "category=metropole",
    "enjeu=DROP%20TABLE", "bbox=1,2,3", "bbox=nan,1,2,3", "bbox=3,1,2,4", "region=%F0%9F%99%82", "page=0",
    "page_size=100000", "level=pays", "q=" + "x" * 101, "q=a%00b",
])
def test_bad_parameters_are_refused_clearly(atlas, client, params):
    url = "/api/v1/actions/aggregate?" + params if params.startswith("level") else "/api/v1/actions?" + params
    response = client.get(url)
    # The API's validation error; a NUL byte is refused at the edge, before the API.
    assert response.status_code == (400 if "%00" in params else 422), (params, response.status_code)
    if "%00" not in params:  # NUL bytes are refused at the edge, before the API
        assert json.loads(response.content)["detail"]


def test_unknown_and_huge_ids(atlas, client):
    assert client.get("/api/v1/actions/99999999").status_code == 404
    assert client.get("/api/v1/actions/" + "9" * 30).status_code == 404
    assert client.get("/api/v1/actions?page=99").status_code == 404


def test_empty_parameters_mean_no_filter(atlas, client):
    """As the site's form sends them: `status=&category=` filters nothing."""
    everything = get(client, "/api/v1/actions")["count"]
    assert get(client, "/api/v1/actions?status=&category=&enjeu=&q=&year=&arobases=")["count"] == everything
    assert sum(r["count"] for r in get(client, "/api/v1/actions/aggregate?level=region&status=&category=")) == everything
