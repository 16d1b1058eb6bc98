"""Atlaas: the published actions of the country, filtered and counted (CONTRACT §5, §6).

One set of filters serves the map, the list beside it, the API and the open data, so the
map's counts always add up to the list's count. Filters come from the URL and are
validated here: a bad value is an error to show, never a silent "no filter".
"""

import re
from dataclasses import dataclass, fields, replace

from django.db.models import Count, F, Max, Min, OuterRef, Q, Subquery
from django.utils import timezone

from arobase.core import data_version, figures
from arobase.core.numbers import parse_int, parse_year
from arobase.labels.models import Label
from arobase.territories import rules as territory_rules
from arobase.territories.models import Territory, category_condition

from . import rules, search
from .models import Action

SLUG = re.compile(r"[a-z0-9][a-z0-9-]{0,79}")
CODE = re.compile(r"[0-9AB]{2,9}", re.IGNORECASE)
CATEGORIES = (territory_rules.VILLAGE, territory_rules.VILLE, territory_rules.TERRITOIRE)
LEVELS = (territory_rules.REGION, territory_rules.DEPARTEMENT, territory_rules.COMMUNE)
MAX_QUERY_LENGTH = 100


@dataclass(frozen=True)
class Filters:
    q: str = ""
    axe: str = ""
    enjeu: str = ""
    usage: str = ""
    service: str = ""
    status: str = ""
    year: int | None = None
    category: str = ""
    arobases: int | None = None
    region: str = ""
    departement: str = ""
    territory: str = ""
    actor: str = ""
    bbox: tuple | None = None  # (west, south, east, north), for the map zoomed in

    def as_params(self):
        """The filters as URL parameters (empty ones left out), bbox excluded."""
        params = {}
        for field in fields(self):
            value = getattr(self, field.name)
            if field.name != "bbox" and value not in ("", None):
                params[field.name] = str(value)
        return params

    @property
    def active(self):
        return bool(self.as_params())


class InvalidFilters(ValueError):
    def __init__(self, errors):
        super().__init__("; ".join(f"{name} : {message}" for name, message in errors.items()))
        self.errors = errors


def parse(params):
    """Filters from URL parameters; raises InvalidFilters naming each bad parameter."""
    errors = {}
    values = {}

    def text(name):
        value = params.get(name, "") or ""
        if "\x00" in value:
            errors[name] = "caractère nul refusé."
            return ""
        return value.strip()

    q = text("q")
    if len(q) > MAX_QUERY_LENGTH:
        errors["q"] = f"{MAX_QUERY_LENGTH} caractères au plus."
    values["q"] = q
    for name in ("axe", "enjeu", "usage", "service", "actor"):
        value = text(name).lower()
        if value and not SLUG.fullmatch(value):
            errors[name] = "identifiant inconnu (lettres minuscules, chiffres et tirets)."
        values[name] = value
    for name in ("region", "departement", "territory"):
        value = text(name).upper()
        if value and not CODE.fullmatch(value):
            errors[name] = "code INSEE invalide."
        values[name] = value
    status = text("status")
    if status and status not in dict(rules.STATUS_CHOICES):
        errors["status"] = f"valeurs possibles : {', '.join(dict(rules.STATUS_CHOICES))}."
    values["status"] = status
    category = text("category")
    if category and category not in CATEGORIES:
        errors["category"] = f"valeurs possibles : {', '.join(CATEGORIES)}."
    values["category"] = category
    year = text("year")
    values["year"] = parse_year(year) if year else None
    if year and values["year"] is None:
        errors["year"] = "une année sur quatre chiffres."
    arobases = text("arobases")
    values["arobases"] = parse_int(arobases, 1, 5) if arobases else None
    if arobases and values["arobases"] is None:
        errors["arobases"] = "un nombre de 1 à 5."
    values["bbox"] = None
    bbox = text("bbox")
    if bbox:
        values["bbox"] = _bbox(bbox)
        if values["bbox"] is None:
            errors["bbox"] = "quatre nombres « ouest,sud,est,nord » en degrés."
    if errors:
        raise InvalidFilters(errors)
    return Filters(**values)


def _bbox(text):
    parts = text.split(",")
    if len(parts) != 4 or any(len(p) > 20 for p in parts):
        return None
    try:
        west, south, east, north = (float(p) for p in parts)
    except ValueError:
        return None
    if not all(v == v and abs(v) <= 360 for v in (west, south, east, north)) or west > east or south > north:
        return None
    return west, south, east, north


def current_arobases():
    """The @ of a territory's latest label (a subquery on the action's territory)."""
    return Subquery(
        Label.objects.filter(territory_id=OuterRef("territory_id")).order_by("-edition_id").values("arobases")[:1]
    )


