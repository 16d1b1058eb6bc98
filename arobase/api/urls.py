from ninja import NinjaAPI

from . import actions, labels, referential, territories

api = NinjaAPI(
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
