"""Writing a checked plan: the one place an import writes labels, all or nothing."""

from collections import defaultdict

from django.db import transaction

from arobase.core import data_version
from arobase.labels.models import Edition, Label, Mention, Prize

from .plan import CREATE, HORS_CONCOURS, REPLACE, batches

WRITE_BATCH = 500


@transaction.atomic
def apply_plan(plan):
    """Write a checked plan, in batches, in one transaction. Editions of new years are
    created on the way."""
    if not plan.ok:
        raise ValueError("an import plan with errors cannot be applied")
    Edition.objects.bulk_create([Edition(year=year) for year in plan.years], ignore_conflicts=True)
    catalogue = (dict(Mention.objects.values_list("slug", "pk")), dict(Prize.objects.values_list("slug", "pk")))
    for year, column in sorted(plan.columns.items()):
        for slots in batches(column.slots(CREATE), WRITE_BATCH):
            labels = Label.objects.bulk_create([
                Label(territory_id=plan.reference.by_slot[slot].pk, edition_id=year, **_level_fields(column.levels[slot]))
                for slot in slots
            ])
            _write_extras(plan, catalogue, [(label.pk, column.extras[slot]) for label, slot in zip(labels, slots)])
        for slots in batches(column.slots(REPLACE), WRITE_BATCH):
            _replace(plan, catalogue, column, slots)
    data_version.bump(data_version.PALMARES)  # bulk writes send no signal: public pages must refresh
    return plan


def _level_fields(level):
    return {"arobases": None, "hors_concours": True} if level == HORS_CONCOURS else {"arobases": level, "hors_concours": False}


def _replace(plan, catalogue, column, slots):
    """A batch of stored labels takes the file's level, mentions and prizes; no longer demo."""
    pks_by_level = defaultdict(list)
    for slot in slots:
        pks_by_level[column.levels[slot]].append(column.label_pks[slot])
    for level, pks in pks_by_level.items():
        Label.objects.filter(pk__in=pks).update(is_demo=False, **_level_fields(level))
    pks = [column.label_pks[slot] for slot in slots]
    Label.mentions.through.objects.filter(label_id__in=pks).delete()
    Label.prizes.through.objects.filter(label_id__in=pks).delete()
    _write_extras(plan, catalogue, [(column.label_pks[slot], column.extras[slot]) for slot in slots])


def _write_extras(plan, catalogue, labels):
    """Mentions and prizes of (label pk, extras index) pairs."""
    mention_pks, prize_pks = catalogue
    Label.mentions.through.objects.bulk_create([
        Label.mentions.through(label_id=pk, mention_id=mention_pks[slug]) for pk, extra in labels for slug in plan.extras[extra][0]
    ], batch_size=WRITE_BATCH)
    Label.prizes.through.objects.bulk_create([
        Label.prizes.through(label_id=pk, prize_id=prize_pks[slug]) for pk, extra in labels for slug in plan.extras[extra][1]
    ], batch_size=WRITE_BATCH)
