"""Atlaas, actors, the action page, profiles and the home page, as a visitor sees them."""

import pytest
from django.utils.html import escape
from django.db import connection
from django.test.utils import CaptureQueriesContext

from arobase.actions.models import Action, Actor

from .conftest import SECRET_EMAIL, SECRET_PHONE, make_action


def page(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return response.content.decode()


def test_atlaas_lists_the_filtered_actions_with_their_count(atlas, client):
    html = page(client, "/atlaas/?enjeu=democratie-locale&category=ville")
    assert 'data-count="2"' in html and "2 actions" in html
    assert "Conseil municipal retransmis en direct" in html and "Budget participatif numérique" in html
    assert f"/actions/{atlas.tablets.pk}/" not in html and f"/actions/{atlas.village.pk}/" not in html
    assert '<option value="democratie-locale" selected>' in html  # the filter survives a reload
    assert 'data-query="enjeu=democratie-locale&amp;category=ville"' in html  # the map asks for the same


def test_atlaas_search_and_empty_state(atlas, client):
    assert "Tablettes pour les écoles" in page(client, "/atlaas/?q=tablette")
    html = page(client, "/atlaas/?q=zzzzzz")
    assert "Aucune action publiée ne correspond à ces filtres." in html


@pytest.mark.parametrize("query", ["year=%D9%A2%D9%A0%D9%A2%D9%A4", "arobases=99", "status=x", "enjeu=%3Cscript%3E", "bbox=a,b,c,d", "q=" + "x" * 200])
def test_atlaas_bad_filters_say_so(atlas, client, query):
    html = page(client, "/atlaas/?" + query, status=400)
    assert "Certains filtres ne sont pas valides" in html
    assert "<script>" not in html.split("<main")[1]


def test_atlaas_paginates_with_the_filters(atlas, client):
    for index in range(25):
        make_action(atlas.madeleine, [atlas.live], f"Retransmission numéro {index}")
    html = page(client, "/atlaas/?territory=59368")
    assert "Page 1 sur 2" in html and "?territory=59368&amp;page=2" in html
    assert "Page 2 sur 2" in page(client, "/atlaas/?territory=59368&page=2")
    page(client, "/atlaas/?territory=59368&page=3", status=404)


def test_outlines_are_served_with_a_validator(client, db):
    response = client.get("/atlaas/contours.geojson")
    assert response.status_code == 200 and response["Content-Type"] == "application/geo+json"
    data = response.json()
    levels = [f["properties"]["level"] for f in data["features"]]
    assert levels.count("region") >= 13 and levels.count("departement") >= 96
    assert client.get("/atlaas/contours.geojson", HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304


def test_action_page_breadcrumb_actors_nearby_and_csv(atlas, client):
    html = page(client, f"/actions/{atlas.council.pk}/")
    for crumb in ("?axe=democratie-et-services-publics", "?enjeu=democratie-locale", "?usage=transparence-de-l-action-publique", "?service=conseil-municipal-en-direct"):
        assert crumb in html
    assert "5 @" in html  # La Madeleine's current label
    assert "/acteurs/les-cles-du-numerique/" in html
    nearby = html.split("D'autres territoires font de même")[1]
    # Same service elsewhere, nearest first: the Métropole (Lille) before Abancourt.
    assert nearby.index("Plateforme métropolitaine") < nearby.index("Conseils municipaux sur les réseaux")
    assert "km)" in nearby
    response = client.get(f"/actions/{atlas.council.pk}/fiche.csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    body = response.content.decode()
    assert "Conseil municipal retransmis en direct" in body and SECRET_EMAIL not in body
    assert client.get(f"/actions/{atlas.draft.pk}/fiche.csv").status_code == 404


def test_actor_directory_filters(atlas, client):
    html = page(client, "/acteurs/")
    assert "Les Clés du numérique" in html and "Prestataire discret" in html and "2 acteurs" in html
    html = page(client, "/acteurs/?kind=prestataire")
    assert "Prestataire discret" in html and "Les Clés du numérique" not in html
    assert "Les Clés du numérique" in page(client, "/acteurs/?territory=59368")
    assert "Les Clés du numérique" in page(client, "/acteurs/?service=conseil-municipal-en-direct")
    assert "Prestataire discret" not in page(client, "/acteurs/?service=conseil-municipal-en-direct")
    assert "Les Clés du numérique" in page(client, "/acteurs/?q=seniors")
    assert "Aucun acteur ne correspond" in page(client, "/acteurs/?q=introuvable")
    assert "type inconnu" in page(client, "/acteurs/?kind=pirate", status=400)


def test_actor_contacts_only_for_members_and_with_consent(atlas, client, login):
    anonymous = page(client, "/acteurs/les-cles-du-numerique/")
    assert SECRET_EMAIL not in anonymous and SECRET_PHONE not in anonymous
    assert "Connectez-vous pour voir ses coordonnées." in anonymous
    assert "Conseil municipal retransmis en direct" in anonymous and "?actor=les-cles-du-numerique" in anonymous
    # An account anyone can open is not a member of the network: no contact details.
    self_signed = page(login(atlas.world.stranger), "/acteurs/les-cles-du-numerique/")
    assert SECRET_EMAIL not in self_signed and SECRET_PHONE not in self_signed
    assert "réservées aux membres du réseau" in self_signed
    action_page = page(login(atlas.world.stranger), f"/actions/{atlas.council.pk}/")
    assert SECRET_EMAIL not in action_page and SECRET_PHONE not in action_page
    for member_user in (atlas.world.correspondent, atlas.world.actor, atlas.world.evaluator):
        member = login(member_user)
        html = page(member, "/acteurs/les-cles-du-numerique/")
        assert SECRET_EMAIL in html and SECRET_PHONE in html
        assert SECRET_EMAIL in page(member, f"/actions/{atlas.council.pk}/")
    shy = page(member, "/acteurs/prestataire-discret/")
    assert "discret@example.org" not in shy and "01 02 03 04 05" not in shy
    page(client, "/acteurs/inconnu/", status=404)


def test_actor_page_lists_published_actions_only(atlas, client):
    atlas.draft.actors.add(atlas.actor)
    html = page(client, "/acteurs/les-cles-du-numerique/")
    assert "1 action publiée" in html and "Brouillon" not in html


def test_profile_shows_actions_latest_first_with_atlaas_link_and_peers(atlas, client):
    older = atlas.council
    newer = make_action(atlas.madeleine, [atlas.budget], "Budget participatif de la Madeleine")
    newer.published_at = older.published_at.replace(year=older.published_at.year + 1)
    newer.save()
    html = page(client, "/territoires/59368/")
    assert html.index("Budget participatif de la Madeleine") < html.index("Conseil municipal retransmis en direct")
    assert "/atlaas/?territory=59368" in html
    assert "Brouillon confidentiel" not in html
    lunel = page(client, "/territoires/34145/")  # 3 @, 26 000 inhabitants: Armentières (27 000, 4 @) is a peer
    peers = lunel.split("Des territoires comme le mien")[1]
    assert "Armentières" in peers and "La Madeleine" in peers  # 22 000 inhabitants, 5 @
    assert escape(atlas.other.name) in peers and "conseil-municipal-en-direct" in peers
    assert "budget-participatif-en-ligne" not in peers  # Lunel already has it


def test_home_shows_actions_and_actors(atlas, client):
    html = page(client, "/")
    assert "actions numériques publiées" in html and "acteurs locaux" in html
    figures = html.split("Le réseau en chiffres")[1]
    assert "<strong>5</strong> actions numériques publiées" in figures and "<strong>2</strong> acteurs locaux" in figures


def count_queries(client, url):
    from django.core.cache import cache

    cache.clear()  # the page cache would answer without a query (and the fee terms are read alike each time)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


URLS = ["/atlaas/", "/atlaas/?enjeu=democratie-locale", "/atlaas/?q=conseil", "/acteurs/", "/acteurs/les-cles-du-numerique/",
        "/territoires/34145/", "/api/v1/actions?page_size=100", "/api/v1/actions?q=conseil", "/api/v1/actions/aggregate?level=commune",
        "/api/v1/actors", "/"]


def test_query_counts_do_not_grow_with_the_data(atlas, client, warm_fee_terms, django_capture_on_commit_callbacks):
    from arobase.core import data_version, figures

    figures.refresh(data_version.ALL)  # stored figures, as the writer's commit leaves them (core/figures.py)
    before = {url: count_queries(client, url) for url in URLS}
    with django_capture_on_commit_callbacks(execute=True):  # the writers' commits store the figures anew
        for index in range(30):
            territory = [atlas.madeleine, atlas.lunel, atlas.armentieres, atlas.abancourt][index % 4]
            action = make_action(territory, [atlas.live, atlas.other], f"Conseil numérique {index}")
            action.actors.set(Actor.objects.all())
    after = {url: count_queries(client, url) for url in URLS}
    assert after == before
    assert Action.objects.published().count() == 35


def test_no_third_party_tiles_unless_configured(atlas, client, settings):
    from arobase.middleware import content_security_policy

    html = page(client, "/atlaas/")
    assert 'data-tile-url=""' in html and "https://" not in content_security_policy()
    settings.ATLAAS_TILE_URL = "https://{s}.tuiles.example.org/{z}/{x}/{y}.png"
    settings.ATLAAS_TILE_ATTRIBUTION = "© Exemple"
    assert "img-src 'self' data: https://*.tuiles.example.org;" in content_security_policy()
    client.get("/atlaas/?status=prevue")  # another URL: not the cached page
    html = page(client, "/atlaas/?status=prevue")
    assert 'data-tile-url="https://{s}.tuiles.example.org/{z}/{x}/{y}.png"' in html and "© Exemple" in html


def test_staff_manage_actors_in_the_admin(atlas, client, login):
    staff = login(atlas.world.staff)
    assert "Les Clés du numérique" in page(staff, "/admin/actions/actor/")
    response = staff.post("/admin/actions/actor/add/", {
        "slug": "fablab-de-lunel", "name": "Fablab de Lunel", "kind": "autre", "territory": atlas.lunel.pk,
        "description": "Impression 3D et ateliers.", "website": "", "email": "", "phone": "",
    })
    assert response.status_code == 302
    assert "Fablab de Lunel" in page(client, "/acteurs/fablab-de-lunel/")
    stranger = login(atlas.world.stranger)
    assert stranger.get("/admin/actions/actor/").status_code == 302  # to the admin's login
