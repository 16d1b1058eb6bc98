"""Load, read and copy forward the referential of an edition."""

import json
from pathlib import Path

from django.db import transaction

from arobase.labels.models import Edition

from .models import Axe, Enjeu, Service, Usage

INITIAL = Path(__file__).parent / "data" / "referentiel.json"


@transaction.atomic
def load(year, path=INITIAL):
    """Create the referential of edition `year` from a data file, replacing its own."""
    edition, _ = Edition.objects.get_or_create(year=year)
    tree = json.loads(Path(path).read_text(encoding="utf-8"))
    Axe.objects.filter(edition=edition).delete()
    for a, axe in enumerate(tree["axes"]):
        axe_row = Axe.objects.create(edition=edition, slug=axe["slug"], name=axe["name"], description=axe.get("description", ""), position=a)
        for e, enjeu in enumerate(axe["enjeux"]):
            enjeu_row = Enjeu.objects.create(edition=edition, axe=axe_row, slug=enjeu["slug"], name=enjeu["name"], description=enjeu.get("description", ""), position=e)
            for u, usage in enumerate(enjeu["usages"]):
                usage_row = Usage.objects.create(edition=edition, enjeu=enjeu_row, slug=usage["slug"], name=usage["name"], description=usage.get("description", ""), position=u)
                Service.objects.bulk_create(
                    Service(edition=edition, usage=usage_row, slug=s["slug"], name=s["name"], description=s.get("description", ""), position=i)
                    for i, s in enumerate(usage["services"])
                )
    return edition


@transaction.atomic
def copy_forward(from_year, to_year):
    """Copy edition `from_year`'s referential to `to_year` with the same slugs.
    Refuses to overwrite: the Conseil d'Orientation edits the copy, not the original."""
    target, _ = Edition.objects.get_or_create(year=to_year)
    if Axe.objects.filter(edition=target).exists():
        raise ValueError(f"L'édition {to_year} a déjà un référentiel.")
    for axe in Axe.objects.filter(edition_id=from_year).prefetch_related("enjeux__usages__services"):
        new_axe = Axe.objects.create(edition=target, slug=axe.slug, name=axe.name, description=axe.description, position=axe.position)
        for enjeu in axe.enjeux.all():
            new_enjeu = Enjeu.objects.create(edition=target, axe=new_axe, slug=enjeu.slug, name=enjeu.name, description=enjeu.description, position=enjeu.position)
            for usage in enjeu.usages.all():
                new_usage = Usage.objects.create(edition=target, enjeu=new_enjeu, slug=usage.slug, name=usage.name, description=usage.description, position=usage.position)
                Service.objects.bulk_create(
                    Service(edition=target, usage=new_usage, slug=s.slug, name=s.name, description=s.description, position=s.position)
                    for s in usage.services.all()
                )
    return target


def latest_year():
    """The latest edition that has a referential (None if none has)."""
    return Axe.objects.order_by("-edition_id").values_list("edition_id", flat=True).first()


def tree(year):
    """The referential of `year` as nested lists, in 4 queries."""
    return list(Axe.objects.filter(edition_id=year).prefetch_related("enjeux__usages__services"))


def axes_and_enjeux(year):
    """The axes of `year` with their enjeux only, in 2 queries: the mosaïque des enjeux
    needs no usage nor service (the whole tree cost a dossier page 30 ms)."""
    return list(Axe.objects.filter(edition_id=year).prefetch_related("enjeux"))


def services_of(year):
    """Services of `year` with their usage, enjeu and axe, for forms and pickers."""
    return Service.objects.filter(edition_id=year).select_related("usage__enjeu__axe").order_by(
        "usage__enjeu__axe__position", "usage__enjeu__position", "usage__position", "position"
    )


def resolve_year(year):
    """The referential year used for edition `year`: its own, else the latest before it."""
    return Axe.objects.filter(edition_id__lte=year).order_by("-edition_id").values_list("edition_id", flat=True).first()
