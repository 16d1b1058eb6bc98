"""The press kit of a published edition, one per région: who got what, to hand to the
regional press (CSV and XLSX, cells safe from formulas)."""

from django.db.models import Count

from arobase.labels import rules as label_rules
from arobase.territories.models import Territory

HEADER = ["region", "departement", "code", "territoire", "categorie", "population", "arobases", "hors_concours", "mentions", "prix", "profil"]


def regions(edition):
    """[(région, number of labels)] of the published edition, by name."""
    counts = dict(edition.labels.values_list("territory__region_id").annotate(n=Count("pk")).order_by())
    return [(r, counts[r.pk]) for r in Territory.objects.filter(pk__in=[k for k in counts if k]).order_by("name")]


def rows(edition, region_code):
    region = Territory.objects.filter(kind="region", code=region_code).first()
    if region is None:
        return None, []
    labels = (
        edition.labels.filter(territory__region=region)
        .select_related("territory__departement").prefetch_related("mentions", "prizes")
        .order_by("-arobases", "territory__name")
    )
    return region, [
        (region.name, label.territory.departement.name if label.territory.departement else "", label.territory.code,
         label.territory.name, label.territory.category or "", label.territory.population or "",
         label.arobases or "", "oui" if label.hors_concours else "non",
         ", ".join(m.name for m in label.mentions.all()),
         ", ".join("Territoire d'excellence numérique" if p.slug == label_rules.TEN else p.name for p in label.prizes.all()),
         label.territory.get_absolute_url())
        for label in labels
    ]
