"""Throttling of failed logins, per account and per client address.

Counts live in the database because production runs several workers: a per-process
count would let an attacker spread guesses over them. A lock lasts until enough of the
window's failures have aged out; the message is the same whether the account exists.
"""

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
            return forwarded[-proxies][:45]
    return request.META.get("REMOTE_ADDR", "")[:45] or "inconnue"


def _wait(failures, limit, now):
    """Seconds until fewer than `limit` of these failures remain in the window."""
    window = timedelta(seconds=settings.LOGIN_THROTTLE_WINDOW)
    times = list(failures.filter(at__gt=now - window).order_by("-at").values_list("at", flat=True)[limit - 1:limit])
    if not times:
        return 0
    return max(0, math.ceil((times[0] + window - now).total_seconds()))


def wait_seconds(username, address, now=None):
    """0 when a login may be tried; else how long to wait, per account or per address."""
    now = now or timezone.now()
    return max(
        _wait(FailedLogin.objects.filter(username=normalise(username)), settings.LOGIN_FAILURES_PER_ACCOUNT, now),
        _wait(FailedLogin.objects.filter(address=address), settings.LOGIN_FAILURES_PER_ADDRESS, now),
    )


def record_failure(username, address):
    now = timezone.now()
    FailedLogin.objects.filter(at__lt=now - timedelta(seconds=settings.LOGIN_THROTTLE_WINDOW)).delete()
    FailedLogin.objects.create(username=normalise(username), address=address, at=now)


def clear_account(username):
    """A success ends the account's lock, not the address's."""
    FailedLogin.objects.filter(username=normalise(username)).delete()


def refuse(username, address, wait):
    log.warning("Connexion refusée : trop d'échecs (compte « %s », adresse %s, encore %d s)", normalise(username), address, wait)


def message(wait):
    from django.utils.translation import ngettext

    minutes = max(1, math.ceil(wait / 60))
    return ngettext(
        "Trop de tentatives de connexion échouées. Réessayez dans %(minutes)d minute.",
        "Trop de tentatives de connexion échouées. Réessayez dans %(minutes)d minutes.",
        minutes,
    ) % {"minutes": minutes}
