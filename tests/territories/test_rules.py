from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from arobase.territories import rules

RATE, LOW, HIGH = Decimal("0.05"), Decimal("50"), Decimal("5000")


def fee(population, kind="commune"):
    return rules.membership_fee(kind, population, RATE, LOW, HIGH)


@pytest.mark.parametrize(
    "population, expected",
    [
        (21790, "1089.50"),  # La Madeleine
        (0, "50.00"),
        (999, "50.00"),
        (1000, "50.00"),  # exactly the floor
        (1001, "50.05"),
        (1692, "84.60"),  # Aiglemont
        (100000, "5000.00"),  # exactly the ceiling
        (100001, "5000.00"),
        (2113705, "5000.00"),
        (12345, "617.25"),
    ],
)
def test_membership_fee_clamps_and_rounds_to_the_cent(population, expected):
    assert fee(population) == Decimal(expected)
    assert str(fee(population)) == expected


def test_fee_applies_to_epci_but_not_to_departements_regions_or_unknown_population():
    assert fee(52490, kind="epci") == Decimal("2624.50")
    assert fee(2600000, kind="departement") is None
    assert fee(6000000, kind="region") is None
    assert fee(None) is None


def test_fee_uses_the_rates_and_bounds_it_is_given():
    assert rules.membership_fee("commune", 1000, Decimal("0.10"), Decimal("20"), Decimal("90")) == Decimal("90.00")
    assert rules.membership_fee("commune", 333, Decimal("0.015"), Decimal("0"), Decimal("900")) == Decimal("5.00")


def test_fee_rounds_half_up():
    # 0.005 € exactly is rounded up, never to the even cent.
    assert rules.membership_fee("commune", 1, Decimal("0.125"), Decimal("0"), Decimal("9")) == Decimal("0.13")


@given(st.integers(min_value=0, max_value=10_000_000))
def test_fee_is_always_within_bounds_and_in_cents(population):
    value = fee(population)
    assert LOW <= value <= HIGH
    assert value == value.quantize(Decimal("0.01"))
    if LOW < RATE * population < HIGH:
        assert value == RATE * population


@given(st.integers(min_value=0, max_value=5_000_000), st.integers(min_value=0, max_value=5_000_000))
def test_fee_never_decreases_with_population(a, b):
    low, high = sorted((a, b))
    assert fee(low) <= fee(high)


@pytest.mark.parametrize(
    "population, threshold, expected",
    [(3499, 3500, "village"), (3500, 3500, "ville"), (0, 3500, "village"), (21790, 3500, "ville"), (1999, 2000, "village"), (2000, 2000, "ville")],
)
def test_commune_category_uses_a_strict_threshold(population, threshold, expected):
    assert rules.category("commune", population, threshold) == expected


def test_category_of_other_kinds():
    assert rules.category("epci", 100, 3500) == "territoire"
    assert rules.category("departement", 100, 3500) is None
    assert rules.category("region", 100, 3500) is None
    assert rules.category("commune", None, 3500) is None


@given(st.integers(min_value=0, max_value=3_000_000), st.integers(min_value=1, max_value=100_000))
def test_category_is_village_exactly_below_threshold(population, threshold):
    assert (rules.category("commune", population, threshold) == "village") == (population < threshold)


@given(st.lists(st.one_of(st.none(), st.integers(min_value=0, max_value=3_000_000)), max_size=200))
def test_aggregate_population_is_the_sum_of_known_members(populations):
    assert rules.aggregate_population(populations) == sum(p for p in populations if p is not None)


@pytest.mark.parametrize(
    "text, key",
    [
        ("Marcq-en-Barœul", "marcq en baroeul"),
        ("marcq en baroeul", "marcq en baroeul"),
        ("  L'Haÿ-les-Roses ", "l hay les roses"),
        ("ÉVRY", "evry"),
        ("Saint-Étienne", "saint etienne"),
        ("", ""),
    ],
)
def test_search_key_ignores_accents_case_ligatures_and_punctuation(text, key):
    assert rules.search_key(text) == key


@given(st.text(max_size=50))
def test_search_key_is_idempotent(text):
    assert rules.search_key(rules.search_key(text)) == rules.search_key(text)
