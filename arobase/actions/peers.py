"""Territories like me: who, among territories of my size, holds more @, and which
services of the referential they have put in place that I have not.

Computed from published data only (labels, published actions), in a constant number of
queries whatever the size of the country.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, F, OuterRef, Q, Subquery, Window
from django.db.models.functions import RowNumber

from arobase.labels.models import Label
from arobase.territories.models import Territory, category_condition

from . import rules
from .models import Action

PEERS_SHOWN = 8
SERVICES_SHOWN = 8
EXAMPLES_PER_SERVICE = 3


@dataclass
class MissingService:
    slug: str
    name: str
    peers: int
    examples: list = field(default_factory=list)


@dataclass
class Peers:
    territories: list
    total: int
    services: list
    low: int
    high: int


def population_band(population, ratio):
    """[population / ratio, population × ratio], rounded to whole inhabitants."""
    return int(population / ratio), int(population * ratio + 0.5)


def latest_arobases():
    return Subquery(Label.objects.filter(territory_id=OuterRef("pk")).order_by("-edition_id").values("arobases")[:1])


def level_of(label):
    """The level to beat: a label's @, 5 when hors concours, 0 without a label."""
    if label is None:
        return 0
    return 5 if label.hors_concours else (label.arobases or 0)


def peers_of(territory, current_level, ratio=None):
    """Peers of `territory` (same category, population within the band, more @ than
    `current_level`), or None when the territory has no category or population."""
    category = territory.category
    if not category or not territory.population:
        return None
    low, high = population_band(territory.population, ratio or settings.PEER_POPULATION_RATIO)
    candidates = (
        Territory.objects.filter(category_condition(category), population__gte=low, population__lte=high)
        .exclude(pk=territory.pk)
        .annotate(level=latest_arobases())
        .filter(level__gt=current_level or 0)
    )
    shown = list(
        candidates.annotate(
            published_actions=Count("actions", filter=Q(actions__state=rules.PUBLISHED)),
            total=Window(Count("pk")),  # all the peers, counted in the same query
        ).order_by("-level", "-published_actions", "name")[:PEERS_SHOWN]
    )
    total = shown[0].total if shown else 0
    return Peers(shown, total, missing_services(territory, candidates.values("pk")), low, high)


def missing_services(territory, peer_ids):
    """Services (by slug, stable across editions) the peers' published actions use and
    this territory's do not, most widespread first, with a few example actions."""
    through = Action.services.through
    mine = through.objects.filter(action__territory=territory, action__state=rules.PUBLISHED).values("service__slug")
    rows = list(
        through.objects.filter(action__territory_id__in=peer_ids, action__state=rules.PUBLISHED)
        .exclude(service__slug__in=mine)
        .values("service__slug")
        .annotate(peers=Count("action__territory_id", distinct=True))
        .order_by("-peers", "service__slug")[:SERVICES_SHOWN]
    )
    slugs = [row["service__slug"] for row in rows]
    examples = (
        # Run even without slugs ("" matches none), so that a profile's query count never depends on the data.
        through.objects.filter(action__territory_id__in=peer_ids, action__state=rules.PUBLISHED, service__slug__in=slugs or [""])
        .select_related("action__territory", "service")
        .annotate(rank=Window(RowNumber(), partition_by=F("service__slug"), order_by=[F("action__published_at").desc(), F("action_id").desc()]))
        .filter(rank__lte=EXAMPLES_PER_SERVICE * 4)
        .order_by("service__slug", "rank")
    )
    found = {slug: MissingService(slug, "", row["peers"]) for slug, row in zip(slugs, rows)}
    for link in examples:
        entry = found[link.service.slug]
        entry.name = entry.name or link.service.name
        if len(entry.examples) < EXAMPLES_PER_SERVICE and all(e.territory_id != link.action.territory_id for e in entry.examples):
            entry.examples.append(link.action)
    return [found[slug] for slug in slugs]
