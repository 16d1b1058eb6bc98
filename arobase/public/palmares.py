"""Public pages of the palmarès and the statistics."""

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_safe

from arobase.labels import queries
from arobase.labels.models import Mention
from arobase.numbers import parse_year
from arobase.public.charts import bar_chart, stacked_chart
from arobase.territories import rules as territory_rules
from arobase.territories.models import Territory

CATEGORIES = [
    (territory_rules.VILLAGE, "Village Internet"),
    (territory_rules.VILLE, "Ville Internet"),
    (territory_rules.TERRITOIRE, "Territoire Internet"),
]
AROBASES_CHOICES = [(str(n), f"{n} @") for n in range(5, 0, -1)] + [("hors-concours", "Hors concours")]


@require_safe
def palmares_index(request):
    editions = queries.edition_figures()
    return render(request, "public/palmares_index.html", {
        "editions": editions,
        "has_demo": any(e.demo_count for e in editions),
    })


@require_safe
def palmares_year(request, year):
    figures = queries.edition_figures(year)
    if not figures:
        raise Http404("Aucune édition pour cette année.")
    if not figures[0].edition.is_published:
        # Nothing of an edition's decisions is public before its ceremony (CONTRACT §9).
        return render(request, "public/palmares_pending.html", {"edition": figures[0].edition})
    filters = queries.PalmaresFilters.from_query(request.GET)
    labels = list(queries.palmares(year, filters))
    regions = Territory.objects.filter(kind=territory_rules.REGION).order_by("name")
    departements = Territory.objects.filter(kind=territory_rules.DEPARTEMENT).order_by("code")
    return render(request, "public/palmares_year.html", {
        "edition": figures[0],
        "labels": labels,
        "filters": filters,
        "filtered": bool(filters.as_query()),
        "distribution": _distribution(labels),
        "has_demo": any(label.is_demo for label in labels),
        "regions": regions,
        "departements": departements,
        "categories": CATEGORIES,
        "arobases_choices": AROBASES_CHOICES,
        "mentions": Mention.objects.order_by("name"),
    })


def _distribution(labels):
    counts = {str(level): 0 for level in range(5, 0, -1)}
    hors_concours = 0
    for label in labels:
        if label.hors_concours:
            hors_concours += 1
        else:
            counts[str(label.arobases)] += 1
    return {"levels": counts, "hors_concours": hors_concours}


@require_safe
def statistics(request):
    editions = list(reversed(queries.edition_figures()))
    year = queries.latest_year()
    requested = parse_year(request.GET.get("annee"))
    if any(e.edition.year == requested for e in editions):
        year = requested
    population = queries.population_covered_by_edition()
    regions = {r.pk: r for r in Territory.objects.filter(kind=territory_rules.REGION)}
    by_region = [
        {**row, "region": regions.get(row["territory__region"])}
        for row in (queries.counts_by(year, "territory__region") if year else [])
    ]
    by_region.sort(key=lambda row: row["region"].name if row["region"] else "")
    return render(request, "public/statistics.html", {
        "editions": editions,
        "year": year,
        "rows": [(e, population.get(e.edition.year, 0)) for e in editions],
        "participants_chart": bar_chart([(e.edition.year, e.participants) for e in editions]),
        "distribution_chart": stacked_chart([(e.edition.year, e.distribution) for e in editions]),
        "population_chart": bar_chart([(e.edition.year, population.get(e.edition.year, 0)) for e in editions]),
        "by_region": by_region,
        "region_max": max((row["total"] for row in by_region), default=0),
        "by_category": queries.counts_by_category(year) if year else [],
        "category_names": dict(CATEGORIES),
        "has_demo": any(e.demo_count for e in editions),
    })
