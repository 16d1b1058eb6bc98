"""The file's labels against the stored ones: what an import creates, replaces or leaves.

Each year's stored labels are streamed with their mentions and prizes (three queries a
year, no IN list), compared slot by slot (see `plan`), never held.
"""

from arobase.labels.models import Label

from .plan import CREATE, DEMO, HORS_CONCOURS, REPLACE, UNCHANGED, describe_level


def compare_with_stored(plan, replace):
    """Classify every valid (territory, year) of the plan; a stored label that differs is
    an error unless `replace` (or unless it is demo data, which a real label replaces)."""
    for year in sorted(plan.columns):
        column = plan.column(year)
        for pk, territory_id, level, is_demo, extras in stored_labels(year):
            slot = plan.reference.slot_by_pk.get(territory_id)
            if slot is None or not column.levels[slot]:
                continue  # not in the file, or not valid there
            column.label_pks[slot], column.before[slot] = pk, level | (DEMO if is_demo else 0)
            if not is_demo and level == column.levels[slot] and plan.extras[column.extras[slot]] == extras:
                plan.classify(column, slot, UNCHANGED)
            elif replace or is_demo:
                plan.classify(column, slot, REPLACE)
            else:
                _refuse(plan, year, column, slot)
        for slot, level in enumerate(column.levels):
            if level and not column.label_pks[slot]:
                plan.classify(column, slot, CREATE)


def stored_labels(year):
    """(pk, territory pk, level, is_demo, (mentions, prizes)) of a year's labels, in pk
    order: the labels and their two relations are read side by side."""
    labels = Label.objects.filter(edition_id=year).order_by("pk").values_list("pk", "territory_id", "arobases", "hors_concours", "is_demo")
    mentions = SlugsByLabel(Label.mentions.through.objects.filter(label__edition_id=year), "mention__slug")
    prizes = SlugsByLabel(Label.prizes.through.objects.filter(label__edition_id=year), "prize__slug")
    for pk, territory_id, arobases, hors_concours, is_demo in labels.iterator(chunk_size=2000):
        yield pk, territory_id, HORS_CONCOURS if hors_concours else arobases, is_demo, (mentions.take(pk), prizes.take(pk))


class SlugsByLabel:
    """One relation's (label pk, slug) rows, read in label order alongside the labels."""

    def __init__(self, relation, slug_field):
        self.rows = relation.order_by("label_id").values_list("label_id", slug_field).iterator(chunk_size=2000)
        self.current = next(self.rows, None)

    def take(self, pk):
        """The sorted slugs of label `pk` (sorted here: a database collation may ignore hyphens)."""
        slugs = []
        while self.current is not None and self.current[0] <= pk:
            if self.current[0] == pk:
                slugs.append(self.current[1])
            self.current = next(self.rows, None)
        return tuple(sorted(slugs))


def _refuse(plan, year, column, slot):
    territory = plan.reference.by_slot[slot]
    plan.add_error(
        column.lines[slot],
        f"le label {year} de {territory.name} ({territory.code}) "
        f"est déjà enregistré autrement ({describe_level(column.before[slot])}) ; utilisez --replace pour le remplacer",
    )
