"""Membership terms of a year: the edition's when it exists, the defaults otherwise.

Territory lists show a fee per row, so the terms are cached instead of being read once
per territory. A staff edit of an edition clears them in its own process (apps.py);
other workers with a per-process cache see it within TTL seconds. Memberships never
use this cache: they read the edition itself.
"""

from django.core.cache import cache

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


def forget(sender, instance, **kwargs):
    cache.delete(KEY.format(year=instance.year))
