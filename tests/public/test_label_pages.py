import re

import pytest

from arobase.core import data_version, figures
from arobase.labels.models import Label
from arobase.territories.models import Territory

pytestmark = pytest.mark.django_db


def text(response):
    return re.sub(r"\s+", " ", response.content.decode().replace("\xa0", " "))


def test_la_madeleine_profile_reads_as_its_article(client, demo):
    page = text(client.get("/territoires/59368/"))
    assert "5 @ pour la 10e année consécutive" in page
    assert "Territoire d'excellence numérique 2022–2024" in page
    assert "15 labels depuis 2010 · 10 labels 5 @" in page
    assert 'src="/territoires/59368/panneau.svg"' in page
    assert 'alt="Panneau « Ville Internet », label 2024 : 5 @"' in page
    # history: a chart with its equivalent table, every year
    assert 'aria-describedby="label-history"' in page and '<table id="label-history">' in page
    for year in range(2010, 2025):
        assert f'href="/palmares/{year}/">{year}</a>' in page
    assert "démo" not in page.split("Historique du label")[1].split("</table>")[0]


def test_villers_semeuse_and_villages(client, demo):
    page = text(client.get("/territoires/08480/"))
    assert "5 @ pour la 3e année consécutive" in page and "8 labels depuis 2017" in page
    page = text(client.get("/territoires/08003/"))
    assert "Panneau « Village Internet », label 2024 : 3 @" in page and "3 @ en 2024" in page


def test_magny_mention_and_unlabelled_territory(client, demo):
    page = text(client.get("/territoires/78356/"))
    assert "Numérique éducatif" in page and "4 @ en 2018" in page
    unlabelled = Territory.objects.filter(kind="commune", labels__isnull=True).first()
    assert "Ce territoire n'a pas encore été labellisé." in text(client.get(f"/territoires/{unlabelled.code}/"))


def test_road_sign(client, demo):
    response = client.get("/territoires/59368/panneau.svg")
    assert response.status_code == 200 and response["Content-Type"].startswith("image/svg+xml")
    svg = response.content.decode()
    assert svg.startswith("<svg") and 'role="img"' in svg
    assert "<title id=\"sign-title\">La Madeleine : Ville Internet, 5 arobases, label 2024</title>" in svg
    assert svg.count(">@</text>") == 5 and ">2024</text>" in svg
    old = client.get("/territoires/59368/panneau.svg", {"annee": 2010}).content.decode()
    assert old.count(">@</text>") == 1 and ">2010</text>" in old and "1 arobase," in old
    assert client.get("/territoires/59368/panneau.svg", {"annee": 2009}).status_code == 404
    assert client.get("/territoires/59368/panneau.svg", {"annee": "deux"}).status_code == 400
    assert client.get("/territoires/59350/panneau.svg", {"annee": 1999}).status_code == 404
    assert client.get("/territoires/99999/panneau.svg").status_code == 404
    assert client.get("/territoires/32/panneau.svg").status_code == 404  # a département is never labelled


def test_green_arobase_for_the_ecological_transition(client, demo, tmp_path):
    from django.core.management import call_command
    path = tmp_path / "p.csv"
    path.write_text("annee,code,arobases,mentions,prix\n2025,08003,4,transition-ecologique,\n")
    call_command("import_palmares", str(path), stdout=open("/dev/null", "w"))
    svg = client.get("/territoires/08003/panneau.svg").content.decode()
    assert svg.count('fill="#1b7f3b">@</text>') == 1 and svg.count(">@</text>") == 4
    assert "Village Internet" in svg and "@ verte" in svg


def test_palmares_index(client, demo):
    page = text(client.get("/palmares/"))
    assert "Données de démonstration." in page
    assert 'href="/palmares/2023/">2023</a>' in page and "2 février 2023, Albi" in page
    assert "<td class=\"num\">257</td>" in page


def test_palmares_year_and_filters(client, demo):
    page = text(client.get("/palmares/2024/"))
    total = Label.objects.filter(edition=2024).count()
    assert f"{total} territoires labellisés" in page and "25<sup>e</sup> édition" in page
    assert "Cérémonie du 8 février 2024, Paris · 241 participants" in page
    filtered = text(client.get("/palmares/2024/", {"departement": "08"}))
    assert "Villers-Semeuse" in filtered and "Aiglemont" in filtered and "Vivier-au-Court" in filtered
    assert "La Madeleine" not in filtered and "(filtré)" in filtered
    assert 'value="08" selected' in filtered
    villages = text(client.get("/palmares/2024/", {"departement": "08", "category": "village"}))
    assert "Aiglemont" in villages and "Villers-Semeuse" not in villages
    five = text(client.get("/palmares/2024/", {"region": "32", "arobases": "5"}))
    assert "La Madeleine" in five and "0 </td>" not in five.split("Répartition par niveau")[1][:200]
    mention = text(client.get("/palmares/2018/", {"mention": "numerique-educatif"}))
    assert "Magny-les-Hameaux" in mention
    nothing = text(client.get("/palmares/2024/", {"region": "zz"}))
    assert "Aucun territoire labellisé ne correspond à ces filtres." in nothing


def test_palmares_distribution_counts_the_filtered_list(client, demo):
    page = text(client.get("/palmares/2024/", {"arobases": "3"}))
    count = Label.objects.filter(edition=2024, arobases=3).count()
    assert f"{count} territoires labellisés (filtré)" in page


def test_unknown_edition_is_a_404(client, demo):
    assert client.get("/palmares/1990/").status_code == 404
    assert client.get("/palmares/2099/").status_code == 404


