"""The label's rules about editions and labels (CONTRACT §3), as plain functions.

They read any sequence of objects with `year`, `arobases`, `hors_concours` and
`prizes` (slugs): model instances or the `LabelFact` below. No ORM, no request.
"""

from dataclasses import dataclass, field

FIRST_YEAR = 2000
FIVE = 5
TEN = "territoire-excellence-numerique"
HORS_CONCOURS = "hors-concours"
GREEN_MENTION = "transition-ecologique"
TEN_VALIDITY_YEARS = 3

# Why a territory is not eligible for the TEN prize in a year (reason codes).
NOT_LABELLED = "not-labelled"
NOT_FIVE_AROBASES = "not-five-arobases"
TOO_FEW_FIVE_AROBASES = "too-few-five-arobases"


@dataclass(frozen=True)
class LabelFact:
    year: int
    arobases: int | None
    hors_concours: bool = False
    prizes: frozenset = field(default_factory=frozenset)
    mentions: frozenset = field(default_factory=frozenset)


@dataclass(frozen=True)
class Streak:
    arobases: int
    years: int
    since: int

    def as_dict(self):
        return {"arobases": self.arobases, "years": self.years, "since": self.since}


def edition_number(year):
    """Label year Y is the (Y − 1999)th edition: 2023 is the 24th."""
    return year - (FIRST_YEAR - 1)


def valid_years(current_year):
    return range(FIRST_YEAR, current_year + 2)


def by_year(labels):
    return sorted(labels, key=lambda label: label.year)


def latest(labels):
    return max(labels, key=lambda label: label.year, default=None)


def streak(labels):
    """The run of consecutive years, ending at the latest label, at its level.

    None when there is no label or the latest one is hors concours.
    """
    ordered = by_year(labels)
    if not ordered or ordered[-1].hors_concours or ordered[-1].arobases is None:
        return None
    level, since, years = ordered[-1].arobases, ordered[-1].year, 1
    for label in reversed(ordered[:-1]):
        if label.year != since - 1 or label.hors_concours or label.arobases != level:
            break
        since, years = label.year, years + 1
    return Streak(arobases=level, years=years, since=since)


def streak_sentence(current):
    """"5 @ pour la 10e année consécutive", as the towns' press releases say it."""
    if current is None:
        return ""
    if current.years == 1:
        return f"{current.arobases} @ en {current.since}"
    return f"{current.arobases} @ pour la {current.years}e année consécutive"


def five_arobases_count(labels, up_to=None):
    return sum(
        1 for label in labels
        if label.arobases == FIVE and not label.hors_concours and (up_to is None or label.year <= up_to)
    )


def first_label_year(labels):
    return min((label.year for label in labels), default=None)


def progression(labels, year):
    """Change in arobases from the previous label to the one of `year`.

    None when there is no label that year, or either label is hors concours or the
    first one (nothing to compare with).
    """
    ordered = by_year(labels)
    for previous, label in zip(ordered, ordered[1:]):
        if label.year == year:
            if label.arobases is None or previous.arobases is None:
                return None
            return label.arobases - previous.arobases
    return None


def ten_eligibility(labels, year, min_five_arobases):
    """(eligible, reason): 5@ in `year` and 5@ in at least N years up to it."""
    current = next((label for label in labels if label.year == year), None)
    if current is None:
        return False, NOT_LABELLED
    if current.hors_concours or current.arobases != FIVE:
        return False, NOT_FIVE_AROBASES
    if five_arobases_count(labels, up_to=year) < min_five_arobases:
        return False, TOO_FEW_FIVE_AROBASES
    return True, None


def ten_valid_until(award_year):
    """A TEN awarded in Y is valid in Y, Y+1 and Y+2."""
    return award_year + TEN_VALIDITY_YEARS - 1


def latest_ten(labels):
    """{"awarded", "valid_until"} of the latest award, even expired; None if never."""
    years = [label.year for label in labels if TEN in label.prizes]
    if not years:
        return None
    awarded = max(years)
    return {"awarded": awarded, "valid_until": ten_valid_until(awarded)}


def ten_valid_in(labels, year):
    award = latest_ten([label for label in labels if label.year <= year])
    return award is not None and award["valid_until"] >= year


def summary(labels):
    """The contract's `summary` of a territory's labels."""
    last = latest(labels)
    current = streak(labels)
    return {
        "latest_year": last.year if last else None,
        "latest_arobases": last.arobases if last else None,
        "streak": current.as_dict() if current else None,
        "five_arobases_count": five_arobases_count(labels),
        "ten": latest_ten(labels),
    }


def distribution(arobases_values):
    """{"1": n, …, "5": n} over labels with arobases; hors concours count nowhere."""
    counts = {str(level): 0 for level in range(1, FIVE + 1)}
    for value in arobases_values:
        if value is not None:
            counts[str(value)] += 1
    return counts
