"""/opendata/: the index page and the files (CONTRACT §7); and one action's sheet as CSV.

The files are streamed, so the public page cache (which keeps whole responses) skips
them: each view answers conditional requests itself. Its ETag is the published data's
version (plus the demo flag and the file's layout version), its Last-Modified the time
of that version: a matching If-None-Match or If-Modified-Since gets a 304 before any
query but the version's.
"""

from django.conf import settings
from django.core.cache import cache
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from arobase.actions.models import Action
from arobase.core import data_version
from arobase.core.csv_files import csv_stream
from arobase.core.xlsx_files import XLSX_CONTENT_TYPE

from . import action_table, data_package, downloads, palmares_table, schema, workbook_store, workbook_tables

CSV_TYPE = "text/csv; charset=utf-8"


def wants_demo(request):
    return request.GET.get("demo") == "1"


def base_url(request):
    """Scheme and host of the site, for the absolute URLs in the files."""
    return request.build_absolute_uri("/").rstrip("/")


# What each file shows: its ETag moves with these domains only (core/data_version.py).
FILE_DOMAINS = {
    "palmares.csv": (data_version.PALMARES, data_version.TERRITORIES),
    "actions.csv": (data_version.ATLAAS, data_version.TERRITORIES, data_version.REFERENTIAL),
    "actions.geojson": (data_version.ATLAAS, data_version.TERRITORIES, data_version.REFERENTIAL),
    "referentiel.json": (data_version.REFERENTIAL,),
}


def validators(name, demo):
    version, changed_at = data_version.current(FILE_DOMAINS.get(name, data_version.ALL))
    etag = f'"opendata-{schema.LAYOUT_VERSION}-{name}-{version}-{"demo" if demo else "public"}"'
    return etag, int(changed_at.timestamp()), version, changed_at


def with_headers(response, etag, last_modified, filename=None):
    response["ETag"] = etag
    response["Last-Modified"] = http_date(last_modified)
    patch_cache_control(response, public=True, max_age=settings.PUBLIC_BROWSER_CACHE_SECONDS)
    if filename:
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def serve(request, name, content_type, body):
    """A file as a response: 304 if the client's copy is current, else
    `body(demo, version, changed_at)`: an iterable of bytes (streamed), bytes, or an
    open binary file."""
    demo = wants_demo(request)
    etag, last_modified, version, changed_at = validators(name, demo)
    not_modified = get_conditional_response(request, etag=etag, last_modified=last_modified)
    if not_modified is not None:  # 304, or 412 for a failed If-Match
        return with_headers(not_modified, etag, last_modified)
    content = body(demo, version, changed_at)
    if isinstance(content, bytes):
        response = HttpResponse(content, content_type=content_type)
    elif hasattr(content, "read"):
        response = FileResponse(content, content_type=content_type)
    else:
        response = StreamingHttpResponse(content, content_type=content_type)
    return with_headers(response, etag, last_modified, filename=name)


@require_safe
def palmares_csv(request):
    return serve(request, "palmares.csv", CSV_TYPE, lambda demo, *_: downloads.palmares_csv(demo))


@require_safe
def actions_csv(request):
    return serve(request, "actions.csv", CSV_TYPE, lambda demo, *_: downloads.actions_csv(demo, base_url(request)))


@require_safe
def actions_geojson(request):
    return serve(request, "actions.geojson", "application/geo+json", lambda demo, *_: downloads.geojson_stream(demo, base_url(request)))


@require_safe
def referentiel_json(request):
    return serve(request, "referentiel.json", "application/json", lambda demo, *_: downloads.referential_json())


@require_safe
def action_csv(request, pk):
    """One published action as CSV: its row of /opendata/actions.csv, written by the same
    code, its `url` in the language of the request. Beside the action's page, in the
    public namespace (see arobase/urls.py)."""
    chunks = list(action_table.action_chunks_of(Action.objects.published().filter(pk=pk), base_url(request), get_language()))
    if not chunks:
        raise Http404("Action introuvable.")
    body = b"".join(csv_stream(schema.ACTION_COLUMNS, [[action_table.action_row(out) for out in chunks[0]]]))
    response = HttpResponse(body, content_type=CSV_TYPE)
    response["Content-Disposition"] = f'attachment; filename="action-{pk}.csv"'
    return response


