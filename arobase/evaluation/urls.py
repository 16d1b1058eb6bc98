from django.urls import path

from .views import candidate, conseil, dashboard, jury, staff

app_name = "evaluation"
urlpatterns = [
    path("evaluation/<year:year>/", jury.space, name="space"),
    path("evaluation/<year:year>/conflit/", jury.declare, name="declare"),
    path("evaluation/<year:year>/dossiers/<id:dossier_id>/", jury.review_page, name="review"),
    path("evaluation/<year:year>/deliberation/", jury.deliberation_list, name="deliberation"),
    path("evaluation/<year:year>/deliberation/proces-verbal.pdf", jury.minutes_pdf, name="minutes"),
    path("evaluation/<year:year>/deliberation/<id:dossier_id>/", jury.deliberation_dossier, name="deliberation_dossier"),
    path("evaluation/<year:year>/recours/<id:appeal_id>/", jury.decide_appeal, name="decide_appeal"),
    path("gestion/<year:year>/", dashboard.dashboard, name="gestion"),
    path("gestion/<year:year>/phase/", staff.advance, name="advance"),
    path("gestion/<year:year>/evaluateurs/", staff.assignments, name="assignments"),
    path("gestion/<year:year>/conflits/", staff.conflict_list, name="conflicts"),
    path("gestion/<year:year>/publication/", staff.publication_page, name="publication"),
    path("gestion/<year:year>/presse/<str:region>.csv", staff.presskit_file, {"extension": "csv"}, name="presskit_csv"),
    path("gestion/<year:year>/presse/<str:region>.xlsx", staff.presskit_file, {"extension": "xlsx"}, name="presskit_xlsx"),
    path("gestion/<year:year>/journal/", staff.audit_log, name="audit"),
    path("conseil/<year:year>/", conseil.prepare_page, name="prepare"),
    path("espace/<str:code>/dossier/<year:year>/certificat.pdf", candidate.certificate, name="certificate"),
    path("espace/<str:code>/dossier/<year:year>/recours/", candidate.file_appeal, name="appeal"),
]
