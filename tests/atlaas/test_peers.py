"""Territories like me: same category, similar population, more @ (published data)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from arobase.actions import peers

from .conftest import make_action, make_label


def test_band_and_level_to_beat():
    assert peers.population_band(26000, 2) == (13000, 52000)
    assert peers.level_of(None) == 0


def test_peers_and_missing_services(atlas):
    found = peers.peers_of(atlas.lunel, 3)
    names = [t.name for t in found.territories]
    assert names == ["La Madeleine", "Armentières"]  # most @ first
    assert found.total == 2
    slugs = [s.slug for s in found.services]
    assert "budget-participatif-en-ligne" not in slugs  # Lunel has it
    assert set(slugs) == {"conseil-municipal-en-direct", atlas.other.slug}
    live = next(s for s in found.services if s.slug == "conseil-municipal-en-direct")
    assert [a.pk for a in live.examples] == [atlas.council.pk]


def test_no_peer_beyond_the_band_category_or_level(atlas):
    assert peers.peers_of(atlas.madeleine, 5).territories == []  # nobody holds more than 5 @
    village = peers.peers_of(atlas.abancourt, 0)
    assert all(t.category == "village" for t in village.territories)
    assert all(village.low <= t.population <= village.high for t in village.territories)
    assert peers.peers_of(atlas.lunel, 3, ratio=1.01).territories == []


def test_unpublished_actions_do_not_count(atlas):
    make_action(atlas.armentieres, [atlas.budget], "Brouillon d'Armentières", state="brouillon")
    found = peers.peers_of(atlas.lunel, 3)
    assert all(e.state == "publiee" for s in found.services for e in s.examples)


def test_constant_number_of_queries(atlas):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            peers.peers_of(atlas.lunel, 3)
        return len(captured)

    before = queries()
    for code_index, territory in enumerate([atlas.madeleine, atlas.armentieres] * 10):
        make_action(territory, [atlas.other, atlas.live], f"Action {code_index}")
    make_label(atlas.abancourt, 2025, 5)
    assert queries() == before
