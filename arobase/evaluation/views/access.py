"""What every season page does first: check the role, find the edition (applying the
calendar), read an id posted by a form."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils import timezone
from rules import test_rule

from arobase.core.numbers import parse_id
from arobase.labels.models import Edition

from .. import phases

def season_edition(request, year, rule):
    if not test_rule(rule, request.user):
        raise PermissionDenied
    edition = get_object_or_404(Edition, year=year)
    return phases.apply_schedule(edition, timezone.now())


def post_id(value):
    """A database id posted by a form (ASCII digits, bounded), or None."""
    return parse_id(value)
