from django.urls import path

from . import candidate_views, conseil_views, jury_views, staff_views

app_name = "evaluation"
urlpatterns = [
    path("evaluation/<year:year>/", jury_views.space, name="space"),
    path("evaluation/<year:year>/conflit/", jury_views.declare, name="declare"),
    path("evaluation/<year:year>/dossiers/<id:dossier_id>/", jury_views.review_page, name="review"),
    path("evaluation/<year:year>/deliberation/", jury_views.deliberation_list, name="deliberation"),
    path("evaluation/<year:year>/deliberation/proces-verbal.pdf", jury_views.minutes_pdf, name="minutes"),
    path("evaluation/<year:year>/deliberation/<id:dossier_id>/", jury_views.deliberation_dossier, name="deliberation_dossier"),
    path("evaluation/<year:year>/recours/<id:appeal_id>/", jury_views.decide_appeal, name="decide_appeal"),
    path("gestion/<year:year>/phase/", staff_views.advance, name="advance"),
    path("gestion/<year:year>/evaluateurs/", staff_views.assignments, name="assignments"),
    path("gestion/<year:year>/conflits/", staff_views.conflict_list, name="conflicts"),
    path("gestion/<year:year>/publication/", staff_views.publication_page, name="publication"),
    path("gestion/<year:year>/presse/<str:region>.csv", staff_views.presskit_file, {"extension": "csv"}, name="presskit_csv"),
    path("gestion/<year:year>/presse/<str:region>.xlsx", staff_views.presskit_file, {"extension": "xlsx"}, name="presskit_xlsx"),
    path("gestion/<year:year>/journal/", staff_views.audit_log, name="audit"),
    path("conseil/<year:year>/", conseil_views.prepare_page, name="prepare"),
    path("espace/<str:code>/dossier/<year:year>/certificat.pdf", candidate_views.certificate, name="certificate"),
    path("espace/<str:code>/dossier/<year:year>/recours/", candidate_views.file_appeal, name="appeal"),
]