def file_urls(request, demo):
    """Absolute URLs of the files, for the Data Package."""
    query = "?demo=1" if demo else ""
    names = {
        "palmares.csv": "opendata:palmares_csv", "actions.csv": "opendata:actions_csv", "actions.geojson": "opendata:actions_geojson",
        "referentiel.json": "opendata:referentiel_json",
    }
    return {name: request.build_absolute_uri(reverse(url_name)) + query for name, url_name in names.items()}


@require_safe
def datapackage(request):
    def body(demo, _, changed_at):
        package = data_package.datapackage(
            file_urls(request, demo), changed_at, demo=demo, homepage=request.build_absolute_uri(reverse("opendata:index")),
        )
        return (downloads.json_text(package, indent=1) + "\n").encode()

    return serve(request, "datapackage.json", "application/json", body)


@require_safe
def xlsx(request):
    def body(demo, version, changed_at):
        return workbook_store.xlsx_file(demo, base_url(request), version, changed_at)

    return serve(request, "arobase.xlsx", XLSX_CONTENT_TYPE, body)


def figures(version, changed_at):
    """Row counts of the files (public data, then with demo data), kept per data version."""
    key = f"opendata:figures:{version}:{changed_at.timestamp()}"
    found = cache.get(key)
    if found is None:
        found = {
            "labels": palmares_table.palmares_count(), "actions": action_table.action_count(), "services": workbook_tables.service_count(),
            "demo_labels": palmares_table.palmares_count(demo=True) - palmares_table.palmares_count(),
            "demo_actions": action_table.action_count(demo=True) - action_table.action_count(),
        }
        cache.set(key, found, settings.PUBLIC_PAGE_CACHE_SECONDS)
    return found


@require_safe
def index(request):
    version, changed_at = data_version.current()
    counts = figures(version, changed_at)
    files = [
        {"name": "palmares.csv", "url": reverse("opendata:palmares_csv"), "format": "CSV",
         "description": _("Le palmarès : chaque label publié, par année et territoire (@, mentions, prix, catégorie, "
                        "département, région, numéro d'édition). Il se réimporte tel quel avec « arobase import_palmares »."),
         "size": counts["labels"], "unit": _("lignes")},
        {"name": "actions.csv", "url": reverse("opendata:actions_csv"), "format": "CSV",
         "description": _("Les actions publiées des collectivités (Atlaas) : titre, synthèse, avancement, dates, territoire, "
                        "services du référentiel, coordonnées, acteurs locaux, adresse de la fiche."),
         "size": counts["actions"], "unit": _("lignes")},
        {"name": "actions.geojson", "url": reverse("opendata:actions_geojson"), "format": "GeoJSON (RFC 7946, WGS84)",
         "description": _("Les mêmes actions sur une carte : un point par action, avec les champs de l'API."),
         "size": counts["actions"], "unit": _("points")},
        {"name": "referentiel.json", "url": reverse("opendata:referentiel_json"), "format": "JSON",
         "description": _("Le référentiel national de la dernière édition : axes, enjeux, usages et services."),
         "size": counts["services"], "unit": _("services")},
        {"name": "arobase.xlsx", "url": reverse("opendata:xlsx"), "format": _("XLSX (tableur)"),
         "description": _("Toutes les tables dans un classeur, une feuille par table : Actions, Services, Lieux, Acteurs, "
                        "Palmarès, et les liens Actions_Services et Actions_Acteurs."),
         "size": len(schema.SHEETS), "unit": _("feuilles")},
        {"name": "datapackage.json", "url": reverse("opendata:datapackage"), "format": "JSON (Frictionless Data Package)",
         "description": _("La description des fichiers CSV, GeoJSON et JSON et de chaque colonne (Table Schema), qui se "
                        "vérifie avec l'outil « frictionless validate ». Le classeur reprend les mêmes colonnes."),
         "size": None, "unit": ""},
    ]
    context = {
        "files": files,
        "changed_at": changed_at if changed_at != data_version.EPOCH else None,
        "license": data_package.LICENSE,
        "has_demo": bool(counts["demo_labels"] or counts["demo_actions"]),
        "counts": counts,
    }
    return render(request, "opendata/index.html", context)
