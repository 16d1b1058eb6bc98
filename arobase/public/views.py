"""Public pages: read-only, anonymous, and a constant number of queries each."""

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from arobase.territories import rules
from arobase.territories.models import Territory

SEARCH_PAGE_SIZE = 20
MAX_QUERY_LENGTH = 100


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


@require_safe
def home(request):
    return render(request, "public/home.html")


@require_safe
def territory_search(request):
    query = request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]
    results = Territory.objects.search(query).select_related("departement") if query else Territory.objects.none()
    page = Paginator(results, SEARCH_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "public/territory_search.html", {"query": query, "page": page})


@require_safe
def territory_detail(request, code):
    territory = get_object_or_404(
        Territory.objects.outside_regions().select_related("departement", "region", "epci"),
        code=code.upper(),
    )
    context = {"territory": territory}
    if territory.kind == rules.EPCI:
        context["members"] = territory.members.order_by("name")
    elif territory.kind == rules.DEPARTEMENT:
        context["epcis"] = Territory.objects.filter(kind=rules.EPCI, departement=territory).order_by("name")
        context["largest_communes"] = _largest_communes(departement=territory)
    return render(request, "public/territory_detail.html", context)


@require_safe
def region_detail(request, code):
    region = get_object_or_404(Territory.objects.select_related("departement", "region"), kind=rules.REGION, code=code.upper())
    context = {
        "territory": region,
        "departements": Territory.objects.filter(kind=rules.DEPARTEMENT, region=region).order_by("code"),
        "largest_communes": _largest_communes(region=region),
    }
    return render(request, "public/region_detail.html", context)


def _largest_communes(**where):
    return Territory.objects.filter(kind=rules.COMMUNE, **where).order_by("-population")[:10]
