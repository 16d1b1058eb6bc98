"""Figures derived from published data, computed once per version of what they read.

The statistics page aggregates every label of 25 years; at ten times the demo's data
that is a second of SQL. Each such figure is registered with the domains it reads; it
is stored in the database under their versions, so every worker and server shares it,
and it is computed again on commit of the change that moves one of them, by the writer
(an import, a publication, an edit), not by the first visitor after it.
"""

from django.db import IntegrityError, transaction

from . import data_version
from .models import Figure

_REGISTRY = {}  # name → (domains, compute)


def register(name, domains, compute):
    """`compute()` returns JSON-serialisable data (dict keys become strings)."""
    _REGISTRY[name] = (tuple(domains), compute)


def get(name):
    """The figure for the current versions: one query when it is stored, else computed now."""
    domains, compute = _REGISTRY[name]
    token, _ = data_version.current(domains)
    stored = Figure.objects.filter(name=name, token=token).values_list("data", flat=True).first()
    return stored if stored is not None else _store(name, token, compute)


def _store(name, token, compute):
    data = compute()
    try:
        with transaction.atomic():
            Figure.objects.update_or_create(name=name, defaults={"token": token, "data": data})
    except IntegrityError:  # another worker stored it at the same moment: the same figure
        pass
    return data


def refresh(domains):
    """Compute the figures that read any of these domains, where not yet done for the
    current versions."""
    for name, (reads, compute) in _REGISTRY.items():
        if set(reads) & set(domains):
            token = data_version.current(reads)[0]
            if not Figure.objects.filter(name=name, token=token).exists():
                _store(name, token, compute)


def after_bump(domains):
    """Called by data_version.bump: on commit of the writer's transaction (at once outside
    one). A transaction that bumps many times costs one computation: the later calls
    find the figure stored."""
    domains = tuple(domains)
    transaction.on_commit(lambda: refresh(domains))
