"""The plan of an import: what it would create, replace or leave, and its errors.

A national palmarès has some 250 000 lines; the plan must check them all before writing
anything, with a memory that does not grow with the file. So it keeps nothing per line.

The layout, for a newcomer:

- Every territory that may appear in a file (communes, EPCI, départements: ~36 000) gets
  a *slot*, its position in `Reference.by_slot`, given the first time its code is read.
- Each year of the file gets a `YearColumn`: flat arrays with one entry per slot. What
  the file says of territory T in year Y is `plan.columns[Y].<array>[T.slot]`, a few
  bytes, whether the file has one line or all of them.
- A *level* is one byte that says what a label is:
      0               nothing: no valid line for this (territory, year) in the file
      1 to 5          that many arobases
      HORS_CONCOURS   (6) a label hors concours, which has no arobases
  `levels` holds what the file asks for; `before` holds the label stored in the
  database, in the same code, with the DEMO bit (0x80) added when the stored label is
  demo data (`before & DEMO`: is it demo? `before & ~DEMO`: its level).
- Mentions and prizes repeat a lot (most labels have none): each distinct
  (mentions, prizes) pair is stored once in `plan.extras`, and a column holds its index.
"""

import heapq
from array import array
from collections import namedtuple
from functools import cached_property
from itertools import islice

from arobase.territories import rules as territory_rules
from arobase.territories.models import Territory

MAX_REPORTED_ERRORS = 100
PREVIEW_CREATED, PREVIEW_REPLACED = 50, 500  # rows the admin's preview lists

HORS_CONCOURS = 6  # the level of a label hors concours (levels 1 to 5 are arobases, 0 is none)
DEMO = 0x80  # bit added to a stored label's level when that label is demo data
CREATE, REPLACE, UNCHANGED = 1, 2, 3  # what the import does to a (territory, year): YearColumn.status

TerritoryRef = namedtuple("TerritoryRef", "pk code name kind slot")
PlanRow = namedtuple("PlanRow", "line year territory level before")  # a line of the admin's preview


def describe_level(level):
    level &= ~DEMO
    return "hors concours" if level == HORS_CONCOURS else f"{level} @"


def batches(items, size):
    """Lists of at most `size` items."""
    items = iter(items)
    while batch := list(islice(items, size)):
        yield batch


class Reference:
    """Territories by code and by slot: communes, EPCI and départements (régions share
    codes with départements). A small file's codes are looked up in one query; past its
    first lines the whole reference is loaded once: two queries at most, whatever the file."""

    def __init__(self):
        self.by_code, self.by_slot, self.slot_by_pk = {}, [], {}
        self.queries, self.complete = 0, False

    def look_up(self, codes):
        if self.complete:
            return
        territories = Territory.objects.exclude(kind=territory_rules.REGION)
        if self.queries:
            self.complete = True
        else:
            territories = territories.filter(code__in=codes)
        self.queries += 1
        for pk, code, name, kind in territories.values_list("pk", "code", "name", "kind").iterator(chunk_size=2000):
            if code not in self.by_code:
                self._add(TerritoryRef(pk, code, name, kind, len(self.by_slot)))

    def _add(self, territory):
        self.by_code[territory.code] = territory
        self.by_slot.append(territory)
        self.slot_by_pk[territory.pk] = territory.slot

    def get(self, code):
        return self.by_code.get(code)


class YearColumn:
    """One year of the file: one entry per territory slot in each array, 23 bytes a slot.

    From the file: `lines` (line of the territory's first occurrence, 0 if none),
    `levels` (the level asked, see the module's docstring), `extras` (index of its
    mentions and prizes in `ImportPlan.extras`). Once compared with the database:
    `status` (CREATE, REPLACE, UNCHANGED, or 0 for nothing to do), `label_pks` (the
    stored label's pk, 0 if none) and `before` (its level, with the DEMO bit)."""

    __slots__ = ("lines", "levels", "extras", "status", "label_pks", "before")

    def __init__(self):
        self.lines, self.extras, self.label_pks = array("Q"), array("I"), array("Q")
        self.levels, self.status, self.before = bytearray(), bytearray(), bytearray()

    def reserve(self, size):
        """Grow every array to `size` slots (the reference grows as codes are read)."""
        missing = size - len(self.levels)
        if missing > 0:
            for column in (self.lines, self.extras, self.label_pks):
                column.frombytes(bytes(column.itemsize * missing))
            for column in (self.levels, self.status, self.before):
                column.extend(bytes(missing))

    def slots(self, status):
        """Slots with this status, in slot order."""
        position = self.status.find(status)
        while position >= 0:
            yield position
            position = self.status.find(status, position + 1)


class ImportPlan:
    """What an import would create, replace or leave, and its errors: the first
    MAX_REPORTED_ERRORS, in line order, and how many in all."""

    def __init__(self):
        self.reference = Reference()
        self.columns = {}  # year → YearColumn
        self.extras, self._extra_ids = [((), ())], {((), ()): 0}  # distinct (mentions, prizes); 0: none
        self.counts = {CREATE: 0, REPLACE: 0, UNCHANGED: 0}
        self.error_count = 0
        self._first_errors = []  # heap of (-line, -order, message)

    def add_error(self, line, message):
        """Keep the MAX_REPORTED_ERRORS errors of the lowest lines, count them all."""
        self.error_count += 1
        entry = (-line, -self.error_count, f"ligne {line}: {message}")
        if len(self._first_errors) < MAX_REPORTED_ERRORS:
            heapq.heappush(self._first_errors, entry)
        elif entry > self._first_errors[0]:
            heapq.heapreplace(self._first_errors, entry)

    @property
    def errors(self):
        """The first errors, "ligne N: reason", in line order."""
        return [message for _, _, message in sorted(self._first_errors, reverse=True)]

    @property
    def ok(self):
        return not self.error_count

    def column(self, year):
        column = self.columns.get(year)
        if column is None:
            column = self.columns[year] = YearColumn()
        column.reserve(len(self.reference.by_slot))
        return column

    def extra_id(self, mentions, prizes):
        key = (mentions, prizes)
        if key not in self._extra_ids:
            self._extra_ids[key] = len(self.extras)
            self.extras.append(key)
        return self._extra_ids[key]

    def classify(self, column, slot, status):
        column.status[slot] = status
        self.counts[status] += 1

    @property
    def created_count(self):
        return self.counts[CREATE]

    @property
    def replaced_count(self):
        return self.counts[REPLACE]

    @property
    def unchanged_count(self):
        return self.counts[UNCHANGED]

    @property
    def years(self):
        """Years with a valid label in the file."""
        return sorted(year for year, column in self.columns.items() if column.levels.strip(b"\0"))

    def rows(self, status, limit):
        """The first `limit` labels with this status, in line order, for a preview."""
        found = ((column.lines[slot], year, slot) for year, column in self.columns.items() for slot in column.slots(status))
        return [self._row(line, year, slot) for line, year, slot in heapq.nsmallest(limit, found)]

    def _row(self, line, year, slot):
        column = self.columns[year]
        stored = column.before[slot]
        before = (describe_level(stored) + (" (démo)" if stored & DEMO else "")) if stored else None
        return PlanRow(line, year, self.reference.by_slot[slot], describe_level(column.levels[slot]), before)

    @cached_property
    def first_created(self):
        return self.rows(CREATE, PREVIEW_CREATED)

    @cached_property
    def first_replaced(self):
        return self.rows(REPLACE, PREVIEW_REPLACED)
