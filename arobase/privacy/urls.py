from django.urls import path

from . import views

app_name = "privacy"
urlpatterns = [
    path("compte/", views.account, name="account"),
    path("compte/donnees/", views.download, name="download"),
    path("compte/suppression/", views.delete, name="delete"),
    path("compte/coordonnees/retrait/", views.withdraw_consent, name="withdraw_consent"),
]
