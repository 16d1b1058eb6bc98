"""The season's deadline, eligibility of actions, invoice numbers and amounts in words."""

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from arobase.actions import rules as action_rules
from arobase.dossiers import rules
from arobase.labels import season

PARIS = ZoneInfo("Europe/Paris")
UTC = ZoneInfo("UTC")
CLOSING = date(2026, 11, 15)


def at_paris(*parts):
    return datetime(*parts, tzinfo=PARIS)


def test_filing_open_until_the_last_second_of_the_closing_day_in_paris():
    assert season.filing_refusal(season.CANDIDATURES, None, CLOSING, at_paris(2026, 11, 15, 23, 59, 59)) is None
    assert season.filing_refusal(season.CANDIDATURES, None, CLOSING, at_paris(2026, 11, 15, 23, 59, 59, 999000)) is None
    refusal = season.filing_refusal(season.CANDIDATURES, None, CLOSING, at_paris(2026, 11, 16, 0, 0, 0))
    assert "closes depuis le 15/11/2026" in str(refusal)


def test_deadline_is_paris_time_whatever_the_clock_zone():
    # 23:30 UTC on the 15th is already 00:30 on the 16th in Paris (winter, UTC+1).
    assert season.filing_refusal(season.CANDIDATURES, None, CLOSING, datetime(2026, 11, 15, 22, 59, 59, tzinfo=UTC)) is None
    assert "closes depuis le 15/11/2026" in str(season.filing_refusal(season.CANDIDATURES, None, CLOSING, datetime(2026, 11, 15, 23, 0, 0, tzinfo=UTC)))


def test_filing_refused_before_opening_and_outside_candidatures():
    assert "ouvrent le 01/03/2026" in str(season.filing_refusal(season.CANDIDATURES, date(2026, 3, 1), CLOSING, at_paris(2026, 2, 28, 23, 59)))
    assert season.filing_refusal(season.CANDIDATURES, date(2026, 3, 1), CLOSING, at_paris(2026, 3, 1, 0, 0)) is None
    for phase in season.PHASES:
        if phase != season.CANDIDATURES:
            assert "pas ouvertes" in str(season.filing_refusal(phase, None, CLOSING, at_paris(2026, 6, 1)))


def test_closing_moment_in_summer_time():
    assert season.closing_moment(date(2026, 7, 1)).utcoffset() == timedelta(hours=2)


def test_action_eligibility():
    day = date(2026, 11, 15)
    assert action_rules.eligibility_refusal(action_rules.ONGOING, date(2010, 1, 1), None, day) is None
    assert action_rules.eligibility_refusal(action_rules.PLANNED, None, None, day) is None
    assert action_rules.eligibility_refusal(action_rules.DONE, date(2024, 1, 1), date(2024, 11, 15), day) is None
    assert "plus de deux ans" in str(action_rules.eligibility_refusal(action_rules.DONE, date(2024, 1, 1), date(2024, 11, 14), day))
    assert "sans date" in str(action_rules.eligibility_refusal(action_rules.DONE, None, None, day))
    # 29 February: two years before is 28 February.
    assert action_rules.eligibility_refusal(action_rules.DONE, None, date(2026, 2, 28), date(2028, 2, 29)) is None


def test_dates_refusals():
    today = date(2026, 11, 23)
    assert "précède" in str(action_rules.dates_refusal(action_rules.DONE, date(2025, 1, 2), date(2025, 1, 1), today))
    assert "futur" in str(action_rules.dates_refusal(action_rules.DONE, date(2025, 1, 1), date(2027, 1, 1), today))
    assert action_rules.dates_refusal(action_rules.ONGOING, date(2025, 1, 1), None, today) is None


def test_invoice_number():
    assert rules.invoice_number(2027, 1) == "FA-2027-0001"
    assert rules.invoice_number(2027, 12345) == "FA-2027-12345"


@pytest.mark.parametrize("amount, words", [
    ("1089.50", "mille quatre-vingt-neuf euros et cinquante centimes"),
    ("50.00", "cinquante euros"),
    ("5000", "cinq mille euros"),
    ("1.01", "un euro et un centime"),
    ("71.80", "soixante et onze euros et quatre-vingts centimes"),
])
def test_amount_in_words(amount, words):
    assert rules.amount_in_words(Decimal(amount)) == words


@given(st.decimals(min_value=0, max_value=5000, places=2))
def test_amount_in_words_always_names_euros(amount):
    words = rules.amount_in_words(amount)
    assert "euro" in words and words == words.strip()


def test_blocking_reasons_in_order():
    reasons = rules.blocking_reasons(
        filing_refusal="Closes.", action_count=0, missing_answers=["Q1"], ineligible_titles=["Vieille action"],
        membership=None, requires_payment=True,
    )
    assert reasons[0] == "Closes."
    assert "Adhérez" in reasons[1]
    assert "au moins une action" in reasons[2]
    assert "Vieille action" in reasons[3]
    assert "Q1" in reasons[4]
    assert rules.blocking_reasons(filing_refusal=None, action_count=2, missing_answers=[], ineligible_titles=[], membership=None, requires_payment=False) == []
