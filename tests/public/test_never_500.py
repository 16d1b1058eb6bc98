"""No request to a public page is ever a 500 (CONTRACT §5): explicit regressions, the
French error page, and hypothesis over every public URL pattern and its parameters."""

import re
from urllib.parse import quote

import pytest
from django.test import override_settings
from django.urls import get_resolver, path
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import arobase.urls

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url, status", [
    ("/statistiques/?annee=²", 200),
    ("/statistiques/?annee=٢٠٢٤", 200),
    ("/statistiques/?annee=99999999999999999999999", 200),
    ("/territoires/59368/panneau.svg?annee=①", 400),
    ("/territoires/59368/panneau.svg?annee=²⁰²⁴", 400),
    ("/territoires/59368/panneau.svg?annee=٢٠٢٤", 400),  # not silently read as 2024
    ("/territoires/59368/panneau.svg?annee=9223372036854775808", 400),
    ("/territoires/59368/panneau.svg?annee=-2024", 400),
    ("/palmares/99999999999999999999/", 404),
    ("/palmares/٢٠٢٤/", 404),
    ("/en/palmares/99999999999999999999/", 404),
    ("/territoires/?q=saint&page=9223372036854775808", 200),
    ("/territoires/?q=saint&page=①", 200),
    ("/api/v1/editions/99999999999999999999", 422),
    ("/api/v1/editions/99999999999999999999/palmares", 422),
    ("/api/v1/territories?page=99999999999999999999", 404),
])
def test_odd_numbers_are_refused_cleanly(client, demo, url, status):
    assert client.get(url).status_code == status


def test_a_unicode_digit_page_is_not_read_as_a_number(client):
    def results(params):
        page = client.get("/territoires/", params).content.decode()
        return page[page.index('<ol class="results"'):page.index("</ol>")]

    assert results({"q": "saint", "page": "٢"}) == results({"q": "saint"})  # page 1, not 2
    assert results({"q": "saint", "page": "2"}) != results({"q": "saint"})


def boom(request):
    raise RuntimeError("boom")


urlpatterns = [path("boom/", boom)] + arobase.urls.urlpatterns
handler404 = arobase.urls.handler404
handler500 = arobase.urls.handler500


@override_settings(ROOT_URLCONF=__name__)
def test_an_unexpected_error_shows_the_french_error_page(client):
    client.raise_request_exception = False
    response = client.get("/boom/")
    page = response.content.decode()
    assert response.status_code == 500
    assert "Une erreur est survenue" in page and "Réessayez dans quelques instants" in page
    assert 'href="/"' in page and "site.css" in page  # the site's header, style and a way back


def test_the_error_page_itself_never_fails(client, tmp_path):
    """Without collected static files the site's page cannot be drawn: a plain one is."""
    manifest_storage = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    client.raise_request_exception = False
    with override_settings(ROOT_URLCONF=__name__, STORAGES=manifest_storage, STATIC_ROOT=tmp_path):  # no manifest there
        response = client.get("/boom/")
    assert response.status_code == 500 and "Une erreur est survenue" in response.content.decode()


# -- Fuzzing every public URL pattern -------------------------------------------------

def public_routes(patterns=None, inside_public=False, prefix=""):
    """(route, converters) of every pattern under the public pages' and open data's namespaces."""
    routes = []
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if hasattr(pattern, "url_patterns"):
            inner_prefix = prefix + str(pattern.pattern) if pattern.namespace == "opendata" else prefix
            routes += public_routes(pattern.url_patterns, inside_public or pattern.namespace in ("public", "opendata"), inner_prefix)
        elif inside_public:
            routes.append((prefix + str(pattern.pattern), pattern.pattern.converters))
    return routes


ROUTES = public_routes()
PARAMETER_NAMES = ["q", "page", "annee", "region", "departement", "category", "arobases", "mention", "code", "population",
                   "axe", "enjeu", "usage", "service", "status", "year", "territory", "actor", "bbox", "kind", "demo"]
ODD = [
    "", " ", "0", "-1", "2024", "②⓪②④", "²⁰²⁴", "٢٠٢٤", "१२", "9" * 30, "9223372036854775808", "1e9", "1.5", "0x10",
    "%", "_", "'", '"', "<script>alert(1)</script>", "é", "\u202e", "\ufeff", "a" * 5000, "59368", "2A004", "32",
]
text = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=40)
values = st.one_of(st.sampled_from(ODD), text, st.integers(min_value=-(10**30), max_value=10**30).map(str))
path_values = st.one_of(st.sampled_from(["59368", "200093201", "59", "32", "2A004", "2024", "2000", "1999", "0000"]), values.filter(lambda v: v and "/" not in v))


@st.composite
def public_requests(draw):
    route, converters = draw(st.sampled_from(ROUTES))
    url = route
    for name in converters:
        url = re.sub(rf"<[^>]*:?{name}>", quote(draw(path_values), safe=""), url, count=1)
    prefix = draw(st.sampled_from(["/", "/en/"]))
    names = st.one_of(st.sampled_from(PARAMETER_NAMES), text.filter(bool))
    params = draw(st.dictionaries(names, values, max_size=4))
    return prefix + url, params


@settings(max_examples=250, deadline=None, suppress_health_check=list(HealthCheck))
@given(request=public_requests())
def test_public_pages_never_fail(client, demo, request):
    url, params = request
    response = client.get(url, params)  # an exception in a view fails the test here
    assert response.status_code in (200, 301, 302, 400, 404), (url, params, response.status_code)


def test_the_fuzzer_knows_every_public_page():
    names = {route.split("/")[0] for route, _ in ROUTES}
    assert {"", "territoires", "palmares", "statistiques", "regions", "atlaas", "acteurs", "actions", "opendata"} <= names
