from django.urls import path

from . import views

app_name = "opendata"
urlpatterns = [
    path("", views.index, name="index"),
    path("palmares.csv", views.palmares_csv, name="palmares_csv"),
    path("actions.csv", views.actions_csv, name="actions_csv"),
    path("actions.geojson", views.actions_geojson, name="actions_geojson"),
    path("referentiel.json", views.referentiel_json, name="referentiel_json"),
    path("datapackage.json", views.datapackage, name="datapackage"),
    path("arobase.xlsx", views.xlsx, name="xlsx"),
]
