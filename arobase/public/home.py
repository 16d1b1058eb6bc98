"""The home page and the page that explains the label: what a visitor comes for."""

from django.shortcuts import render
from django.views.decorators.http import require_safe

from arobase.actions.models import Action, Actor
from arobase.labels import fees, queries
from arobase.labels.models import Edition, Mention
from arobase.labels.sign import sign_title
from arobase.territories.models import Territory

LAUREATES_SHOWN = 12
CALCULATOR_RESULTS = 10


@require_safe
def home(request):
    year = queries.latest_year()
    latest = queries.edition_figures(year) if year else []
    # Without mentions and prizes (not shown here): the same queries whether or not there are laureates.
    five = queries.palmares(year, queries.PalmaresFilters(arobases="5")).prefetch_related(None) if year else None
    laureates = list(five[:LAUREATES_SHOWN]) if year else []
    return render(request, "public/home.html", {
        "figures": {**queries.stored_network_figures(), **action_figures()},
        "latest": latest[0] if latest else None,
        "laureates": [(label, sign_title(label.territory.category)) for label in laureates],
        "ten_holders": queries.ten_holders(year) if year else [],
        "regions": queries.labelled_by_region(year) if year else [],
    })


def action_figures():
    """Published actions and local actors, for the network figures (2 queries)."""
    return {"actions": Action.objects.published().count(), "actors": Actor.objects.count()}


@require_safe
def label_page(request):
    """The label explained, with the fee of any territory (a plain GET form, no script)."""
    query = request.GET.get("q", "").strip()[:100]
    code = request.GET.get("code", "").strip()[:9].upper()
    chosen = Territory.objects.filter(code=code).exclude(kind="region").select_related("departement").first() if code else None
    matches = list(Territory.objects.search(query).select_related("departement")[:CALCULATOR_RESULTS]) if query and not chosen else []
    return render(request, "public/label.html", {
        "query": query,
        "chosen": chosen,
        "fee": fees.current_fee(chosen) if chosen else None,
        "matches": matches,
        "mentions": Mention.objects.order_by("name"),
        "edition": Edition.objects.order_by("-year").first(),
    })
