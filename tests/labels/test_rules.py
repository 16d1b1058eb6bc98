import pytest
from hypothesis import given
from hypothesis import strategies as st

from arobase.labels import rules
from arobase.labels.rules import LabelFact, Streak

TEN = frozenset({rules.TEN})


def history(*spec):
    """history((2010, 1), (2011, 3), (2016, None)) — None is hors concours."""
    return [LabelFact(year, level, hors_concours=level is None) for year, level in spec]


LA_MADELEINE = history((2010, 1), (2011, 3), (2012, 3), (2013, 3), (2014, 4), *[(y, 5) for y in range(2015, 2025)])
LA_MADELEINE = [LabelFact(f.year, f.arobases, prizes=TEN if f.year == 2022 else frozenset()) for f in LA_MADELEINE]
VILLERS_SEMEUSE = history((2017, 1), (2018, 1), (2019, 3), (2020, 3), (2021, 4), (2022, 5), (2023, 5), (2024, 5))


def test_edition_numbers():
    assert rules.edition_number(2023) == 24
    assert rules.edition_number(2024) == 25
    assert rules.edition_number(2000) == 1
    assert list(rules.valid_years(2026))[0] == 2000 and list(rules.valid_years(2026))[-1] == 2027


def test_la_madeleine_streak_and_summary():
    assert rules.streak(LA_MADELEINE) == Streak(arobases=5, years=10, since=2015)
    assert rules.streak_sentence(rules.streak(LA_MADELEINE)) == "5 @ pour la 10e année consécutive"
    assert rules.summary(LA_MADELEINE) == {
        "latest_year": 2024, "latest_arobases": 5,
        "streak": {"arobases": 5, "years": 10, "since": 2015},
        "five_arobases_count": 10,
        "ten": {"awarded": 2022, "valid_until": 2024},
    }
    assert rules.first_label_year(LA_MADELEINE) == 2010


def test_villers_semeuse_streak():
    assert rules.streak(VILLERS_SEMEUSE) == Streak(5, 3, 2022)
    assert rules.streak_sentence(rules.streak(VILLERS_SEMEUSE)) == "5 @ pour la 3e année consécutive"


def test_streak_is_broken_by_a_gap_or_another_level():
    assert rules.streak(history((2018, 4), (2020, 4))) == Streak(4, 1, 2020)
    assert rules.streak(history((2019, 5), (2020, 4))) == Streak(4, 1, 2020)
    assert rules.streak_sentence(Streak(4, 1, 2020)) == "4 @ en 2020"
    assert rules.streak(history((2019, None), (2020, 4), (2021, 4))) == Streak(4, 2, 2020)


def test_streak_is_null_without_labels_or_when_latest_is_hors_concours():
    assert rules.streak([]) is None
    assert rules.streak(history((2015, 5), (2016, None))) is None
    assert rules.streak_sentence(None) == ""


def test_streak_ignores_input_order():
    assert rules.streak(list(reversed(LA_MADELEINE))) == Streak(5, 10, 2015)


def test_five_arobases_count_and_hors_concours():
    assert rules.five_arobases_count(LA_MADELEINE) == 10
    assert rules.five_arobases_count(LA_MADELEINE, up_to=2020) == 6
    assert rules.five_arobases_count(history((2016, None), (2017, 5))) == 1


def test_progression():
    assert rules.progression(LA_MADELEINE, 2011) == 2
    assert rules.progression(LA_MADELEINE, 2016) == 0
    assert rules.progression(LA_MADELEINE, 2010) is None  # first label
    assert rules.progression(LA_MADELEINE, 1999) is None
    assert rules.progression(history((2019, 5), (2020, 3)), 2020) == -2
    assert rules.progression(history((2019, None), (2020, 3)), 2020) is None


@pytest.mark.parametrize(
    "year, expected",
    [
        (2022, (True, None)),
        (2020, (True, None)),  # 2015–2020: six 5@ labels
        (2019, (False, rules.TOO_FEW_FIVE_AROBASES)),
        (2014, (False, rules.NOT_FIVE_AROBASES)),
        (2009, (False, rules.NOT_LABELLED)),
    ],
)
def test_ten_eligibility(year, expected):
    assert rules.ten_eligibility(LA_MADELEINE, year, min_five_arobases=6) == expected


def test_ten_threshold_is_a_parameter():
    assert rules.ten_eligibility(VILLERS_SEMEUSE, 2024, min_five_arobases=3) == (True, None)
    assert rules.ten_eligibility(VILLERS_SEMEUSE, 2024, min_five_arobases=6) == (False, rules.TOO_FEW_FIVE_AROBASES)
    assert rules.ten_eligibility(history((2024, None)), 2024, 1) == (False, rules.NOT_FIVE_AROBASES)


def test_ten_validity():
    assert rules.ten_valid_until(2022) == 2024
    assert [y for y in range(2020, 2027) if rules.ten_valid_in(LA_MADELEINE, y)] == [2022, 2023, 2024]
    assert rules.latest_ten(VILLERS_SEMEUSE) is None
    twice = [LabelFact(2021, 5, prizes=TEN), LabelFact(2024, 5, prizes=TEN)]
    assert rules.latest_ten(twice) == {"awarded": 2024, "valid_until": 2026}


def test_summary_without_labels():
    assert rules.summary([]) == {"latest_year": None, "latest_arobases": None, "streak": None, "five_arobases_count": 0, "ten": None}


def test_distribution_excludes_hors_concours():
    assert rules.distribution([5, 5, 1, None, 3]) == {"1": 1, "2": 0, "3": 1, "4": 0, "5": 2}


levels = st.one_of(st.none(), st.integers(min_value=1, max_value=5))
histories = st.dictionaries(st.integers(min_value=2000, max_value=2027), levels, max_size=28).map(
    lambda d: [LabelFact(y, a, hors_concours=a is None) for y, a in d.items()]
)


@given(histories)
def test_streak_properties(labels):
    current = rules.streak(labels)
    if current is None:
        assert not labels or rules.latest(labels).hors_concours
        return
    years = {label.year: label for label in labels}
    assert current.since + current.years - 1 == rules.latest(labels).year
    assert all(years[y].arobases == current.arobases for y in range(current.since, current.since + current.years))
    before = years.get(current.since - 1)
    assert before is None or before.arobases != current.arobases


@given(histories, st.integers(min_value=2000, max_value=2027), st.integers(min_value=1, max_value=10))
def test_ten_eligibility_properties(labels, year, threshold):
    eligible, reason = rules.ten_eligibility(labels, year, threshold)
    assert eligible == (reason is None)
    if eligible:
        assert rules.five_arobases_count(labels, up_to=year) >= threshold
        assert any(label.year == year and label.arobases == 5 for label in labels)


@given(histories)
def test_distribution_counts_every_label_with_arobases(labels):
    counts = rules.distribution(label.arobases for label in labels)
    assert sum(counts.values()) == sum(1 for label in labels if not label.hors_concours)