def actions(filters, base=None):
    """Published actions matching `filters` (unordered: callers order or count)."""
    queryset = base if base is not None else Action.objects.published()
    service_filters = {
        "axe": "usage__enjeu__axe__slug", "enjeu": "usage__enjeu__slug", "usage": "usage__slug", "service": "slug",
    }
    for name, path in service_filters.items():
        value = getattr(filters, name)
        if value:
            queryset = queryset.filter(pk__in=Action.services.through.objects.filter(**{f"service__{path}": value}).values("action_id"))
    if filters.actor:
        queryset = queryset.filter(pk__in=Action.actors.through.objects.filter(actor__slug=filters.actor).values("action_id"))
    if filters.status:
        queryset = queryset.filter(status=filters.status)
    if filters.year:
        queryset = queryset.filter(Q(started__year=filters.year) | Q(updated_at__year=filters.year))
    if filters.category:
        queryset = queryset.filter(category_condition(filters.category, "territory__"))
    if filters.arobases:
        queryset = queryset.annotate(_arobases=current_arobases()).filter(_arobases=filters.arobases)
    if filters.region:
        queryset = queryset.filter(territory__region__code=filters.region)
    if filters.departement:
        queryset = queryset.filter(territory__departement__code=filters.departement)
    if filters.territory:
        queryset = queryset.filter(territory__code=filters.territory)
    if filters.bbox:
        west, south, east, north = filters.bbox
        queryset = queryset.filter(
            territory__lon__gte=west, territory__lon__lte=east, territory__lat__gte=south, territory__lat__lte=north
        )
    return search.ACTIONS.filter(queryset, filters.q)


def ordered(filters, details=None):
    """The list's order: best match when searching, else the latest published first.
    `details` adds select_related/prefetch_related to the rows fetched."""
    details = details or (lambda queryset: queryset)
    if filters.q:
        return search.ACTIONS.ranked(details(actions(replace(filters, q=""))), filters.q)
    return details(actions(filters)).order_by(F("published_at").desc(nulls_last=True), "-pk")


def aggregate(filters, level):
    """[{code, name, lat, lon, count}] per région, département or territory (commune or
    EPCI) holding matching actions; the counts add up to the list's count. Actions whose
    territory lacks that level are counted in a last row with code None.

    The map's first views (no filter; communes in a box) read the figure stored per
    version of Atlaas and the territories, so their cost does not grow with the actions."""
    if not replace(filters, bbox=None).active and (filters.bbox is None or level == territory_rules.COMMUNE):
        rows = figures.get(AGGREGATE_FIGURES[level])
        return rows if filters.bbox is None else [row for row in rows if _inside(row, filters.bbox)]
    return _aggregate(filters, level)


def _inside(row, bbox):
    west, south, east, north = bbox
    return row["lat"] is not None and west <= row["lon"] <= east and south <= row["lat"] <= north


def _aggregate(filters, level):
    group = {
        territory_rules.REGION: "territory__region_id",
        territory_rules.DEPARTEMENT: "territory__departement_id",
        territory_rules.COMMUNE: "territory_id",
    }[level]
    rows = list(actions(filters).order_by().values(group).annotate(count=Count("pk")))
    places = Territory.objects.in_bulk([row[group] for row in rows if row[group] is not None])
    result = []
    unplaced = 0
    for row in rows:
        place = places.get(row[group])
        if place is None:
            unplaced += row["count"]
            continue
        result.append({"code": place.code, "name": place.name, "lat": place.lat, "lon": place.lon, "count": row["count"]})
    result.sort(key=lambda item: (-item["count"], item["name"]))
    if unplaced:
        result.append({"code": None, "name": "Sans localisation", "lat": None, "lon": None, "count": unplaced})
    return result


AGGREGATE_FIGURES = {level: f"atlaas:aggregate:{level}" for level in LEVELS}


def register_figures():
    """The unfiltered aggregates, computed by the writer on commit of a change (core/figures.py)."""
    for level, name in AGGREGATE_FIGURES.items():
        figures.register(name, (data_version.ATLAAS, data_version.TERRITORIES), lambda level=level: _aggregate(Filters(), level))


def action_years():
    """Years for the year filter, latest first: from the first action's start to this
    year (two index lookups, whatever the number of actions)."""
    bounds = Action.objects.published().aggregate(first=Min("started"), last=Max("started"))
    if bounds["first"] is None:
        return []
    last = max(bounds["last"].year, timezone.localdate().year)
    return list(range(last, bounds["first"].year - 1, -1))
