"""Rendering the main public pages into the page cache before the first visitor asks.

The publication at the ceremony, a palmarès import and the demo move the data versions
just as traffic peaks: each then calls `warm`, so that the first visitor meets a page
already rendered. The faces say which pages are main (`provide`); the pages are asked
for as an anonymous visitor of the site's public address would, through the whole
middleware stack, so they land under the very keys visitors use. It only helps workers
that share the cache (CACHE_URL: Redis); with a per-process cache it warms its own.
"""

import logging
import os
import time
from urllib.parse import urlsplit

from django.test import Client
from django.urls import get_resolver

logger = logging.getLogger("arobase.warm")
_PROVIDERS = []


def provide(urls):
    """Register a function returning the main URLs (paths) of a face."""
    _PROVIDERS.append(urls)
    return urls


def main_urls():
    get_resolver().url_patterns  # the faces register their providers when the URLs load
    seen, urls = set(), []
    for provider in _PROVIDERS:
        for url in provider():
            if url not in seen:
                seen.add(url)
                urls.append(url)
    return urls


def default_site_url():
    """The public address from AROBASE_SITE_URL, or None: warming then waits for cron."""
    return os.environ.get("AROBASE_SITE_URL", "").strip() or None


def warm(site_url, progress=None):
    """Ask for each main URL as an anonymous visitor of `site_url` (https://host).
    Returns (pages rendered, seconds, URLs that did not answer 200)."""
    parts = urlsplit(site_url)
    client = Client(HTTP_HOST=parts.netloc, raise_request_exception=False)
    started, failed, urls = time.perf_counter(), [], main_urls()
    for number, url in enumerate(urls, 1):
        response = client.get(url, secure=parts.scheme == "https")
        if response.status_code != 200:
            failed.append(f"{url} ({response.status_code})")
        if progress:
            progress(number, len(urls), url)
    seconds = time.perf_counter() - started
    if failed:
        logger.warning("Préchauffage : %s n'ont pas répondu 200", ", ".join(failed))
    return len(urls) - len(failed), seconds, failed


def warm_after(command, address=None):
    """What a command that changed public data does last: warm the pages at `address`
    (or AROBASE_SITE_URL), or say how to do it later."""
    from .site_address import site_url

    address = address or (site_url(default_site_url()) if default_site_url() else None)
    if address is None:
        if command.verbosity:
            command.stdout.write("Pages publiques non préchauffées (ni --url ni AROBASE_SITE_URL) : « arobase warm --url … » le fera.")
        return
    rendered, seconds, failed = warm(address)
    if command.verbosity:
        command.stdout.write(f"{rendered} pages publiques préchauffées pour {address} en {seconds:.1f} s.")
