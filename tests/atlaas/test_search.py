"""French full-text search: the same answers on SQLite (FTS5) and PostgreSQL (GIN)."""

import pytest

from arobase.actions import search
from arobase.actions.models import Action, Actor

from .conftest import make_action


def titles(query):
    return [a.title for a in search.ACTIONS.ranked(Action.objects.published(), query)]


@pytest.mark.parametrize("query", ["conseil municipal", "CONSEIL MUNICIPAL", "conseils municipaux", "Conséil Municipâl"])
def test_accents_case_and_plural_do_not_matter(atlas, query):
    found = titles(query)
    assert "Conseil municipal retransmis en direct" in found
    assert "Conseils municipaux sur les réseaux" in found
    assert "Tablettes pour les écoles élémentaires" not in found


def test_stemming_finds_the_plural_and_the_singular(atlas):
    assert titles("numériques") == titles("numérique") != []
    assert "Budget participatif numérique" in titles("numériques")


def test_prefix_and_every_word_must_match(atlas):
    assert "Tablettes pour les écoles élémentaires" in titles("tabl")
    assert titles("tablettes conseil") == []


def test_best_match_first(atlas):
    # Two words of the query in the title beat one in a service name.
    assert titles("conseil municipal direct")[0] == "Conseil municipal retransmis en direct"


def test_drafts_and_refused_actions_never_match(atlas):
    assert titles("confidentiel") == []
    assert titles("brouillon") == []


def test_territory_and_service_names_are_searchable(atlas):
    assert set(titles("Armentières")) == {"Tablettes pour les écoles élémentaires"}
    assert "Budget participatif numérique" in titles("budget participatif en ligne")


def test_the_index_follows_edits_and_deletions(atlas):
    atlas.tablets.title = "Robots pédagogiques"
    atlas.tablets.save()
    assert titles("robot") == ["Robots pédagogiques"]
    assert titles("tablettes") == []
    atlas.tablets.services.set([atlas.live])  # the service's name joins the document
    assert "Robots pédagogiques" in titles("retransmis direct conseil")
    atlas.tablets.delete()
    assert titles("robot") == []


def speaking_of_conseil(a):
    """The published actions whose title or a service's name says "conseil": the two
    council actions by their titles, the metropole's through the live-council service."""
    return {a.council.title, a.village.title, a.metropole.title}


@pytest.mark.parametrize("query, expected", [
    # Nothing but punctuation, other scripts or symbols: no word, so nothing found.
    ('"', lambda a: set()),
    ("*", lambda a: set()),
    ("٢٠٢٤", lambda a: set()),
    ("🙂", lambda a: set()),
    # Engine operators are plain words that every result must hold: were OR or NEAR
    # obeyed, or the quote close the string, these would find council or school actions.
    ("conseil OR tablettes", lambda a: set()),
    ("NEAR(conseil)", lambda a: set()),
    ("a' OR 1=1 --", lambda a: set()),
    # Stray syntax around a word leaves the word.
    ("conseil)", speaking_of_conseil),
    ("^conseil", speaking_of_conseil),
    ("-conseil", speaking_of_conseil),
    # A word longer than any: cut to 40 letters, found nowhere.
    ("x" * 500, lambda a: set()),
    ("l'école", lambda a: {a.tablets.title}),
])
def test_odd_queries_never_break(atlas, query, expected):
    wanted = expected(atlas)
    assert set(titles(query)) == wanted  # and no exception on either engine
    assert search.ACTIONS.filter(Action.objects.published(), query).count() == len(wanted)


def test_a_query_without_words_finds_nothing_and_an_empty_one_everything(atlas):
    assert titles("!!! ...") == []
    assert len(titles("")) == len(atlas.published)


def test_actors_are_searched_alike(atlas):
    found = [a.slug for a in search.ACTORS.ranked(Actor.objects.all(), "cles numeriques")]
    assert found == ["les-cles-du-numerique"]
    assert [a.slug for a in search.ACTORS.ranked(Actor.objects.all(), "seniors")] == ["les-cles-du-numerique"]


def test_document_reduction():
    assert search.document("Les Numériques") == search.document("numérique")
    assert search.document("Œuvre") == search.document("oeuvres")
    assert search.query_words("le la les de") == []


def test_search_pages_rank_the_latest_matches_then_list_the_older_ones(atlas, monkeypatch):
    """Bounded ranking (docs/decisions.md): the best of the RANKED_AMONG latest matches
    come first, older matches follow latest first; every match is on exactly one page."""
    best = make_action(atlas.lunel, [atlas.live], "Tiers-lieu tiers-lieu tiers-lieu numérique")
    for index in range(9):
        make_action(atlas.lunel, [atlas.live], f"Tiers-lieu numérique {index}")
    monkeypatch.setattr(search, "RANKED_AMONG", 4)
    found = search.ACTIONS.ranked(Action.objects.published(), "tiers-lieu")
    assert found.count() == 10
    pages = [found[start : start + 3] for start in range(0, 12, 3)]
    assert [len(page) for page in pages] == [3, 3, 3, 1]
    every = [action.title for page in pages for action in page]
    assert set(every[:4]) == {f"Tiers-lieu numérique {index}" for index in (8, 7, 6, 5)}
    assert every[4:] == [f"Tiers-lieu numérique {index}" for index in (4, 3, 2, 1, 0)] + [best.title]
    monkeypatch.setattr(search, "RANKED_AMONG", 500)  # among the latest 500, the best match leads
    assert search.ACTIONS.ranked(Action.objects.published(), "tiers-lieu")[0].title == best.title
