import pytest

from arobase.territories.models import Territory

pytestmark = pytest.mark.django_db

TERRITORY_FIELDS = ["code", "name", "kind", "category", "population", "departement", "region", "epci", "lat", "lon", "membership_fee"]


def test_a_territory_has_exactly_the_contract_fields(client):
    response = client.get("/api/v1/territories/59368")
    assert response.status_code == 200
    body = response.json()
    assert list(body) == TERRITORY_FIELDS
    assert body | {"lat": None, "lon": None} == {
        "code": "59368", "name": "La Madeleine", "kind": "commune", "category": "ville",
        "population": 21790, "departement": "59", "region": "32", "epci": "200093201",
        "lat": None, "lon": None, "membership_fee": "1089.50",
    }
    assert body["lat"] == pytest.approx(50.6543, abs=1e-3) and body["lon"] == pytest.approx(3.0735, abs=1e-3)


def test_fields_that_do_not_apply_are_null(client):
    epci = client.get("/api/v1/territories/200093201").json()
    assert (epci["kind"], epci["category"], epci["epci"]) == ("epci", "territoire", None)
    assert epci["membership_fee"] == "5000.00"
    departement = client.get("/api/v1/territories/59").json()
    assert (departement["kind"], departement["category"], departement["membership_fee"], departement["epci"]) == ("departement", None, None, None)
    assert client.get("/api/v1/territories/08003").json()["category"] == "village"
    assert client.get("/api/v1/territories/2a004").json()["code"] == "2A004"


def test_regions_have_their_own_paths(client):
    assert client.get("/api/v1/territories/32").json()["name"] == "Gers"
    region = client.get("/api/v1/regions/32").json()
    assert (region["name"], region["kind"], region["category"], region["membership_fee"]) == ("Hauts-de-France", "region", None, None)
    regions = client.get("/api/v1/regions").json()
    assert regions["count"] == 26 and {r["kind"] for r in regions["results"]} == {"region"}
    assert client.get("/api/v1/regions/59").status_code == 404


@pytest.mark.parametrize("url", ["/api/v1/territories/99999", "/api/v1/territories/%20", "/api/v1/regions/00"])
def test_unknown_codes_are_json_404(client, url):
    response = client.get(url)
    assert response.status_code == 404
    assert "detail" in response.json()


def test_list_envelope_and_pagination(client):
    first = client.get("/api/v1/territories", {"q": "saint", "page_size": 5}).json()
    assert list(first) == ["count", "next", "previous", "results"]
    assert first["count"] > 5 and len(first["results"]) == 5 and first["previous"] is None
    assert "page=2" in first["next"] and "q=saint" in first["next"]
    second = client.get(first["next"]).json()
    assert "page=1" in second["previous"]
    assert {r["code"] for r in first["results"]}.isdisjoint(r["code"] for r in second["results"])
    default = client.get("/api/v1/territories").json()
    assert len(default["results"]) == 20 and default["count"] == Territory.objects.count()


def test_last_page_and_past_the_end(client):
    body = client.get("/api/v1/territories", {"q": "lunel", "page_size": 1000}).json()
    assert body["next"] is None and body["count"] == len(body["results"])
    response = client.get("/api/v1/territories", {"q": "lunel", "page": 2})
    assert response.status_code == 404 and "detail" in response.json()
    empty = client.get("/api/v1/territories", {"q": "zzzzqqq"}).json()
    assert empty == {"count": 0, "next": None, "previous": None, "results": []}


def test_search_order_follows_the_contract(client):
    codes = [r["code"] for r in client.get("/api/v1/territories", {"q": "59110"}).json()["results"]]
    assert codes[:2] == ["59110", "59368"]  # exact code, then the town with that postal code
    names = [r["name"] for r in client.get("/api/v1/territories", {"q": "lunel"}).json()["results"]]
    assert names[:2] == ["Lunel", "Lunel-Viel"]


def test_filters(client):
    communes = client.get("/api/v1/territories", {"kind": "commune", "departement": "08", "page_size": 1000}).json()
    assert communes["count"] > 400
    assert {(r["kind"], r["departement"]) for r in communes["results"]} == {("commune", "08")}
    epcis = client.get("/api/v1/territories", {"kind": "epci", "region": "32"}).json()
    assert epcis["count"] > 50 and {r["region"] for r in epcis["results"]} == {"32"}
    madeleine = client.get("/api/v1/territories", {"q": "madeleine", "departement": "59"}).json()
    assert [r["code"] for r in madeleine["results"]] == ["59368"]


@pytest.mark.parametrize(
    "params",
    [{"page": 0}, {"page": "abc"}, {"page_size": 0}, {"page_size": 1001}, {"kind": "village"}, {"q": "x" * 101}, {"departement": "12345"}],
)
def test_bad_parameters_are_4xx(client, params):
    response = client.get("/api/v1/territories", params)
    assert response.status_code == 422  # the API's validation error
    assert "detail" in response.json()


def test_openapi_and_docs(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/territories/{code}" in schema["paths"]
    docs = client.get("/api/v1/docs")
    assert docs.status_code == 200 and b"cdn." not in docs.content


def test_api_queries_are_constant(client, warm_fee_terms, django_assert_max_num_queries):
    """Each count includes one query for the published data version (page cache)."""
    with django_assert_max_num_queries(3):
        client.get("/api/v1/territories", {"page_size": 1000})
    with django_assert_max_num_queries(2):
        client.get("/api/v1/territories/59368")


@pytest.mark.parametrize("url", ["/api/v1/territories/%00", "/api/v1/territories?q=a%00", "/api/v1/territories?departement=%00", "/territoires/%00/", "/regions/%00/", "/territoires/?q=a%00"])
def test_nul_bytes_are_a_clear_400_on_every_database(client, url):
    response = client.get(url)
    assert response.status_code == 400
    assert "caractère nul" in response.content.decode()
