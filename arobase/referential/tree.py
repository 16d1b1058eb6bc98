"""The referential of an edition as nested data: what the API gives at /api/v1/referential
and the open data in referentiel.json, built in one place so that they never differ."""

from . import loading


def node(item, children=None):
    out = {"slug": item.slug, "name": item.name}
    if children is not None:
        out.update(children)
    return out


def referential_tree(year=None):
    """`{"edition", "axes"}`: axes > enjeux > usages > services of edition `year` (the
    latest loaded when None), in 4 queries; None when that edition has no referential."""
    year = year if year is not None else loading.latest_year()
    axes = loading.tree(year) if year else []
    if not axes:
        return None
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
