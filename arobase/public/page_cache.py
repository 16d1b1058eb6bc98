"""Cache of anonymous public pages and API answers, keyed by the published data's version.

Everything public depends only on published data and the URL (the language is in the
URL). So a response is stored under (data version, URL) and served again until the
data changes: an import, a publication or a staff edit bumps the version, and the next
request in any worker misses and renders anew. Nothing is ever invalidated by hand.

Browsers and shared caches get Cache-Control, an ETag and Last-Modified; a matching
If-None-Match or If-Modified-Since gets a 304.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date
from django.utils.translation import get_language

from arobase.core import data_version

CACHED_NAMESPACES = {"public", "api-1"}  # open data sets its own validators
UNCACHED_NAMES = {"openapi-json", "openapi-view", "atlaas_outlines"}  # no data, or their own ETag
KEPT_HEADERS = ("Content-Type", "Content-Disposition", "Content-Language")


def is_cacheable(request):
    """Anonymous GET (HEAD runs as GET) of a public page or API answer."""
    match = request.resolver_match
    return (
        request.method == "GET"
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and match is not None
        and not CACHED_NAMESPACES.isdisjoint(match.namespaces)
        and match.url_name not in UNCACHED_NAMES
    )


def cache_key(version, request):
    """Scheme and host included: the API's pagination links are absolute URLs."""
    url = hashlib.sha256(request.build_absolute_uri().encode()).hexdigest()
    return f"page:{version}:{get_language()}:{url}"


class PublicPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        state = getattr(request, "_page_cache", None)
        if state is None or response.status_code != 200 or response.streaming:
            return response
        key, changed_at = state
        if response.cookies or request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
            return response  # a page that sets a cookie is someone's, not everyone's
        etag = '"{}"'.format(hashlib.sha256(response.content).hexdigest()[:32])
        entry = {
            "content": response.content,
            "headers": {name: response[name] for name in KEPT_HEADERS if name in response},
            "etag": etag,
            "last_modified": int(changed_at.timestamp()),
        }
        cache.set(key, entry, settings.PUBLIC_PAGE_CACHE_SECONDS)
        return self._with_validators(request, response, entry)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not is_cacheable(request):
            return None
        version, changed_at = data_version.current()
        key = cache_key(version, request)
        entry = cache.get(key)
        if entry is None:
            request._page_cache = (key, changed_at)
            return None
        response = self._build(entry)
        return self._with_validators(request, response, entry)

    @staticmethod
    def _build(entry):
        response = HttpResponse(entry["content"])
        for name, value in entry["headers"].items():
            response[name] = value
        return response

    @staticmethod
    def _with_validators(request, response, entry):
        response["ETag"] = entry["etag"]
        response["Last-Modified"] = http_date(entry["last_modified"])
        patch_cache_control(response, public=True, max_age=settings.PUBLIC_BROWSER_CACHE_SECONDS)
        return get_conditional_response(request, etag=entry["etag"], last_modified=entry["last_modified"], response=response)
