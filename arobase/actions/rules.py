"""The rules of action sheets, as plain functions (DOMAIN.md, « The dossier »)."""

from django.utils.translation import gettext_lazy as _

PLANNED, ONGOING, DONE = "prevue", "en-cours", "realisee"
STATUS_CHOICES = [(PLANNED, _("prévue")), (ONGOING, _("en cours")), (DONE, _("réalisée"))]

DRAFT, PROPOSED, PUBLISHED, REFUSED = "brouillon", "proposee", "publiee", "refusee"
STATE_CHOICES = [
    (DRAFT, _("brouillon")),
    (PROPOSED, _("proposée, en attente de modération")),
    (PUBLISHED, _("publiée")),
    (REFUSED, _("refusée")),
]

ELIGIBILITY_YEARS = 2

ASSOCIATION, PUBLIC_SPACE, PROVIDER, SCHOOL, OTHER = "association", "epn", "prestataire", "etablissement", "autre"
ACTOR_KIND_CHOICES = [
    (ASSOCIATION, _("association")),
    (PUBLIC_SPACE, _("espace public numérique")),
    (PROVIDER, _("entreprise, prestataire")),
    (SCHOOL, _("établissement scolaire ou culturel")),
    (OTHER, _("autre")),
]


def years_before(day, years):
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def eligibility_refusal(status, started, ended, reference_day):
    """Why an action cannot count for a dossier filed on `reference_day`, or None.

    An action counts if it is still ongoing (or planned), or if it ended less than two
    years before the reference day.
    """
    if status in (ONGOING, PLANNED):
        return None
    last_day = ended or started
    if last_day is None:
        return _("Action réalisée sans date : indiquez sa date de fin pour savoir si elle compte.")
    limit = years_before(reference_day, ELIGIBILITY_YEARS)
    if last_day < limit:
        return _("Action terminée le %(day)s, il y a plus de deux ans : elle ne compte plus pour cette édition.") % {
            "day": last_day.strftime("%d/%m/%Y")
        }
    return None


def dates_refusal(status, started, ended, today):
    """A clear message when dates and status contradict each other, or None."""
    if started and ended and ended < started:
        return _("La date de fin précède la date de début.")
    if status == DONE and ended and ended > today:
        return _("Une action réalisée ne peut pas finir dans le futur : choisissez « en cours » ou corrigez la date.")
    if started and started.year < 1990 or ended and ended.year < 1990:
        return _("Les dates doivent être postérieures à 1990.")
    return None


def is_valid_link(url):
    return url.startswith(("https://", "http://")) and " " not in url and len(url) <= 500

