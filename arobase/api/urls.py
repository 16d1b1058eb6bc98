from ninja import NinjaAPI

from . import labels, referential, territories

api = NinjaAPI(
    title="API Arobase",
    version="1",
    description="Données publiques du label : territoires, éditions, palmarès, référentiel. Lecture seule, anonyme.",
    urls_namespace="api-1",
    docs_url="/docs",
    openapi_url="/openapi.json",
)
api.add_router("", territories.router)
api.add_router("", labels.router)
api.add_router("", referential.router)
