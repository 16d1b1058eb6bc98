"""Public pages of the palmarès and the statistics."""

from collections import defaultdict
from urllib.parse import urlencode

from django.conf import settings

from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from arobase.core.numbers import parse_int, parse_year
from arobase.labels import queries
from arobase.labels.models import Label, Mention
from arobase.public.charts import bar_chart, stacked_chart
from arobase.public.templatetags.arobase_tags import level
from arobase.territories import rules as territory_rules
from arobase.territories.models import Territory

CATEGORIES = [
    (territory_rules.VILLAGE, "Village Internet"),
    (territory_rules.VILLE, "Ville Internet"),
    (territory_rules.TERRITOIRE, "Territoire Internet"),
]
# A real edition has about 300 laureates: one page. The page is bounded so that an edition
# ten times larger costs the same to render and to keep in the page cache.
PAGE_SIZE = 500
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
    labels = queries.palmares(year, filters)
    distribution = _distribution(labels)
    paginator = Paginator(labels, PAGE_SIZE)
    paginator.count = distribution["total"]  # known already: no COUNT query
    page_number = parse_int(request.GET.get("page", "1"), 1, 100_000) or 1
    if page_number > max(1, paginator.num_pages):
        raise Http404("Cette page du palmarès n'existe pas.")
    page = paginator.get_page(page_number)
    places = list(Territory.objects.filter(kind__in=[territory_rules.REGION, territory_rules.DEPARTEMENT])
                  .order_by("kind", "name").only("kind", "code", "name"))
    return render(request, "public/palmares_year.html", {
        "edition": figures[0],
        "labels": paginator.count > 0,
        "rows": table_rows(page.object_list),
        "page": page,
        "count": paginator.count,
        "query_string": urlencode(filters.as_query()),
        "filters": filters,
        "filtered": bool(filters.as_query()),
        "distribution": distribution,
        "has_demo": distribution["demo"] > 0,
        "regions": [t for t in places if t.kind == territory_rules.REGION],  # by name, in the database's collation
        "departements": sorted((t for t in places if t.kind == territory_rules.DEPARTEMENT), key=lambda t: t.code),
        "categories": CATEGORIES,
        "arobases_choices": AROBASES_CHOICES,
        "mentions": Mention.objects.order_by("name"),
    })


def _distribution(labels):
    """Laureates per level over all pages, in one grouped query."""
    rows = labels.order_by().values("hors_concours", "arobases").annotate(
        total=Count("id", distinct=True), demo=Count("id", filter=Q(is_demo=True), distinct=True))
    counts = {str(level): 0 for level in range(5, 0, -1)}
    hors_concours = demo = total = 0
    for row in rows:
        demo += row["demo"]
        total += row["total"]
        if row["hors_concours"]:
            hors_concours += row["total"]
        elif str(row["arobases"]) in counts:
            counts[str(row["arobases"])] += row["total"]
    return {"levels": counts, "hors_concours": hors_concours, "demo": demo, "total": total}


@require_safe
def statistics(request):
    history, population = queries.stored_history()
    editions = list(reversed(history))
    year = queries.latest_year()
    requested = parse_year(request.GET.get("annee"))
    if any(e.edition.year == requested for e in editions):
        year = requested
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


def table_rows(labels):
    """The palmarès table's rows for a page of labels, from plain rows (three queries),
    built in Python: the template loop over model instances cost 0.2 ms a row. The
    markup is the one the template gave, every text escaped."""
    rows = list(labels.prefetch_related(None).values_list(
        "pk", "arobases", "hors_concours", "is_demo", "territory__code", "territory__name", "territory__kind",
        "territory__population", "territory__departement__name", named=True))
    ids = [row.pk for row in rows]
    mentions, prizes = defaultdict(list), defaultdict(list)
    for label_id, name in Label.mentions.through.objects.filter(label_id__in=ids).order_by("mention__name").values_list("label_id", "mention__name"):
        mentions[label_id].append(conditional_escape(name))
    for label_id, name in Label.prizes.through.objects.filter(label_id__in=ids).order_by("prize__name").values_list("label_id", "prize__name"):
        prizes[label_id].append(format_html("<strong>{}</strong>", name))
    kinds = {territory_rules.VILLAGE: _("Village"), territory_rules.VILLE: _("Ville")}
    demo = format_html(' <span class="badge-demo">{}</span>', _("démo"))
    threshold = settings.VILLAGE_THRESHOLD
    html = []
    for row in rows:
        category = territory_rules.category(row.territory__kind, row.territory__population, threshold)
        awards = ", ".join(mentions[row.pk]) + (" · " if mentions[row.pk] and prizes[row.pk] else "") + ", ".join(prizes[row.pk])
        html.append(format_html(
            '<tr><th scope="row"><a href="{}">{}</a></th><td>{}</td><td>{}</td><td>{}{}</td><td>{}</td></tr>',
            reverse("public:territory", args=[row.territory__code]), row.territory__name, kinds.get(category, _("Territoire")),
            row.territory__departement__name or "–", level(row), demo if row.is_demo else "",
            mark_safe(awards),  # noqa: S308 (each part escaped above)
        ))
    return mark_safe("\n".join(html))  # noqa: S308 (each row built by format_html)
