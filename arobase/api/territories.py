"""Territories and régions (CONTRACT §6)."""

from typing import Literal

from django.db.models import Q
from ninja import Query, Router, Schema
from ninja.errors import HttpError
from pydantic import Field

from arobase.labels import fees
from arobase.territories import rules
from arobase.territories.models import Territory

from .pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, paginate

router = Router(tags=["territoires"])


class TerritoryOut(Schema):
    code: str
    name: str
    kind: Literal["commune", "epci", "departement", "region"]
    category: Literal["village", "ville", "territoire"] | None
    population: int | None
    departement: str | None
    region: str | None
    epci: str | None
    lat: float | None
    lon: float | None
    membership_fee: str | None = Field(description="Cotisation de l'année en cours, en euros")


class TerritoryPage(Schema):
    count: int
    next: str | None
    previous: str | None
    results: list[TerritoryOut]


class TerritoryFilters(Schema):
    q: str | None = Field(None, max_length=100, description="nom, code ou code postal")
    kind: Literal["commune", "epci", "departement", "region"] | None = None
    departement: str | None = Field(None, max_length=3)
    region: str | None = Field(None, max_length=3)
    page: int = Field(1, ge=1)
    page_size: int = Field(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)


def territory_out(territory):
    """One territory as the contract shows it; the single serializer for every endpoint."""
    fee = fees.current_fee(territory)
    return {
        "code": territory.code,
        "name": territory.name,
        "kind": territory.kind,
        "category": territory.category,
        "population": territory.population,
        "departement": territory.departement.code if territory.departement else None,
        "region": territory.region.code if territory.region else None,
        "epci": territory.epci.code if territory.epci else None,
        "lat": territory.lat,
        "lon": territory.lon,
        "membership_fee": str(fee.amount) if fee is not None else None,
    }


def with_links(queryset):
    return queryset.select_related("departement", "region", "epci")


@router.get("/territories", response=TerritoryPage, summary="Rechercher des territoires")
def list_territories(request, filters: Query[TerritoryFilters]):
    territories = Territory.objects.all()
    if filters.q and filters.q.strip():
        territories = territories.search(filters.q)
    else:
        territories = territories.order_by("kind", "code")
    if filters.kind:
        territories = territories.filter(kind=filters.kind)
    if filters.departement:
        territories = territories.filter(departement__code=filters.departement.upper())
    if filters.region:
        territories = territories.filter(region__code=filters.region.upper())
    return paginate(request, with_links(territories), filters.page, filters.page_size, territory_out)


def _get(kind_filter, code, what):
    try:
        return with_links(Territory.objects.filter(kind_filter)).get(code=code.upper())
    except Territory.DoesNotExist:
        raise HttpError(404, f"Aucun{what} de code « {code} ».") from None


@router.get("/territories/{code}", response=TerritoryOut, summary="Un territoire")
def get_territory(request, code: str):
    return territory_out(_get(~Q(kind=rules.REGION), code, " territoire"))


@router.get("/regions", response=TerritoryPage, summary="Les régions")
def list_regions(request, page: int = Query(1, ge=1), page_size: int = Query(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)):
    regions = with_links(Territory.objects.filter(kind=rules.REGION).order_by("code"))
    return paginate(request, regions, page, page_size, territory_out)


@router.get("/regions/{code}", response=TerritoryOut, summary="Une région")
def get_region(request, code: str):
    return territory_out(_get(Q(kind=rules.REGION), code, "e région"))
