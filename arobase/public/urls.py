from django.conf import settings
from django.urls import path
from django.views.generic import TemplateView

from arobase.actions import views as actions
from arobase.core import data_version, page_cache, warming

from . import actors, atlaas, home, palmares, referential, views

app_name = "public"
urlpatterns = [
    path("", home.home, name="home"),
    path("le-label/", home.label_page, name="label"),
    path("territoires/", views.territory_search, name="territory_search"),
    path("territoires/<str:code>/", views.territory_detail, name="territory"),
    path("territoires/<str:code>/panneau.svg", views.territory_sign, name="territory_sign"),
    path("territoires/<str:code>/badge.svg", views.territory_badge, name="territory_badge"),
    path("palmares/", palmares.palmares_index, name="palmares"),
    path("palmares/<year:year>/", palmares.palmares_year, name="palmares_year"),
    path("statistiques/", palmares.statistics, name="statistics"),
    path("regions/<str:code>/", views.region_detail, name="region"),
    path("referentiel/", referential.referential_page, name="referential"),
    path("atlaas/", atlaas.atlaas_page, name="atlaas"),
    path("atlaas/contours.geojson", atlaas.outlines, name="atlaas_outlines"),
    path("acteurs/", actors.actor_directory, name="actors"),
    path("acteurs/<slug:slug>/", actors.actor_page, name="actor"),
    path("actions/<id:pk>/", actions.action_page, name="action"),
    path("actions/<id:pk>/images/<id:image_pk>/<str:size>.jpg", actions.image_file, name="action_image"),
    path("mentions-legales/", TemplateView.as_view(template_name="public/legal.html", extra_context={"association_email": settings.ASSOCIATION["email"]}), name="legal"),
    path("accessibilite/", TemplateView.as_view(template_name="public/accessibility.html"), name="accessibility"),
]

# What each page shows, hence which changes make it render again (core/page_cache.py).
# The home page and a profile show everything; pages left out do too.
P, T, R, A = data_version.PALMARES, data_version.TERRITORIES, data_version.REFERENTIAL, data_version.ATLAAS
page_cache.declare("public", {
    "label": (P, T),
    "territory_search": (P, T),
    "territory_sign": (P, T),
    "territory_badge": (P, T),
    "palmares": (P, T),
    "palmares_year": (P, T),
    "statistics": (P, T),
    "region": (P, T),
    "referential": (R,),
    "atlaas": (A, T, R, P),  # filters on the territory's current @
    "actors": (A, T),
    "actor": (A, T),
    "action": (A, T, R),
    "action_image": (A,),
    "action_csv": (A, T, R),
    "legal": (),
    "accessibility": (),
    "atlaas_outlines": None,  # reference data shipped with the code, with its own ETag
})


@warming.provide
def main_pages():
    """What the public opens first after a publication: the home page, the palmarès of
    the latest years, the statistics, Atlaas, the régions, and the profiles of the
    latest edition's 5 @ (bounded: warming runs inside the publication's request)."""
    from arobase.labels import season
    from arobase.labels.models import Edition, Label
    from arobase.territories import rules as territory_rules
    from arobase.territories.models import Territory

    years = list(Edition.objects.filter(phase=season.PUBLIE).order_by("-year").values_list("year", flat=True)[:3])
    regions = Territory.objects.filter(kind=territory_rules.REGION).order_by("code").values_list("code", flat=True)
    top = (Label.objects.filter(edition_id=years[0], arobases=5).order_by("territory__code").values_list("territory__code", flat=True)[:30]
           if years else [])
    return [
        "/", "/en/", "/le-label/", "/palmares/", *[f"/palmares/{year}/" for year in years], "/statistiques/",
        "/atlaas/", "/acteurs/", "/territoires/", "/referentiel/", *[f"/regions/{code}/" for code in regions],
        *[f"/territoires/{code}/" for code in top],
    ]
