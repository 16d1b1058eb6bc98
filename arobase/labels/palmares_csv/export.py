"""`arobase export_palmares`: the stored labels as a palmarès file."""

from itertools import islice

from arobase.core.csv_files import csv_stream
from arobase.labels.models import Label

from .columns import COLUMNS, palmares_row

ROWS_PER_BLOCK = 500


def export_rows(year=None, include_demo=False):
    """Labels as CSV rows (header first), by year then code."""
    labels = Label.objects.with_details().order_by("edition_id", "territory__code")
    if year is not None:
        labels = labels.filter(edition_id=year)
    if not include_demo:
        labels = labels.real()
    yield COLUMNS
    for label in labels:
        yield palmares_row(label.year, label.territory.code, label.arobases, label.hors_concours, label.mention_slugs, label.prize_slugs)


def write_csv(rows, stream):
    """`rows` (header first) into the text `stream`, as open data is written: no BOM."""
    rows = iter(rows)
    header = next(rows)
    for block in csv_stream(header, iter(lambda: list(islice(rows, ROWS_PER_BLOCK)), [])):
        stream.write(block.decode())
