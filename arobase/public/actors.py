"""Local actors: the directory (/acteurs/) and a profile per actor with its actions."""

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from rules import test_rule

from arobase.actions import rules
from arobase.actions.atlaas import CODE, SLUG
from arobase.actions.directory import actors as find_actors
from arobase.actions.models import Actor
from arobase.core.numbers import parse_int
from arobase.territories.models import Territory

from .atlaas import MAX_PAGE, referential_choices

PAGE_SIZE = 30
MAX_QUERY_LENGTH = 100


def directory_filters(params):
    """(filters, errors) from the URL: a bad value is named, never silently dropped."""
    filters, errors = {}, {}
    q = (params.get("q") or "").replace("\x00", "").strip()
    if len(q) > MAX_QUERY_LENGTH:
        errors["q"] = _("100 caractères au plus.")
        q = ""
    filters["q"] = q
    kind = params.get("kind") or ""
    if kind and kind not in dict(rules.ACTOR_KIND_CHOICES):
        errors["kind"] = _("type inconnu.")
        kind = ""
    filters["kind"] = kind
    territory = (params.get("territory") or "").strip().upper()
    if territory and not CODE.fullmatch(territory):
        errors["territory"] = _("code INSEE invalide.")
        territory = ""
    filters["territory"] = territory
    service = (params.get("service") or "").strip().lower()
    if service and not SLUG.fullmatch(service):
        errors["service"] = _("identifiant de service inconnu.")
        service = ""
    filters["service"] = service
    return filters, errors


@require_safe
def actor_directory(request):
    filters, errors = directory_filters(request.GET)
    page_number = parse_int(request.GET.get("page", "1"), 1, MAX_PAGE) or 1
    paginator = Paginator(find_actors(**filters), PAGE_SIZE)
    if page_number > max(1, paginator.num_pages):
        raise Http404(_("Cette page de résultats n'existe pas."))
    active = {name: value for name, value in filters.items() if value}
    return render(request, "public/actor_directory.html", {
        "filters": filters,
        "errors": errors,
        "page": paginator.get_page(page_number),
        "query_string": urlencode(active),
        "filtered": bool(active),
        "kinds": rules.ACTOR_KIND_CHOICES,
        "axes": referential_choices(),
        "territory": Territory.objects.filter(code=filters["territory"]).first() if filters["territory"] else None,
    }, status=400 if errors else 200)


@require_safe
def actor_page(request, slug):
    actor = get_object_or_404(Actor.objects.select_related("territory"), slug=slug)
    actions = list(
        actor.actions.published().select_related("territory").prefetch_related("services").order_by("-published_at", "-pk")
    )
    points = [
        {"lat": a.point[0], "lon": a.point[1], "title": a.title, "url": a.get_absolute_url()}
        for a in actions if a.point[0] is not None
    ]
    return render(request, "public/actor_detail.html", {
        "actor": actor,
        "actions": actions,
        "points": points,
        "see_contacts": test_rule("actor.see_contacts", request.user, actor),
    })
