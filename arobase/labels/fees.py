"""Membership terms of a year: the edition's when it exists, the defaults otherwise.

Territory lists show a fee per row, so the terms are cached instead of being read once
per territory. A staff edit of an edition clears them in its own process (apps.py);
other workers with a per-process cache see it within TTL seconds. Memberships never
use this cache: they read the edition itself.
"""

from decimal import Decimal
from typing import NamedTuple

from django.core.cache import cache
from django.utils import timezone

from arobase.territories import rules as territory_rules

from . import season

KEY = "fee-terms:{year}"
TTL = 60


def terms(year):
    """(rate, minimum, maximum) in euros for the label year `year`."""
    key = KEY.format(year=year)
    found = cache.get(key)
    if found is None:
        from .models import Edition

        row = Edition.objects.filter(year=year).values_list("fee_rate", "fee_min", "fee_max").first()
        found = tuple(row) if row else (season.DEFAULT_FEE_RATE, season.DEFAULT_FEE_MIN, season.DEFAULT_FEE_MAX)
        cache.set(key, found, TTL)
    return found


class Fee(NamedTuple):
    year: int
    amount: Decimal


def current_fee(territory):
    """What `territory` pays to join this year, on the terms of this year's edition;
    None for those that do not join (départements, régions)."""
    year = timezone.localdate().year
    amount = territory_rules.membership_fee(territory.kind, territory.population, *terms(year))
    return None if amount is None else Fee(year, amount)


def forget(sender, instance, **kwargs):
    cache.delete(KEY.format(year=instance.year))
