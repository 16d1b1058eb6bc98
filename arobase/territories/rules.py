"""The label's rules about territories, as plain functions (CONTRACT §2).

No ORM and no request here: views, the API and commands call these and never
re-implement them. Settings are read by the callers and passed in, so that the rules
are testable with any value.
"""

import unicodedata
from decimal import ROUND_HALF_UP, Decimal

COMMUNE, EPCI, DEPARTEMENT, REGION = "commune", "epci", "departement", "region"
KINDS = (COMMUNE, EPCI, DEPARTEMENT, REGION)
VILLAGE, VILLE, TERRITOIRE = "village", "ville", "territoire"
CENT = Decimal("0.01")
# The INSEE "population municipale" bundled in data/ (see docs/data.md).
POPULATION_VINTAGE = 2023


def category(kind, population, village_threshold):
    """`village` strictly below the threshold, `ville` above; `territoire` for an EPCI."""
    if kind == EPCI:
        return TERRITOIRE
    if kind != COMMUNE or population is None:
        return None
    return VILLAGE if population < village_threshold else VILLE


def aggregate_population(member_populations):
    """An EPCI's, département's or région's population: the sum over its communes."""
    return sum(p for p in member_populations if p is not None)


def membership_fee(kind, population, rate, minimum, maximum):
    """Yearly fee: clamp(rate × population, minimum, maximum), rounded to the cent.

    Only communes and EPCI join the association; other kinds have no fee (None).
    """
    if kind not in (COMMUNE, EPCI) or population is None:
        return None
    fee = Decimal(rate) * Decimal(population)
    fee = min(max(fee, Decimal(minimum)), Decimal(maximum))
    return fee.quantize(CENT, rounding=ROUND_HALF_UP)


def search_key(text):
    """Lower case, no accents, ligatures split, punctuation as spaces.

    "Marcq-en-Barœul" and "marcq en baroeul" give the same key, so search works the
    same on SQLite and PostgreSQL without database extensions.
    """
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = unicodedata.normalize("NFKD", text.casefold().replace("œ", "oe").replace("æ", "ae"))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = "".join(ch if ch.isalnum() else " " for ch in text)
    return " ".join(text.split())

