import logging

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.http import HttpResponse
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST, require_safe

from arobase.api.urls import api
from arobase.opendata.views import action_csv
from arobase.public.urls import urlpatterns as public_urlpatterns


@require_safe
def ping(request):
    """Liveness probe, and the floor of the benchmarks: no database, no template."""
    return HttpResponse("ok", content_type="text/plain")


@csrf_exempt
@require_POST
def csp_report(request):
    """Content-Security-Policy violations, logged (development only: see settings)."""
    logging.getLogger("arobase.csp").warning("CSP: %s", request.body[:2000].decode("utf-8", "replace"))
    return HttpResponse(status=204)


# An action's sheet as CSV sits beside its public page and is cached like it (the public
# namespace), but it is a row of the open data, so its view lives there: the faces do
# not import each other, and this is where they meet.
public_pages = [*public_urlpatterns, path("actions/<id:pk>/fiche.csv", action_csv, name="action_csv")]

urlpatterns = [
    path("ping", ping, name="ping"),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
] + i18n_patterns(
    # French pages have no prefix, English ones live under /en/: the URL alone says the
    # language, so anonymous pages need no cookie and shared caches can keep them.
    path("", include((public_pages, "public"))),
    path("", include("arobase.accounts.urls")),
    path("", include("arobase.privacy.urls")),
    path("", include("arobase.actions.urls")),
    path("", include("arobase.dossiers.urls")),
    path("", include("arobase.evaluation.urls")),
    path("opendata/", include("arobase.opendata.urls")),
    prefix_default_language=False,
)

if settings.CSP_REPORT_URI == "/csp-report":
    urlpatterns.insert(0, path("csp-report", csp_report))

handler404 = "arobase.public.views.page_not_found"
handler500 = "arobase.public.views.server_error"
