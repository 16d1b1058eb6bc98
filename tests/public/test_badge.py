"""The badge (CONTRACT §5): the current label as a small SVG, embeddable elsewhere, and
the profile's HTML snippet that links back to the profile."""

import html
import xml.etree.ElementTree as ET

import pytest

from arobase.labels.models import Edition, Label

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def madeleine_labels(db):
    from arobase.labels.models import Mention
    from arobase.territories.models import Territory

    madeleine = Territory.objects.get(code="59368", kind="commune")
    for year, arobases in ((2023, 4), (2024, 5)):
        Edition.objects.get_or_create(year=year)
        Label.objects.create(territory=madeleine, edition_id=year, arobases=arobases)
    green, _ = Mention.objects.get_or_create(slug="transition-ecologique", defaults={"name": "Transition écologique", "green_arobase": True})
    Label.objects.get(edition_id=2024, territory=madeleine).mentions.add(green)
    return madeleine


def test_the_badge_shows_the_category_the_level_and_the_year(client, madeleine_labels):
    response = client.get("/territoires/59368/badge.svg")
    assert response.status_code == 200 and response["Content-Type"].startswith("image/svg+xml")
    root = ET.fromstring(response.content)
    assert root.get("role") == "img" and root.get("width") == "180"
    title = root.find(f"{SVG}title").text
    assert title == "La Madeleine : Ville Internet, 5 arobases, label 2024"
    texts = "".join(root.itertext())
    assert "2024" in texts and "Ville Internet" in texts and "@@@@@" in texts.replace("\n", "")
    assert b'fill="#1b7f3b">@</tspan>' in response.content  # the green @ of the ecological mention
    assert len(response.content) < 2000


def test_the_badge_can_be_embedded_by_another_site(client, madeleine_labels):
    response = client.get("/territoires/59368/badge.svg")
    assert response.get("Cross-Origin-Resource-Policy") in (None, "cross-origin")


def test_hors_concours_badge(client, db):
    from arobase.territories.models import Territory

    lunel = Territory.objects.get(code="34145", kind="commune")
    Edition.objects.get_or_create(year=2024)
    Label.objects.create(territory=lunel, edition_id=2024, hors_concours=True)
    root = ET.fromstring(client.get("/territoires/34145/badge.svg").content)
    assert root.find(f"{SVG}title").text == "Lunel : Ville Internet, hors concours, label 2024"


@pytest.mark.parametrize("code", ["59368", "00000", "nowhere", "٣٤١٤٥", "9" * 40])
def test_no_label_or_unknown_code_is_a_404(client, db, code):
    assert client.get(f"/territoires/{code}/badge.svg").status_code == 404


def test_a_nul_byte_in_the_code_is_a_400(client, db):
    assert client.get("/territoires/%00/badge.svg").status_code == 400  # refused at the edge, like every NUL byte


def test_the_profile_gives_the_snippet_that_links_back(client, madeleine_labels):
    page = client.get("/territoires/59368/").content.decode()
    assert 'id="badge-snippet"' in page
    snippet = html.unescape(page.split('id="badge-snippet" readonly rows="4" cols="60">')[1].split("</textarea>")[0])
    assert snippet.startswith('<a href="http://testserver/territoires/59368/"><img src="http://testserver/territoires/59368/badge.svg"')
    assert 'alt="La Madeleine : Ville Internet 5 @, label 2024"' in snippet


def test_no_snippet_without_a_label(client, db):
    assert "badge-snippet" not in client.get("/territoires/34145/").content.decode()
