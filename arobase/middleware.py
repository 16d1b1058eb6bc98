"""Edge rules shared by every page and API endpoint: what comes in, what goes out."""

import logging
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.http import HttpResponseBadRequest, JsonResponse
from django.middleware.gzip import GZipMiddleware
from django.middleware.locale import LocaleMiddleware
from django.utils.cache import add_never_cache_headers, patch_vary_headers

security_log = logging.getLogger("arobase.security")


class RejectNulBytesMiddleware:
    """A NUL byte in the URL is never a valid code or query (and PostgreSQL refuses it)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or "\x00" in unquote(request.META.get("QUERY_STRING", "")):
            message = "Requête invalide : caractère nul dans l'adresse."
            if request.path.startswith("/api/"):  # the API answers in JSON, errors included (CONTRACT §6)
                return JsonResponse({"detail": message}, status=400, json_dumps_params={"ensure_ascii": False})
            return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
        return self.get_response(request)


class HeadAsGetMiddleware:
    """HEAD is answered wherever GET is, with the same headers and no body.

    Django's views declared with `require_safe` accept HEAD, but the API's routes only
    know GET (405 for HEAD); running HEAD as GET keeps one code path for both.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method != "HEAD":
            return self.get_response(request)
        request.method = "GET"
        request.META["REQUEST_METHOD"] = "GET"
        response = self.get_response(request)
        request.method = request.META["REQUEST_METHOD"] = "HEAD"
        if response.streaming:
            response.streaming_content = []  # a streamed file is not built for a HEAD
        else:
            response["Content-Length"] = str(len(response.content))
            response.content = b""
        return response


class UrlLocaleMiddleware(LocaleMiddleware):
    """The language comes from the URL alone (/en/… or none), so no Vary on the
    browser's Accept-Language: one cached copy per URL serves every visitor."""

    def process_response(self, request, response):
        response = super().process_response(request, response)
        vary = [v.strip() for v in response.get("Vary", "").split(",") if v.strip()]
        if "Accept-Language" in vary:
            vary.remove("Accept-Language")
            del response["Vary"]
            if vary:
                patch_vary_headers(response, vary)
        return response


def content_security_policy():
    """Only this site's own files: no inline script or style, no frames, no plugins."""
    tiles = urlsplit(settings.ATLAAS_TILE_URL)
    # The map's tiles, when a tile server is configured ("{s}" subdomains: any subdomain).
    tile_source = f" {tiles.scheme}://{tiles.netloc.replace('{s}', '*')}" if tiles.scheme in ("http", "https") and tiles.netloc else ""
    directives = [
        "default-src 'self'",
        f"img-src 'self' data:{tile_source}",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
    if settings.CSP_REPORT_URI:
        directives.append(f"report-uri {settings.CSP_REPORT_URI}")
    return "; ".join(directives)


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = content_security_policy()

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", self.policy)
        return response


class PrivatePagesMiddleware:
    """What a member is shown is theirs: no browser or proxy keeps it (their dossier, a
    jury's list, or a public page with their name in its header), unless the view said
    the response is public (a published action's image)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and "public" not in response.get("Cache-Control", ""):
            add_never_cache_headers(response)
        return response


class PublicGZipMiddleware(GZipMiddleware):
    """Public pages, API answers and open-data files travel compressed when the client
    accepts it; streamed files stay streamed, in constant memory (gzip per chunk).

    Only for anonymous requests: pages of a logged-in member carry a CSRF token, and
    compressing a secret beside reflected input is what BREACH reads. Formats that are
    already compressed (images, PDF, XLSX, ZIP) are left as they are.
    """

    NAMESPACES = {"public", "api-1", "opendata"}
    ALREADY_COMPRESSED = ("image/", "application/pdf", "application/zip", "application/vnd.openxmlformats")

    def process_response(self, request, response):
        match = getattr(request, "resolver_match", None)
        if (match is None or self.NAMESPACES.isdisjoint(match.namespaces)
                or settings.SESSION_COOKIE_NAME in request.COOKIES
                or response.get("Content-Type", "").startswith(self.ALREADY_COMPRESSED)):
            return response
        return super().process_response(request, response)
