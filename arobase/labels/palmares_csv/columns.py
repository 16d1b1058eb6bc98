"""The columns of the palmarès file (CONTRACT §4), and the one way to write a label as a row.

`arobase export_palmares` writes these five columns; the open-data palmares.csv writes
them first, then its own: so either file imports back with `arobase import_palmares`.
"""

from arobase.labels import rules

COLUMNS = ["annee", "code", "arobases", "mentions", "prix"]
SEPARATOR = "|"  # between the slugs of a cell


def palmares_row(year, code, arobases, hors_concours, mentions, prizes):
    """A label as the five columns: slugs sorted, and `hors-concours` first among the
    prizes of a label that has no arobases."""
    prize_slugs = sorted(prizes)
    if hors_concours:
        prize_slugs.insert(0, rules.HORS_CONCOURS)
    return [year, code, "" if arobases is None else arobases, SEPARATOR.join(sorted(mentions)), SEPARATOR.join(prize_slugs)]


def split_slugs(cell):
    return [slug.strip() for slug in cell.split(SEPARATOR) if slug.strip()]
