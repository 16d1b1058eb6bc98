from django.urls import path
from django.views.generic import TemplateView

from . import views

app_name = "public"
urlpatterns = [
    path("", views.home, name="home"),
    path("territoires/", views.territory_search, name="territory_search"),
    path("territoires/<str:code>/", views.territory_detail, name="territory"),
    path("regions/<str:code>/", views.region_detail, name="region"),
    path("mentions-legales/", TemplateView.as_view(template_name="public/legal.html"), name="legal"),
    path("accessibilite/", TemplateView.as_view(template_name="public/accessibility.html"), name="accessibility"),
]
