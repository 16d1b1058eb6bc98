"""Versions of the published data, one per domain: read once per public request, moved
by the writes that change what the public sees.

A public page or API answer is cached under the versions of the domains it shows
(core/page_cache.py), so a change shows on the very next request in every worker, and
only the pages that show it are rendered again: a published action's edit leaves the
palmarès warm, and a draft, a dossier or an account changes nothing public at all.
"""

from datetime import UTC, datetime

from django.db.models import F
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone

from .models import DataVersion

PALMARES = "palmares"  # editions, labels, mentions, prizes
TERRITORIES = "territoires"  # communes, EPCI, départements, régions
REFERENTIAL = "referentiel"  # axes, enjeux, usages, services
ATLAAS = "atlaas"  # published actions (their people, images, links) and local actors
ROWS = {PALMARES: 1, TERRITORIES: 2, REFERENTIAL: 3, ATLAAS: 4}  # each domain's row in DataVersion
ALL = tuple(ROWS)
EPOCH = datetime(2000, 1, 1, tzinfo=UTC)
M2M_CHANGES = {"post_add", "post_remove", "post_clear"}


def current(domains=ALL):
    """(token, changed_at) of these domains in one query: the token names their versions
    together ("p3.t1.r1.a12"), changed_at is when the latest of them changed."""
    found = {pk: (version, at) for pk, version, at in
             DataVersion.objects.filter(pk__in=[ROWS[d] for d in domains]).values_list("pk", "version", "changed_at")}
    states = [found.get(ROWS[domain], (0, EPOCH)) for domain in domains]
    token = ".".join(f"{domain[0]}{version}" for domain, (version, _) in zip(domains, states))
    return token, max((at for _, at in states), default=EPOCH)


def bump(*domains):
    """Mark these domains (all of them if none is named) as changed. Inside a transaction,
    the new versions become visible with the data they describe, never before."""
    for domain in domains or ALL:
        if not DataVersion.objects.filter(pk=ROWS[domain]).update(version=F("version") + 1, changed_at=timezone.now()):
            DataVersion.objects.update_or_create(pk=ROWS[domain], defaults={"version": 1})
    from . import figures  # the stored figures that read these domains are computed again on commit

    figures.after_bump(domains or ALL)


def connect(domain, models, m2m_fields=(), shown=None):
    """Bump `domain` on every save or delete of these models, and on every change of
    these many-to-many links, when `shown(instance)` says the public can see it (always
    if `shown` is None). Bulk writes call `bump` themselves."""

    def on_write(sender, instance, **kwargs):
        if shown is None or shown(instance):
            bump(domain)

    def on_m2m(sender, instance, action, **kwargs):
        if action in M2M_CHANGES and (shown is None or shown(instance)):
            bump(domain)

    for model in models:
        post_save.connect(on_write, sender=model, weak=False, dispatch_uid=f"data-version-save-{model._meta.label}")
        post_delete.connect(on_write, sender=model, weak=False, dispatch_uid=f"data-version-delete-{model._meta.label}")
    for field in m2m_fields:
        m2m_changed.connect(on_m2m, sender=field.through, weak=False, dispatch_uid=f"data-version-m2m-{field.through._meta.label}")
