"""The national referential of an edition (CONTRACT §6)."""

from ninja import Query, Router, Schema
from ninja.errors import HttpError

from arobase.core.numbers import YEAR_MAX, YEAR_MIN
from arobase.referential.tree import referential_tree

router = Router(tags=["référentiel"])


class ServiceOut(Schema):
    slug: str
    name: str
    description: str


class UsageOut(Schema):
    slug: str
    name: str
    services: list[ServiceOut]


class EnjeuOut(Schema):
    slug: str
    name: str
    usages: list[UsageOut]


class AxeOut(Schema):
    slug: str
    name: str
    enjeux: list[EnjeuOut]


class ReferentialOut(Schema):
    edition: int
    axes: list[AxeOut]


@router.get("/referential", response=ReferentialOut, summary="Le référentiel national d'une édition")
def referential(request, edition: int | None = Query(None, ge=YEAR_MIN, le=YEAR_MAX)):
    found = referential_tree(edition)
    if found is None:
        raise HttpError(404, f"Aucun référentiel pour l'édition {edition}." if edition else "Aucun référentiel n'est encore chargé.")
    return found
