"""The palmarès table: each published label, as `arobase export_palmares` writes it
(labels' `palmares_row`), then the territory's name, category, département, région and
the edition's number."""

from itertools import chain

from django.conf import settings

from arobase.labels import rules as label_rules
from arobase.labels.models import Label
from arobase.labels.palmares_csv.columns import palmares_row
from arobase.territories import rules as territory_rules

from .reading import grouped, keyset_chunks, published_labels

LABEL_VALUES = (
    "pk", "edition_id", "arobases", "hors_concours", "territory__code", "territory__name", "territory__kind",
    "territory__population", "territory__departement__code", "territory__region__code",
)


def palmares_chunks(demo=False):
    """Chunks of palmarès rows (schema.PALMARES_FIELDS), by year then code."""
    # Year by year: a keyset over (year, code) across the join made each chunk's query
    # sort every label (250 000 labels took 160 s instead of 15).
    years = published_labels(demo).order_by("edition_id").values_list("edition_id", flat=True).distinct()
    chunks = (
        keyset_chunks(published_labels(demo).filter(edition_id=year).values_list(*LABEL_VALUES, named=True),
                      ("territory__code", "pk"), lambda label: (label.territory__code, label.pk))
        for year in list(years)
    )
    for chunk in chain.from_iterable(chunks):
        ids = [label.pk for label in chunk]
        mentions = grouped(Label.mentions.through.objects.filter(label_id__in=ids).values_list("label_id", "mention__slug"))
        prizes = grouped(Label.prizes.through.objects.filter(label_id__in=ids).values_list("label_id", "prize__slug"))
        yield [palmares_table_row(label, mentions.get(label.pk, []), prizes.get(label.pk, [])) for label in chunk]


def palmares_table_row(label, mentions, prizes):
    """A label (a row of LABEL_VALUES), its [slug] mentions and prizes, as PALMARES_FIELDS."""
    return [
        *palmares_row(label.edition_id, label.territory__code, label.arobases, label.hors_concours,
                      [slug for slug, in mentions], [slug for slug, in prizes]),
        label.territory__name,
        territory_rules.category(label.territory__kind, label.territory__population, settings.VILLAGE_THRESHOLD),
        label.territory__departement__code,
        label.territory__region__code,
        label_rules.edition_number(label.edition_id),
    ]


def palmares_count(demo=False):
    return published_labels(demo).count()
