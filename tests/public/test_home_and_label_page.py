"""What a visitor comes for: the latest laureates with their signs, the TEN holders, a
way in by région, the search; and the label explained, with a fee calculator."""

import re

import pytest

from arobase.labels.fees import current_fee
from arobase.labels.models import Label
from arobase.territories.models import Territory

pytestmark = pytest.mark.django_db


def text(response):
    return re.sub(r"\s+", " ", response.content.decode().replace("\xa0", " "))


def test_home_shows_the_latest_five_arobases_laureates_with_their_signs(client, demo):
    home = text(client.get("/"))
    laureates = Label.objects.filter(edition=2025, arobases=5).select_related("territory").order_by("territory__name")[:12]
    assert laureates
    for label in laureates:
        assert f'href="/territoires/{label.territory.code}/"' in home
        assert f'src="/territoires/{label.territory.code}/panneau.svg"' in home
    assert 'alt="Panneau « Ville Internet », label 2025 : 5 @"' in home or 'alt="Panneau « Territoire Internet », label 2025 : 5 @"' in home


def test_home_lists_the_valid_ten_holders(client, demo):
    home = text(client.get("/"))
    holders = Label.objects.filter(prizes__slug="territoire-excellence-numerique", edition__gte=2023).select_related("territory")
    assert holders
    for label in holders:
        assert label.territory.name in home
    expired = Label.objects.filter(prizes__slug="territoire-excellence-numerique", edition__lt=2023).exclude(
        territory__in=[label.territory for label in holders]).select_related("territory").first()
    if expired:
        section = home[home.index("Territoires d'excellence numérique"):home.index("Par région")]
        assert expired.territory.name not in section


def test_home_has_a_way_in_by_region_and_the_search(client, demo):
    home = text(client.get("/"))
    hauts_de_france = Label.objects.filter(edition=2025, territory__region__code="32").count()
    assert f'<a href="/regions/32/">Hauts-de-France</a> <span class="muted">({hauts_de_france})</span>' in home
    assert 'id="home-search" name="q"' in home


def test_label_page_explains_the_label(client, demo):
    page = text(client.get("/le-label/"))
    for words in ("De 1 à 5 @", "hors concours", "Transition écologique", "Territoire d'excellence numérique", "trois ans",
                  "clôture des dossiers", "Comment participer", "5 centimes par habitant"):
        assert words in page, words
    assert 'href="/le-label/"' in text(client.get("/"))  # in the main menu


def test_fee_calculator_finds_a_town_then_gives_its_fee(client, demo):
    page = text(client.get("/le-label/", {"q": "lunel"}))
    assert 'href="?code=34145#cotisation">Lunel</a>' in page
    lunel = Territory.objects.get(code="34145")
    page = text(client.get("/le-label/", {"code": "34145"}))
    fee = f"{current_fee(lunel).amount:,.2f}".replace(",", " ").replace(".", ",")
    assert f"Cotisation {current_fee(lunel).year} : {fee} €" in page


@pytest.mark.parametrize("code", ["08488", "75056", "2A004", "200093201"])  # a village, the cap, Corsica, an EPCI
def test_fee_calculator_shows_the_rule_s_fee(client, code):
    territory = Territory.objects.get(code=code)
    assert current_fee(territory) is not None
    page = text(client.get("/le-label/", {"code": code}))
    assert f"{current_fee(territory).amount:,.2f}".replace(",", " ").replace(".", ",") + " €" in page


def test_fee_calculator_for_a_departement_and_bad_input(client):
    assert "seules les communes et les intercommunalités" in text(client.get("/le-label/", {"code": "59"}))
    assert "Aucune collectivité ne correspond" in text(client.get("/le-label/", {"q": "zzzqqq"}))
    for params in ({"code": "\u0662\u0660"}, {"q": "%" * 300}, {"code": "x" * 500}):
        assert client.get("/le-label/", params).status_code == 200


def test_the_new_pages_are_translated(client, demo):
    assert "How the label works" in text(client.get("/en/"))
    page = text(client.get("/en/le-label/", {"code": "34145"}))
    assert "The Internet Territories, Towns and Villages label" in page and "Membership fee" in page
