from django.urls import path

from . import views

app_name = "actions"
urlpatterns = [
    path("espace/<str:code>/actions/", views.action_list, name="list"),
    path("espace/<str:code>/actions/nouvelle/", views.action_create, name="create"),
    path("espace/<str:code>/actions/<id:pk>/", views.action_edit, name="edit"),
    path("espace/<str:code>/actions/<id:pk>/etat/", views.action_state, name="state"),
    path("espace/<str:code>/actions/<id:pk>/images/", views.image_upload, name="image_upload"),
    path("espace/<str:code>/actions/<id:pk>/images/<id:image_pk>/supprimer/", views.image_delete, name="image_delete"),
]