def test_statistics_page(client, demo):
    page = text(client.get("/statistiques/"))
    assert "Participants par édition" in page and "Répartition des arobases par édition" in page
    assert page.count('<svg viewBox="0 0 720') == 3 and page.count('aria-describedby="table-participants"') == 3
    assert "Labels 2025 par région" in page and "Hauts-de-France" in page and "Labels 2025 par catégorie" in page
    assert "Labels 2020 par région" in text(client.get("/statistiques/", {"annee": 2020}))
    assert client.get("/statistiques/", {"annee": "x"}).status_code == 200


def test_empty_states(client):
    assert "Aucune édition n'est encore enregistrée" in text(client.get("/palmares/"))
    assert "aucun palmarès n'a encore été importé" in text(client.get("/statistiques/"))
    home = text(client.get("/"))
    assert "Le réseau en chiffres" in home and "<strong>0</strong> collectivités labellisées" in home


def test_home_figures_are_computed_from_the_data(client, demo):
    home = text(client.get("/"))
    labelled = Label.objects.values("territory").distinct().count()
    assert f"<strong>{labelled:,}</strong> collectivités labellisées".replace(",", " ") in home
    assert "Les lauréats 5 @ du palmarès 2025" in home and 'href="/palmares/2025/"' in home
    assert "données de démonstration" in home


def test_label_pages_queries_do_not_grow_with_history(client, demo, warm_fee_terms, django_assert_max_num_queries):
    """Each count includes one query for the published data version (page cache)."""
    with django_assert_max_num_queries(9):  # with the published actions and the peers (3)
        client.get("/territoires/59368/")  # 15 labels
    with django_assert_max_num_queries(9):
        client.get("/territoires/08003/")  # 1 label
    with django_assert_max_num_queries(8):
        client.get("/palmares/2024/")
    with django_assert_max_num_queries(8):
        client.get("/palmares/2024/", {"region": "32", "mention": "numerique-educatif"})
    with django_assert_max_num_queries(3):
        client.get("/palmares/")
    figures.refresh(data_version.ALL)  # what the writer's commit does (core/figures.py)
    with django_assert_max_num_queries(9):
        client.get("/statistiques/")
    with django_assert_max_num_queries(13):  # figures (actions and actors too), latest edition, laureates, TEN holders, régions
        client.get("/")
    with django_assert_max_num_queries(4):
        client.get("/territoires/59368/panneau.svg")


def test_region_page_lists_its_labelled_territories(client, demo, django_assert_max_num_queries):
    page = text(client.get("/regions/44/"))
    assert "Territoires labellisés en 2025" in page and 'href="/palmares/2025/?region=44"' in page
    assert Label.objects.filter(edition=2025, territory__region__code="44").first().territory.name in page
    with django_assert_max_num_queries(9):
        client.get("/regions/32/")


@pytest.mark.parametrize("params", [{"arobases": "abc"}, {"arobases": "9"}, {"category": "métropole"}, {"mention": "zz"}, {"region": "x" * 500}])
def test_bad_filter_values_never_break_the_page(client, demo, params):
    response = client.get("/palmares/2024/", params)
    assert response.status_code == 200


def test_dropped_filter_values_show_the_whole_list(client, demo):
    page = text(client.get("/palmares/2024/", {"arobases": "abc"}))
    assert f"{Label.objects.filter(edition=2024).count()} territoires labellisés" in page and "(filtré)" not in page


def test_query_counts_are_the_same_for_short_and_long_histories(client, demo, warm_fee_terms):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count(url):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    assert count("/territoires/59368/") == count("/territoires/08003/")  # 15 labels and 1
    assert count("/palmares/2024/") == count("/palmares/2013/")  # ~240 labels and 2
    assert count("/api/v1/territories/59368/labels") == count("/api/v1/territories/08003/labels")


def test_palmares_is_paginated_with_the_distribution_over_every_page(client, demo, monkeypatch):
    from arobase.public import palmares

    monkeypatch.setattr(palmares, "PAGE_SIZE", 100)
    total = Label.objects.filter(edition=2024).count()
    assert 200 < total <= 300
    first = text(client.get("/palmares/2024/"))
    assert f"{total} territoires labellisés" in first and "Page 1 sur 3" in first
    assert first.count('<th scope="row">') == 100
    fives = Label.objects.filter(edition=2024, arobases=5, hors_concours=False).count()
    assert f'<td class="num">{fives}</td>' in first.split("Répartition par niveau")[1][:600]
    last = text(client.get("/palmares/2024/", {"page": "3"}))
    assert last.count('<th scope="row">') == total - 200 and 'rel="prev"' in last and 'rel="next"' not in last
    filtered = text(client.get("/palmares/2024/", {"arobases": "3"}))
    assert "Page " not in filtered or "arobases=3&amp;page=2" in filtered
    assert client.get("/palmares/2024/", {"page": "4"}).status_code == 404
    for odd in ("abc", "٢", "9" * 40, "0", "-1"):
        assert client.get("/palmares/2024/", {"page": odd}).status_code == 200


def test_home_costs_the_same_queries_without_laureates(client, demo):
    """The benchmark found 11 queries at one scale and 13 at another: the laureates'
    mentions and prizes were fetched only when there were 5 @ laureates."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count():
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/").status_code == 200
        return len(queries)

    count()  # stores the network figures, as the writer's commit would (core/figures.py)
    with_laureates = count()
    latest = Label.objects.order_by("-edition_id").values_list("edition_id", flat=True).first()
    Label.objects.filter(edition=latest, arobases=5).update(arobases=4)
    assert count() == with_laureates
