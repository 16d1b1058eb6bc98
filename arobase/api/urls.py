from ninja import NinjaAPI

from arobase.core import data_version, page_cache, warming

from . import actions, labels, referential, territories

# The errors every operation may answer (CONTRACT §6), documented so that clients and
# schema checks know them: {"detail": "…"}, or for a parameter that fails validation
# {"detail": [{"loc": …, "msg": …, "type": …}, …]}.
ERROR_SCHEMA = {
    "type": "object",
    "properties": {"detail": {"anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "object"}}]}},
    "required": ["detail"],
}
ERRORS = {
    "400": "Requête invalide.",
    "404": "Objet inconnu, ou page au-delà de la dernière.",
    "422": "Paramètre invalide.",
}


class Api(NinjaAPI):
    def get_openapi_schema(self, **kwargs):
        schema = super().get_openapi_schema(**kwargs)
        for operations in schema["paths"].values():
            for operation in operations.values():
                for status, description in ERRORS.items():
                    operation["responses"].setdefault(status, {
                        "description": description, "content": {"application/json": {"schema": ERROR_SCHEMA}},
                    })
        return schema


api = Api(
    title="API Arobase",
    version="1",
    description="Données publiques du label : territoires, éditions, palmarès, référentiel, actions (Atlaas) et acteurs locaux. Lecture seule, anonyme.",
    urls_namespace="api-1",
    docs_url="/docs",
    openapi_url="/openapi.json",
)
api.add_router("", territories.router)
api.add_router("", labels.router)
api.add_router("", referential.router)
api.add_router("", actions.router)

# What each answer shows, hence which changes make it render again (core/page_cache.py).
P, T, R, A = data_version.PALMARES, data_version.TERRITORIES, data_version.REFERENTIAL, data_version.ATLAAS
page_cache.declare("api-1", {
    "openapi-json": None,
    "openapi-view": None,
    "api-root": (),
    "list_territories": (P, T),
    "get_territory": (P, T),
    "list_regions": (P, T),
    "get_region": (P, T),
    "territory_labels": (P, T),
    "list_editions": (P,),
    "get_edition": (P,),
    "edition_palmares": (P, T),
    "referential": (R,),
    "action_list": (A, T, R, P),  # filters on the territory's current @
    "action_aggregate": (A, T, R, P),
    "action_detail": (A, T, R),
    "actor_list": (A, T),
    "actor_detail": (A, T),
})


@warming.provide
def main_answers():
    """The answers clients ask for after a publication: editions, the latest palmarès,
    régions, and Atlaas's list and aggregates."""
    from arobase.labels import season
    from arobase.labels.models import Edition

    latest = Edition.objects.filter(phase=season.PUBLIE).order_by("-year").values_list("year", flat=True).first()
    return [
        "/api/v1/editions", *([f"/api/v1/editions/{latest}/palmares"] if latest else []), "/api/v1/regions",
        "/api/v1/actions", "/api/v1/actions/aggregate", "/api/v1/actions/aggregate?level=departement",
    ]
