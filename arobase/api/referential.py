"""The national referential of an edition (CONTRACT §6)."""

from ninja import Query, Router, Schema
from ninja.errors import HttpError

from arobase.core.numbers import YEAR_MAX, YEAR_MIN
from arobase.referential import loading

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


def node(item, children=None):
    out = {"slug": item.slug, "name": item.name}
    if children is not None:
        out.update(children)
    return out


@router.get("/referential", response=ReferentialOut, summary="Le référentiel national d'une édition")
def referential(request, edition: int | None = Query(None, ge=YEAR_MIN, le=YEAR_MAX)):
    year = edition if edition is not None else loading.latest_year()
    axes = loading.tree(year) if year else []
    if not axes:
        raise HttpError(404, f"Aucun référentiel pour l'édition {edition}." if edition else "Aucun référentiel n'est encore chargé.")
    return {
        "edition": year,
        "axes": [
            node(axe, {"enjeux": [
                node(enjeu, {"usages": [
                    node(usage, {"services": [{"slug": s.slug, "name": s.name, "description": s.description} for s in usage.services.all()]})
                    for usage in enjeu.usages.all()
                ]})
                for enjeu in axe.enjeux.all()
            ]})
            for axe in axes
        ],
    }
