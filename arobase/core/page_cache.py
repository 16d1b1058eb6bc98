"""Cache of anonymous public pages and API answers, keyed by the versions of what they show.

Everything public depends only on published data and the URL (the language is in the
URL). Each face declares, per URL name, the domains of data_version its pages show
(`declare`). A response is stored under (those domains' versions, URL) and served again
until one of them changes: the next request in any worker misses and renders anew, and
pages that do not show the change stay warm. Nothing is ever invalidated by hand.

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

from . import data_version

CACHE_HEADER = "X-Arobase-Cache"  # hit or miss: what the benchmark and the tests read
KEPT_HEADERS = ("Content-Type", "Content-Disposition", "Content-Language")
_SHOWN = {}  # namespace → {URL name: domains, or None for a URL never cached}


def declare(namespace, shown):
    """The domains each named URL of `namespace` shows: {name: (domain, …)}, None for a
    URL that is not cached (no data, or its own validators). A name left out shows
    everything: forgetting a URL costs warmth, never correctness."""
    _SHOWN.setdefault(namespace, {}).update(shown)


def shown_domains(request):
    """The domains an anonymous GET (HEAD runs as GET) of this URL depends on, or None
    if it is not cached: logged-in visitors, undeclared namespaces, excluded URLs."""
    match = request.resolver_match
    if request.method != "GET" or settings.SESSION_COOKIE_NAME in request.COOKIES or match is None:
        return None
    for namespace in match.namespaces:
        if namespace in _SHOWN:
            return _SHOWN[namespace].get(match.url_name, data_version.ALL)
    return None


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
        response[CACHE_HEADER] = "miss"
        return self._with_validators(request, response, entry)

    def process_view(self, request, view_func, view_args, view_kwargs):
        domains = shown_domains(request)
        if domains is None:
            return None
        version, changed_at = data_version.current(domains)
        key = cache_key(version, request)
        entry = cache.get(key)
        if entry is None:
            request._page_cache = (key, changed_at)
            return None
        response = self._build(entry)
        response[CACHE_HEADER] = "hit"
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
