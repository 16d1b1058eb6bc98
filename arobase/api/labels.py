"""Labels, editions and palmarès (CONTRACT §6)."""

from datetime import date, datetime

from django.http import JsonResponse
from ninja import Path, Query, Router, Schema
from ninja.errors import HttpError
from pydantic import Field

from arobase.core.numbers import YEAR_MAX, YEAR_MIN
from arobase.labels import queries, rules
from arobase.territories.models import Territory

from .pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, paginate

router = Router(tags=["label"])


class StreakOut(Schema):
    arobases: int
    years: int
    since: int


class TenOut(Schema):
    awarded: int
    valid_until: int


class LabelOut(Schema):
    year: int
    edition: int
    arobases: int | None
    hors_concours: bool
    mentions: list[str]
    prizes: list[str]
    demo: bool = Field(description="Label généré par « arobase demo », pas un fait réel")


class SummaryOut(Schema):
    latest_year: int | None
    latest_arobases: int | None
    streak: StreakOut | None
    five_arobases_count: int
    ten: TenOut | None


class TerritoryLabelsOut(Schema):
    code: str
    labels: list[LabelOut]
    summary: SummaryOut



class EditionOut(Schema):
    year: int
    edition: int
    ceremony_date: date | None
    ceremony_place: str | None
    participants: int
    distribution: dict[str, int]
    phase: str = Field(description="preparation, candidatures, instruction, evaluation, deliberation ou publie")
    opens: datetime | None = Field(description="Ouverture des candidatures (heure de Paris)")
    closes: datetime | None = Field(description="Clôture des dossiers : fin du dernier jour, heure de Paris")


class EditionPage(Schema):
    count: int
    next: str | None
    previous: str | None
    results: list[EditionOut]


class PalmaresEntry(Schema):
    code: str
    name: str
    category: str | None
    arobases: int | None
    hors_concours: bool
    mentions: list[str]
    prizes: list[str]
    demo: bool


class PalmaresPage(Schema):
    count: int
    next: str | None
    previous: str | None
    results: list[PalmaresEntry]


def label_out(label):
    return {
        "year": label.year, "edition": label.edition_number, "arobases": label.arobases,
        "hors_concours": label.hors_concours, "mentions": sorted(label.mention_slugs),
        "prizes": sorted(label.prize_slugs), "demo": label.is_demo,
    }


def edition_out(figures):
    edition = figures.edition
    return {
        "year": edition.year, "edition": edition.number, "ceremony_date": edition.ceremony_date,
        "ceremony_place": edition.ceremony_place or None, "participants": figures.participants,
        "distribution": figures.distribution, "phase": edition.phase,
        "opens": edition.opens, "closes": edition.closes.replace(microsecond=0) if edition.closes else None,
    }


def _edition(year):
    figures = queries.edition_figures(year)
    if not figures:
        raise HttpError(404, f"Aucune édition pour l'année {year}.")
    return figures[0]


@router.get("/territories/{code}/labels", response=TerritoryLabelsOut, summary="Les labels d'un territoire")
def territory_labels(request, code: str):
    territory = Territory.objects.outside_regions().filter(code=code.upper()).first()
    if territory is None:
        raise HttpError(404, f"Aucun territoire de code « {code} ».")
    labels = queries.history(territory)
    return {"code": territory.code, "labels": [label_out(label) for label in labels], "summary": rules.summary(queries.facts(labels))}


@router.get("/editions", response=EditionPage, summary="Les éditions du label")
def list_editions(request, page: int = Query(1, ge=1), page_size: int = Query(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)):
    return paginate(request, queries.edition_figures(), page, page_size, edition_out)


@router.get("/editions/{year}", response=EditionOut, summary="Une édition")
def get_edition(request, year: int = Path(..., ge=YEAR_MIN, le=YEAR_MAX)):
    return edition_out(_edition(year))


@router.get("/editions/{year}/palmares", response=PalmaresPage, summary="Le palmarès d'une édition")
def edition_palmares(request, year: int = Path(..., ge=YEAR_MIN, le=YEAR_MAX), page: int = Query(1, ge=1), page_size: int = Query(MAX_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)):
    if not _edition(year).edition.is_published:
        raise HttpError(404, f"Le palmarès {year} n'est pas encore publié.")
    # Plain rows, built as the contract shows them, answered without the schema's
    # per-row validation: a thousand labels took 70 ms in it (issue 19). A test holds the
    # rows to the schema.
    body = paginate(request, queries.PalmaresRows(queries.palmares(year)), page, page_size, lambda row: row)
    return JsonResponse(body, content_type="application/json; charset=utf-8")
