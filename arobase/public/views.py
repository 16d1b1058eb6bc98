"""Public pages: read-only, anonymous, and a constant number of queries each."""

import logging
from html import escape

from django.core.paginator import Paginator
from django.db.models import Count, Window
from django.http import Http404, HttpResponse, HttpResponseBadRequest, HttpResponseServerError, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.template import loader
from django.urls import reverse
from django.views.decorators.http import require_safe

from arobase.actions import peers
from arobase.actions.models import Action
from arobase.core.numbers import parse_int, parse_year
from arobase.labels import fees, queries
from arobase.labels.badge import render_badge
from arobase.labels.sign import render_sign, sign_title
from arobase.public.charts import bar_chart
from arobase.territories import rules
from arobase.territories.models import Territory

SEARCH_PAGE_SIZE = 20
MAX_QUERY_LENGTH = 100
MAX_PAGE = 100_000


def page_not_found(request, exception=None):
    if request.path.startswith("/api/"):
        # The API answers in JSON, also for a path that matches none of its operations
        # (/api/v1/actions/abc): {"detail": …} like its own 404s (CONTRACT §6).
        return JsonResponse({"detail": "Adresse inconnue dans l'API."}, status=404, json_dumps_params={"ensure_ascii": False})
    return render(request, "404.html", status=404)


PLAIN_SERVER_ERROR = (
    '<!DOCTYPE html><html lang="fr"><meta charset="utf-8"><title>Erreur du serveur · Arobase</title>'
    "<h1>Une erreur est survenue</h1><p>Réessayez dans quelques instants.</p><p><a href=\"/\">Retour à l'accueil</a></p></html>"
)


def server_error(request):
    """The French error page, rendered without the database (it may be what failed);
    if even the page cannot be drawn (a missing static file…), a plain one."""
    try:
        return HttpResponseServerError(loader.get_template("500.html").render({"request": request}))
    except Exception:  # noqa: BLE001 — the error page must never fail in turn
        logging.getLogger("django.request").exception("La page d'erreur 500 n'a pas pu être affichée")
        return HttpResponseServerError(PLAIN_SERVER_ERROR)


@require_safe
def territory_search(request):
    query = request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]
    results = Territory.objects.search(query).select_related("departement") if query else Territory.objects.none()
    page = Paginator(results, SEARCH_PAGE_SIZE).get_page(parse_int(request.GET.get("page"), 1, MAX_PAGE))
    return render(request, "public/territory_search.html", {"query": query, "page": page})


PROFILE_ACTIONS = 20


@require_safe
def territory_detail(request, code):
    territory = get_object_or_404(
        Territory.objects.outside_regions().select_related("departement", "region", "epci"),
        code=code.upper(),
    )
    labels = queries.history(territory) if territory.kind in (rules.COMMUNE, rules.EPCI) else []
    context = {
        "territory": territory,
        "fee": fees.current_fee(territory),
        "labels": labels,
        "label_summary": queries.territory_summary(labels),
        "history_chart": bar_chart([(label.year, label.arobases or 0) for label in labels], maximum=5),
        "sign_title": sign_title(territory.category),
        "badge_snippet": badge_snippet(request, territory, max(labels, key=lambda label: label.year)) if labels else "",
    }
    if territory.kind in (rules.COMMUNE, rules.EPCI):
        published = Action.objects.published().filter(territory=territory)
        # The total comes with the first rows (a window count): one query whatever the number.
        context["actions"] = list(published.annotate(total=Window(Count("pk"))).order_by("-published_at", "-pk")[:PROFILE_ACTIONS])
        context["action_count"] = context["actions"][0].total if context["actions"] else 0
        latest = max(labels, key=lambda label: label.year) if labels else None
        context["peers"] = peers.peers_of(territory, peers.level_of(latest))
    if territory.kind == rules.EPCI:
        context["members"] = territory.members.order_by("name")
    elif territory.kind == rules.DEPARTEMENT:
        context["epcis"] = Territory.objects.filter(kind=rules.EPCI, departement=territory).order_by("name")
        context["largest_communes"] = _largest_communes(departement=territory)
    return render(request, "public/territory_detail.html", context)


@require_safe
def region_detail(request, code):
    region = get_object_or_404(Territory.objects.select_related("departement", "region"), kind=rules.REGION, code=code.upper())
    year = queries.latest_year()
    context = {
        "territory": region,
        "fee": fees.current_fee(region),
        "latest_year": year,
        "latest_labels": list(queries.palmares(year, queries.PalmaresFilters(region=region.code))) if year else [],
        "departements": Territory.objects.filter(kind=rules.DEPARTEMENT, region=region).order_by("code"),
        "largest_communes": _largest_communes(region=region),
    }
    return render(request, "public/region_detail.html", context)


def _largest_communes(**where):
    return Territory.objects.filter(kind=rules.COMMUNE, **where).order_by("-population")[:10]


@require_safe
def badge_snippet(request, territory, latest):
    """The HTML a town pastes on its website: the badge, linking back to the profile."""
    profile = request.build_absolute_uri(territory.get_absolute_url())
    badge = request.build_absolute_uri(reverse("public:territory_badge", args=[territory.code]))
    level = "hors concours" if latest.hors_concours else f"{latest.arobases} @"
    alt = f"{territory.name} : {sign_title(territory.category)} {level}, label {latest.year}"
    return f'<a href="{profile}"><img src="{badge}" alt="{escape(alt)}" width="180" height="48"></a>'


def territory_badge(request, code):
    """The badge of the territory's latest label, to embed on its website."""
    territory, labels = _territory_labels(code)
    label = labels.first()
    if label is None:
        raise Http404("Aucun label pour ce territoire.")
    svg = render_badge(territory.category, label.arobases, label.year, label.green_arobase, territory.name)
    return _svg(svg, f"badge-{territory.code}-{label.year}.svg")


def _territory_labels(code):
    territory = get_object_or_404(Territory.objects.outside_regions(), code=code.upper())
    return territory, territory.labels.prefetch_related("mentions").order_by("-edition_id")


def _svg(content, file_name):
    response = HttpResponse(content, content_type="image/svg+xml; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{file_name}"'
    return response


def territory_sign(request, code):
    """The road sign of the latest label, or of ?annee=Y; 404 without a label that year."""
    territory, labels = _territory_labels(code)
    if "annee" in request.GET:
        year = parse_year(request.GET["annee"])
        if year is None:
            return HttpResponseBadRequest("Paramètre « annee » invalide : une année est attendue, par exemple 2024.", content_type="text/plain; charset=utf-8")
        labels = labels.filter(edition_id=year)
    label = labels.first()
    if label is None:
        raise Http404("Aucun label pour ce territoire cette année-là.")
    svg = render_sign(territory.category, label.arobases, label.year, label.green_arobase, territory.name)
    return _svg(svg, f"panneau-{territory.code}-{label.year}.svg")
