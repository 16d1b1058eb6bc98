"""Actions, their aggregate for the map, and local actors (CONTRACT §6).

Only published actions, and only public fields: an actor's e-mail and phone never
appear here (they are for logged-in members, on the site, with consent).
"""

from datetime import date, datetime
from typing import Literal

from django.db.models import Prefetch
from ninja import Query, Router, Schema
from ninja.errors import HttpError
from pydantic import Field

from arobase.actions import atlaas
from arobase.actions.directory import actors
from arobase.actions.models import Action, Actor
from arobase.referential.models import Service

from .pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, paginate

router = Router(tags=["actions"])


class TerritoryRef(Schema):
    code: str
    name: str


class ActorRef(Schema):
    slug: str
    name: str


class ActionOut(Schema):
    id: int
    title: str
    subtitle: str
    summary: str
    status: Literal["prevue", "en-cours", "realisee"]
    started: date | None
    ended: date | None
    published: date | None
    updated: datetime
    territory: TerritoryRef
    services: list[str]
    usages: list[str]
    enjeux: list[str]
    axes: list[str]
    lat: float | None
    lon: float | None
    actors: list[ActorRef]
    url: str
    demo: bool


class ActionPage(Schema):
    count: int
    next: str | None
    previous: str | None
    results: list[ActionOut]


class AggregateOut(Schema):
    code: str | None
    name: str
    lat: float | None
    lon: float | None
    count: int


class ActionFilters(Schema):
    q: str | None = Field(None, max_length=100, description="recherche plein texte en français")
    axe: str | None = Field(None, max_length=80, description="identifiant d'un axe du référentiel")
    enjeu: str | None = Field(None, max_length=80)
    usage: str | None = Field(None, max_length=80)
    service: str | None = Field(None, max_length=80)
    territory: str | None = Field(None, max_length=9, description="code INSEE ou SIREN du territoire")
    departement: str | None = Field(None, max_length=3)
    region: str | None = Field(None, max_length=3)
    status: Literal["prevue", "en-cours", "realisee", ""] | None = Field(None, description="vide : tous")
    year: str | None = Field(None, max_length=4, description="année de début ou de dernière mise à jour")
    category: Literal["village", "ville", "territoire", ""] | None = Field(None, description="vide : toutes")
    arobases: str | None = Field(None, max_length=1, description="@ du label le plus récent du territoire, de 1 à 5")
    actor: str | None = Field(None, max_length=80, description="identifiant d'un acteur local")
    bbox: str | None = Field(None, max_length=100, description="ouest,sud,est,nord en degrés (WGS84)")


class ActionListFilters(ActionFilters):
    page: int = Field(1, ge=1)
    page_size: int = Field(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)


class AggregateFilters(ActionFilters):
    level: Literal["region", "departement", "commune"] = "region"


def parsed(filters):
    """The API's filters through the site's own validation (one rule for both)."""
    params = {name: value for name, value in filters.dict().items() if name not in ("page", "page_size", "level") and value is not None}
    try:
        return atlaas.parse(params)
    except atlaas.InvalidFilters as error:
        raise HttpError(422, str(error)) from None


def with_details(queryset):
    services = Service.objects.select_related("usage__enjeu__axe").order_by("pk")
    return queryset.select_related("territory").prefetch_related(
        Prefetch("services", queryset=services), Prefetch("actors", queryset=Actor.objects.order_by("name"))
    )


def action_out(action):
    """One action as the contract shows it (open data's `action_dict` gives the same from
    plain values, for whole files; a test holds them together)."""
    services = list(action.services.all())
    return {
        "id": action.pk,
        "title": action.title,
        "subtitle": action.subtitle,
        "summary": action.summary,
        "status": action.status,
        "started": action.started,
        "ended": action.ended,
        "published": action.published_at.date() if action.published_at else None,
        "updated": action.updated_at,
        "territory": {"code": action.territory.code, "name": action.territory.name},
        "services": [s.slug for s in services],
        "usages": list(dict.fromkeys(s.usage.slug for s in services)),
        "enjeux": list(dict.fromkeys(s.usage.enjeu.slug for s in services)),
        "axes": list(dict.fromkeys(s.usage.enjeu.axe.slug for s in services)),
        "lat": action.point[0],
        "lon": action.point[1],
        "actors": [{"slug": a.slug, "name": a.name} for a in action.actors.all()],
        "url": action.get_absolute_url(),
        "demo": action.is_demo,
    }


@router.get("/actions", response=ActionPage, summary="Actions publiées, filtrées")
def action_list(request, filters: Query[ActionListFilters]):
    """Latest published first; by relevance when `q` is given."""
    found = atlaas.ordered(parsed(filters), with_details)
    return paginate(request, found, filters.page, filters.page_size, action_out)


@router.get("/actions/aggregate", response=list[AggregateOut], summary="Nombre d'actions par région, département ou commune")
def action_aggregate(request, filters: Query[AggregateFilters]):
    """For the map: with the same filters, the counts add up to the list's `count`."""
    return atlaas.aggregate(parsed(filters), filters.level)


@router.get("/actions/{int:action_id}", response=ActionOut, summary="Une action publiée")
def action_detail(request, action_id: int):
    action = with_details(Action.objects.published()).filter(pk=action_id).first() if action_id < 2**63 else None
    if action is None:
        raise HttpError(404, "Action introuvable.")
    return action_out(action)


class ActorOut(Schema):
    slug: str
    name: str
    kind: Literal["association", "epn", "prestataire", "etablissement", "autre"]
    territory: TerritoryRef
    description: str
    website: str
    action_count: int = Field(description="nombre d'actions publiées")
    url: str
    demo: bool


class ActionRef(Schema):
    id: int
    title: str
    url: str


class ActorDetailOut(ActorOut):
    actions: list[ActionRef] = Field(description="ses actions publiées, les plus récentes d'abord")


class ActorPage(Schema):
    count: int
    next: str | None
    previous: str | None
    results: list[ActorOut]


class ActorFilters(Schema):
    q: str | None = Field(None, max_length=100)
    kind: Literal["association", "epn", "prestataire", "etablissement", "autre"] | None = None
    territory: str | None = Field(None, max_length=9)
    page: int = Field(1, ge=1)
    page_size: int = Field(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)


def actor_out(actor):
    return {
        "slug": actor.slug,
        "name": actor.name,
        "kind": actor.kind,
        "territory": {"code": actor.territory.code, "name": actor.territory.name},
        "description": actor.description,
        "website": actor.website,
        "action_count": actor.published_actions,
        "url": actor.get_absolute_url(),
        "demo": actor.is_demo,
    }


@router.get("/actors", response=ActorPage, summary="Acteurs locaux")
def actor_list(request, filters: Query[ActorFilters]):
    for value in (filters.q, filters.territory):
        if value and "\x00" in value:
            raise HttpError(422, "Caractère nul refusé.")
    found = actors(filters.q or "", filters.kind or "", (filters.territory or "").upper())
    return paginate(request, found, filters.page, filters.page_size, actor_out)


@router.get("/actors/{slug}", response=ActorDetailOut, summary="Un acteur local et ses actions publiées")
def actor_detail(request, slug: str):
    actor = actors().filter(slug=slug[:80]).first()
    if actor is None:
        raise HttpError(404, "Acteur introuvable.")
    listed = actor.actions.published().order_by("-published_at", "-pk")
    return {**actor_out(actor), "actions": [{"id": a.pk, "title": a.title, "url": a.get_absolute_url()} for a in listed]}
