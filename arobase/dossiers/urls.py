from django.urls import path

from . import gestion, space_views, views

app_name = "dossiers"
urlpatterns = [
    path("espace/", space_views.space, name="space"),
    path("espace/<str:code>/", space_views.territory_space, name="territory_space"),
    path("espace/<str:code>/adhesion/<year:year>/", views.membership_page, name="membership"),
    path("espace/<str:code>/adhesion/<year:year>/paiement/", views.record_payment, name="record_payment"),
    path("espace/<str:code>/adhesion/<year:year>/facture.pdf", views.invoice_pdf, name="invoice"),
    path("espace/<str:code>/dossier/<year:year>/", views.dossier_page, name="dossier"),
    path("espace/<str:code>/dossier/<year:year>/resume.pdf", views.dossier_summary_pdf, name="dossier_pdf"),
    path("espace/<str:code>/dossier/<year:year>/rouvrir/", views.reopen, name="reopen"),
    path("gestion/<year:year>/adhesions.csv", gestion.memberships_csv, name="memberships_csv"),
    path("gestion/<year:year>/dossiers.csv", gestion.dossiers_csv, name="dossiers_csv"),
]
