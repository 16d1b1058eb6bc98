import re

import pytest

pytestmark = pytest.mark.django_db


def result_names(response):
    return re.findall(r'<li>\s*<a href="/(?:territoires|regions)/[^/]+/">([^<]+)</a>', response.content.decode())


@pytest.mark.parametrize(
    "query, first",
    [
        ("lunel", "Lunel"),
        ("LUNEL", "Lunel"),
        ("marcq en baroeul", "Marcq-en-Barœul"),
        ("Marcq-en-Barœul", "Marcq-en-Barœul"),
        ("59368", "La Madeleine"),
        ("34400", "Lunel"),  # postal code, then by population
        ("la madeleine", "La Madeleine"),
        ("aiglemont", "Aiglemont"),
        ("2a004", "Ajaccio"),
        ("200093201", "Métropole Européenne de Lille"),
        ("saint etienne", "Saint-Étienne"),
    ],
)
def test_search_finds_by_name_code_or_postal_code(client, query, first):
    response = client.get("/territoires/", {"q": query})
    assert response.status_code == 200
    assert result_names(response)[0] == first


def test_exact_code_comes_before_postal_code(client):
    # 59110 is both Brouckerque's INSEE code and La Madeleine's postal code.
    names = result_names(client.get("/territoires/", {"q": "59110"}))
    assert names[:2] == ["Brouckerque", "La Madeleine"]


def test_search_ranks_exact_names_before_longer_ones(client):
    names = result_names(client.get("/territoires/", {"q": "lunel"}))
    assert names[:2] == ["Lunel", "Lunel-Viel"]
    names = result_names(client.get("/territoires/", {"q": "paris"}))
    assert names[0] == "Paris"


def test_search_is_paginated(client):
    response = client.get("/territoires/", {"q": "saint"})
    assert len(result_names(response)) == 20
    assert "Page 1 sur" in response.content.decode()
    page2 = client.get("/territoires/", {"q": "saint", "page": 2})
    assert set(result_names(page2)).isdisjoint(result_names(response))
    assert client.get("/territoires/", {"q": "saint", "page": "abc"}).status_code == 200
    assert client.get("/territoires/", {"q": "saint", "page": 99999}).status_code == 200


def test_search_without_match_or_query_explains_what_to_do(client):
    page = client.get("/territoires/", {"q": "zzzzqqq"}).content.decode()
    assert "0 résultat" in page and "Aucun territoire ne correspond" in page
    page = client.get("/territoires/").content.decode()
    assert "Saisissez le nom" in page
    assert client.get("/territoires/", {"q": "%" * 500}).status_code == 200


def test_commune_profile(client):
    page = client.get("/territoires/59368/").content.decode().replace("\xa0", " ")
    assert "<h1>La Madeleine</h1>" in page
    assert "Ville Internet" in page
    assert "21 790 habitants" in page
    assert "1 089,50 €" in page
    assert 'href="/territoires/200093201/"' in page
    assert 'href="/territoires/59/"' in page
    assert 'href="/regions/32/"' in page


def test_village_profile(client):
    page = client.get("/territoires/08003/").content.decode()
    assert "Village Internet" in page


def test_epci_profile_lists_its_members(client):
    page = client.get("/territoires/200093201/").content.decode()
    assert "Territoire Internet" in page
    assert "Communes membres" in page
    assert 'href="/territoires/59368/"' in page and 'href="/territoires/59350/"' in page


def test_departement_and_region_profiles_link_down(client):
    page = client.get("/territoires/59/").content.decode()
    assert "<h1>Nord</h1>" in page and 'href="/territoires/200093201/"' in page and 'href="/regions/32/"' in page
    page = client.get("/regions/32/").content.decode()
    assert "<h1>Hauts-de-France</h1>" in page and 'href="/territoires/59/"' in page
    assert "Cotisation" not in page


def test_departement_and_region_codes_do_not_collide(client):
    assert "<h1>Gers</h1>" in client.get("/territoires/32/").content.decode()
    assert "<h1>Hauts-de-France</h1>" in client.get("/regions/32/").content.decode()


@pytest.mark.parametrize("url", ["/territoires/99999/", "/territoires/abc/", "/regions/59/", "/regions/zz/", "/nulle-part/"])
def test_unknown_codes_give_the_404_page(client, url):
    response = client.get(url)
    assert response.status_code == 404
    assert "Page introuvable" in response.content.decode()


def test_base_layout_is_accessible(client):
    page = client.get("/").content.decode()
    assert '<html lang="fr">' in page
    assert 'class="skip-link" href="#contenu"' in page and 'id="contenu"' in page
    for landmark in ('role="banner"', 'role="search"', "<main", 'role="contentinfo"', "<nav"):
        assert landmark in page
    assert '<label for="header-search">' in page and 'id="header-search"' in page
    assert 'href="/mentions-legales/"' in page and 'href="/accessibilite/"' in page
    for url in ("/mentions-legales/", "/accessibilite/"):
        assert client.get(url).status_code == 200


def test_english_lives_under_en(client):
    page = client.get("/en/territoires/59368/").content.decode()
    assert '<html lang="en">' in page
    assert "Official code" in page and "Skip to content" in page


def test_french_urls_stay_french_whatever_the_browser_asks(client):
    """The URL alone says the language, so one cached copy serves every visitor."""
    response = client.get("/territoires/59368/", HTTP_ACCEPT_LANGUAGE="en")
    assert '<html lang="fr">' in response.content.decode()
    assert "Accept-Language" not in response.get("Vary", "")


def test_language_switch_is_a_link_that_sets_no_cookie(client):
    page = client.get("/palmares/?x=1").content.decode()
    assert '<a href="/en/palmares/?x=1" hreflang="en" lang="en">English version</a>' in page
    english = client.get("/en/palmares/?x=1")
    assert '<a href="/palmares/?x=1" hreflang="fr" lang="fr">Version française</a>' in english.content.decode()
    assert not english.cookies


def test_page_queries_do_not_grow_with_the_data(client, django_assert_max_num_queries):
    """Each count includes one query for the published data version (page cache)."""
    with django_assert_max_num_queries(3):
        client.get("/territoires/", {"q": "saint"})
    with django_assert_max_num_queries(8):  # the territory, its labels, their mentions and prizes, 3 for its peers
        client.get("/territoires/59368/")
    with django_assert_max_num_queries(9):
        client.get("/territoires/200093201/")  # 95 members
    with django_assert_max_num_queries(4):
        client.get("/territoires/59/")
    with django_assert_max_num_queries(6):  # with no label: the latest year, the labels
        client.get("/regions/32/")
