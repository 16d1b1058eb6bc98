"""Read-side helpers for the spaces and the staff dashboard."""

from arobase.labels import season
from arobase.labels.models import Edition

from .models import Dossier, Membership


def open_edition_years():
    """Editions a territory can work on now: in preparation or taking candidatures."""
    return list(Edition.objects.filter(phase__in=[season.PREPARATION, season.CANDIDATURES]).order_by("-year").values_list("year", flat=True))


def overview(territories, years):
    """For each territory, each year's membership and dossier (None when missing),
    in two queries: [{"territory", "years": [{"year", "membership", "dossier"}]}]."""
    ids = [t.pk for t in territories]
    memberships = {(m.territory_id, m.edition_id): m for m in Membership.objects.filter(territory_id__in=ids, edition_id__in=years)}
    dossiers = {(d.territory_id, d.edition_id): d for d in Dossier.objects.filter(territory_id__in=ids, edition_id__in=years)}
    return [
        {"territory": t, "years": [
            {"year": y, "membership": memberships.get((t.pk, y)), "dossier": dossiers.get((t.pk, y))} for y in years
        ]}
        for t in territories
    ]
