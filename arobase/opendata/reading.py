"""Published data, read in chunks for files of any size.

Every table is read by keyset pagination (`WHERE key > last ORDER BY key LIMIT n`), as
plain values, its relations read once per chunk: a bounded number of queries per chunk,
none per row, and no database cursor held open while a slow client downloads.

Only published data: published actions, labels of published editions (a decision still
pending is not a label); demo rows only when `demo` is true.
"""

from functools import reduce
from operator import or_

from django.db.models import Q
from django.urls import reverse
from django.utils import translation

from arobase.actions.models import Action, Actor
from arobase.labels import season
from arobase.labels.models import Label

CHUNK_SIZE = 500
URL_LANGUAGE = "fr"  # URLs in the files are the canonical French ones


def keyset_chunks(queryset, fields, key, size=None):
    """Lists of at most `size` rows (default CHUNK_SIZE) of `queryset` in the order of
    `fields` (ascending, never null, unique together); `key(row)` gives a row's values
    of `fields`."""
    size = size or CHUNK_SIZE
    queryset = queryset.order_by(*fields)
    last = None
    while True:
        page = queryset if last is None else queryset.filter(after(fields, last))
        rows = list(page[:size])
        if rows:
            yield rows
        if len(rows) < size:
            return
        last = key(rows[-1])


def after(fields, values):
    """Rows strictly after `values` in the order of `fields`."""
    return reduce(or_, (
        Q(**{name: value for name, value in zip(fields[:i], values[:i])}, **{f"{fields[i]}__gt": values[i]})
        for i in range(len(fields))
    ))


def grouped(rows):
    """{first value: [the rest of each row]}, rows in order."""
    groups = {}
    for first, *rest in rows:
        groups.setdefault(first, []).append(rest)
    return groups


def url_parts(name, marker, language=URL_LANGUAGE):
    """The URL of the view `name`, before and after its one argument: one `reverse`
    for a whole file."""
    with translation.override(language):
        url = reverse(name, args=[marker])
    prefix, suffix = url.split(str(marker))
    return prefix, suffix


def published_actions(demo):
    actions = Action.objects.published()
    return actions if demo else actions.filter(is_demo=False)


def published_labels(demo):
    """Labels of published editions (CONTRACT §9): a jury's decision is not public before."""
    labels = Label.objects.filter(edition__phase=season.PUBLIE)
    return labels if demo else labels.real()


def actors(demo):
    found = Actor.objects.all()
    return found if demo else found.filter(is_demo=False)
