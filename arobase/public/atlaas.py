"""/atlaas/: the map and the list of the country's published actions.

The page works without JavaScript: the filters are a GET form (so every view has its
URL, survives reload and back/forward) and the list beside the map is rendered here,
paginated, with the count. The map is an enhancement: it asks the aggregate API for
counts with the same filters and never downloads the actions themselves.
"""

import hashlib
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpResponse, HttpResponseNotModified
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from arobase.actions import atlaas, rules
from arobase.actions.models import Actor
from arobase.core.numbers import parse_int
from arobase.labels.models import Label
from arobase.referential import loading
from arobase.referential.models import Service
from arobase.territories import rules as territory_rules
from arobase.territories.models import Territory

PAGE_SIZE = 20
MAX_PAGE = 10_000


def referential_choices():
    """Axes › enjeux › usages › services of the latest referential, for the filters."""
    year = loading.Axe.objects.order_by("-edition_id").values_list("edition_id", flat=True).first()
    return loading.tree(year) if year else []


@require_safe
def atlaas_page(request):
    try:
        filters = atlaas.parse(request.GET)
        errors = {}
    except atlaas.InvalidFilters as error:
        filters, errors = atlaas.Filters(), error.errors
    page_number = parse_int(request.GET.get("page", "1"), 1, MAX_PAGE) or 1
    found = atlaas.ordered(filters, lambda queryset: queryset.select_related("territory").prefetch_related(
        Prefetch("services", queryset=Service.objects.order_by("position", "pk"))
    ))
    paginator = Paginator(found, PAGE_SIZE)
    if page_number > paginator.num_pages:
        if page_number > 1:
            raise Http404(_("Cette page de résultats n'existe pas."))
    page = paginator.get_page(page_number)
    levels = current_levels([action.territory_id for action in page])
    for action in page:
        action.current_level = levels.get(action.territory_id)
    context = {
        "filters": filters,
        "errors": errors,
        "page": page,
        "query_string": urlencode(filters.as_params()),
        "axes": referential_choices(),
        "statuses": rules.STATUS_CHOICES,
        "categories": [(territory_rules.VILLAGE, _("Village")), (territory_rules.VILLE, _("Ville")), (territory_rules.TERRITOIRE, _("Intercommunalité"))],
        "regions": Territory.objects.filter(kind=territory_rules.REGION).order_by("name"),
        "departements": Territory.objects.filter(kind=territory_rules.DEPARTEMENT).order_by("code"),
        "years": atlaas.action_years(),
        "actor": Actor.objects.filter(slug=filters.actor).first() if filters.actor else None,
        "territory": Territory.objects.filter(code=filters.territory).exclude(kind=territory_rules.REGION).first() if filters.territory else None,
        "tile_url": settings.ATLAAS_TILE_URL,
        "tile_attribution": settings.ATLAAS_TILE_ATTRIBUTION,
    }
    return render(request, "public/atlaas.html", context, status=400 if errors else 200)


def current_levels(territory_ids):
    """{territory id: @ of its latest label} in one query."""
    levels = {}
    for territory_id, arobases in (
        Label.objects.filter(territory_id__in=set(territory_ids)).order_by("territory_id", "edition_id").values_list("territory_id", "arobases")
    ):
        levels[territory_id] = arobases
    return levels


OUTLINES = Path(__file__).resolve().parent.parent / "territories" / "data" / "outlines.geojson"


@lru_cache(maxsize=1)
def _outlines():
    content = OUTLINES.read_bytes()
    return content, '"{}"'.format(hashlib.sha256(content).hexdigest()[:32])


@require_safe
def outlines(request):
    """Régions and départements drawn on the map: reference data shipped with the code
    (scripts/build_outlines.py), so nothing is fetched from a third party."""
    content, etag = _outlines()
    if request.headers.get("If-None-Match") == etag:
        response = HttpResponseNotModified()
    else:
        response = HttpResponse(content, content_type="application/geo+json")
    response["ETag"] = etag
    response["Cache-Control"] = "public, max-age=86400"
    return response
