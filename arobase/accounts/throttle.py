"""Throttling of failed logins, per account and per client address.

Counts live in the database because production runs several workers: a per-process
count would let an attacker spread guesses over them. An attempt is written down before
its password is checked (and kept as the failure unless it succeeds), so simultaneous
guesses on several workers see each other and a burst cannot slip past the limit; this
relies on autocommit (no ATOMIC_REQUESTS around the login). A lock lasts until enough of
the window's failures have aged out; the message is the same whether the account exists.
"""

import ipaddress
import logging
import math
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from .models import FailedLogin

log = logging.getLogger("arobase.security")


def normalise(username):
    return (username or "").strip().casefold()[:254]


def client_address(request):
    """REMOTE_ADDR, or the address the trusted proxies saw (X-Forwarded-For).

    With N proxies in front (AROBASE_TRUSTED_PROXIES), the client is the N-th address
    from the right of X-Forwarded-For; anything further left is the client's own say.
    """
    proxies = settings.TRUSTED_PROXIES
    if proxies:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= proxies:
            return network(forwarded[-proxies])
    return network(request.META.get("REMOTE_ADDR", "")) or "inconnue"


def network(address):
    """What one client holds: an IPv4 address, or an IPv6 /64 (a single subscriber gets
    at least that many addresses, so counting each one would give them all a fresh limit)."""
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return address[:45]
    if ip.version == 6 and ip.ipv4_mapped:
        return str(ip.ipv4_mapped)
    if ip.version == 6:
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


def _wait(failures, limit, now):
    """Seconds until fewer than `limit` of these failures remain in the window."""
    window = timedelta(seconds=settings.LOGIN_THROTTLE_WINDOW)
    times = list(failures.filter(at__gt=now - window).order_by("-at").values_list("at", flat=True)[limit - 1:limit])
    if not times:
        return 0
    return max(0, math.ceil((times[0] + window - now).total_seconds()))


def wait_seconds(username, address, now=None, exclude=None):
    """0 when a login may be tried; else how long to wait, per account or per address.

    Without an address (authentication outside a request) only the account counts."""
    now = now or timezone.now()
    failures = FailedLogin.objects.exclude(pk=exclude) if exclude else FailedLogin.objects.all()
    wait = _wait(failures.filter(username=normalise(username)), settings.LOGIN_FAILURES_PER_ACCOUNT, now)
    if address:
        wait = max(wait, _wait(failures.filter(address=address), settings.LOGIN_FAILURES_PER_ADDRESS, now))
    return wait


def begin(username, address):
    """The attempt, counted as a failure until it succeeds; None (logged) when throttled.

    Checked, recorded, then checked again without itself: of simultaneous attempts, the
    later ones see the earlier ones' rows, so no more than the limit get through. A
    refused attempt leaves no row: refusals do not prolong the lock.
    """
    wait = wait_seconds(username, address)
    if not wait:
        attempt = record_failure(username, address)
        wait = wait_seconds(username, address, exclude=attempt.pk)
        if not wait:
            return attempt
        attempt.delete()
    refuse(username, address, wait)
    return None


def record_failure(username, address):
    now = timezone.now()
    FailedLogin.objects.filter(at__lt=now - timedelta(seconds=settings.LOGIN_THROTTLE_WINDOW)).delete()
    return FailedLogin.objects.create(username=normalise(username), address=address, at=now)


def clear_account(username):
    """A success ends the account's lock, not the address's (its own attempt goes too)."""
    FailedLogin.objects.filter(username=normalise(username)).delete()


def refuse(username, address, wait):
    # %r: the username is the client's text; escaped, it cannot start a forged log line.
    log.warning("Connexion refusée : trop d'échecs (compte %r, adresse %r, encore %d s)", normalise(username), address, wait)


def message(wait):
    from django.utils.translation import gettext as _
    from django.utils.translation import ngettext

    minutes = max(1, math.ceil(wait / 60))
    return ngettext(
        "Trop de tentatives de connexion échouées. Réessayez dans %(minutes)d minute.",
        "Trop de tentatives de connexion échouées. Réessayez dans %(minutes)d minutes.",
        minutes,
    ) % {"minutes": minutes} + " " + _(
        "C'est votre compte ? « Mot de passe oublié » vous envoie par e-mail un lien qui fonctionne pendant ce blocage."
    )


RETENTION = timedelta(days=30)


def purge(now=None):
    """Failed logins are kept 30 days (mentions légales), then erased: the daily
    `arobase season` calls this. Returns how many went."""
    return FailedLogin.objects.filter(at__lt=(now or timezone.now()) - RETENTION).delete()[0]
