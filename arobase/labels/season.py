"""The season of an edition (CONTRACT §9): its phases and its deadline, as plain functions.

Dates are calendar days in Paris: the dossiers close at the end of the closing day,
Paris time, whatever the server's or the visitor's time zone.
"""

from datetime import datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.utils.translation import gettext_lazy as _

PARIS = ZoneInfo("Europe/Paris")

PREPARATION, CANDIDATURES, INSTRUCTION, EVALUATION, DELIBERATION, PUBLIE = (
    "preparation", "candidatures", "instruction", "evaluation", "deliberation", "publie",
)
PHASES = (PREPARATION, CANDIDATURES, INSTRUCTION, EVALUATION, DELIBERATION, PUBLIE)
PHASE_CHOICES = [
    (PREPARATION, _("préparation")),
    (CANDIDATURES, _("candidatures")),
    (INSTRUCTION, _("instruction")),
    (EVALUATION, _("évaluation")),
    (DELIBERATION, _("délibération")),
    (PUBLIE, _("publié")),
]

DEFAULT_FEE_RATE = Decimal("0.05")
DEFAULT_FEE_MIN = Decimal("50")
DEFAULT_FEE_MAX = Decimal("5000")


def opening_moment(opening_date):
    """The first instant of the opening day, Paris time (None when not set)."""
    return datetime.combine(opening_date, time.min, tzinfo=PARIS) if opening_date else None


def closing_moment(closing_date):
    """The last instant of the closing day, Paris time: 23:59:59.999999."""
    return datetime.combine(closing_date, time.max, tzinfo=PARIS) if closing_date else None


def filing_refusal(phase, opening_date, closing_date, now):
    """Why a dossier cannot be submitted or edited at `now`, or None when it can."""
    if phase != CANDIDATURES:
        return _("Les candidatures ne sont pas ouvertes pour cette édition.")
    if opening_date and now < opening_moment(opening_date):
        return _("Les candidatures ouvrent le %(date)s.") % {"date": opening_date.strftime("%d/%m/%Y")}
    if closing_date and now > closing_moment(closing_date):
        return _("Les candidatures sont closes depuis le %(date)s à minuit (heure de Paris).") % {
            "date": closing_date.strftime("%d/%m/%Y")
        }
    return None
