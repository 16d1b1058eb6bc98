"""The palmarès CSV (CONTRACT §4): the one import path for labels, and its export.

Import is planned first (every line checked against the file and the database), then
applied in one transaction by `apply_plan`, the one function that writes an import:
all or nothing. The command and the admin both use `plan_import` then `apply_plan`; the
admin shows the plan as a preview.

The file is read as a stream, line by line. Memory never grows with its size or its
number of errors (the first hundred are kept, in line order, with the total): a plan
holds a few bytes per distinct valid (territory, year) of the file, in arrays indexed
by the territories of the reference (~36 000) for each year (~27), and writes in batches.
"""

import csv
import heapq
import io
from array import array
from collections import defaultdict, namedtuple
from functools import cached_property
from itertools import chain, islice

from django.db import transaction
from django.utils import timezone

from arobase.core.numbers import parse_int, parse_year
from arobase.core import data_version
from arobase.territories import rules as territory_rules
from arobase.territories.models import Territory

from . import rules
from .models import Edition, Label, Mention, Prize

COLUMNS = ["annee", "code", "arobases", "mentions", "prix"]
LABELLED_KINDS = (territory_rules.COMMUNE, territory_rules.EPCI)
SEPARATOR = "|"
MAX_REPORTED_ERRORS = 100
MAX_LINE_BYTES = 1024 * 1024  # a palmarès line is a hundred bytes; past this, it is refused
LOOKUP_ROWS = 500  # a small file's codes are looked up in one query (SQLite: 999 parameters at most)
WRITE_BATCH = 500
PREVIEW_CREATED, PREVIEW_REPLACED = 50, 500  # rows the admin's preview lists

HORS_CONCOURS = 6  # a level is 1 to 5 arobases, or this; 0 is "no valid label in the file"
DEMO = 0x80  # flag on a stored level: that label is demo data
CREATE, REPLACE, UNCHANGED = 1, 2, 3  # what the import does to a (territory, year)

TerritoryRef = namedtuple("TerritoryRef", "pk code name kind slot")
PlanRow = namedtuple("PlanRow", "line year territory level before")


class PalmaresFileError(ValueError):
    """The header cannot be read: nothing after it can be checked."""

    def __init__(self, line, message):
        super().__init__(f"ligne {line}: {message}")
        self.line, self.message = line, message


def describe_level(level):
    level &= ~DEMO
    return "hors concours" if level == HORS_CONCOURS else f"{level} @"


class Reference:
    """Territories by code: communes, EPCI and départements (régions share codes with
    départements). A small file's codes are looked up in one query; past its first
    lines the whole reference is loaded once: two queries at most, whatever the file."""

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
    """One year of the file, one entry per territory slot, 23 bytes each: the line of its
    first occurrence, the level asked, its mentions and prizes (an id), then once
    compared with the database: what the import does, the stored label and its level."""

    __slots__ = ("lines", "levels", "extras", "status", "label_pks", "before")

    def __init__(self):
        self.lines, self.extras, self.label_pks = array("Q"), array("I"), array("Q")
        self.levels, self.status, self.before = bytearray(), bytearray(), bytearray()

    def reserve(self, size):
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
    """What an import would create, replace or leave, and its errors."""

    def __init__(self):
        self.reference = Reference()
        self.columns = {}  # year → YearColumn
        self.extras, self._extra_ids = [((), ())], {((), ()): 0}  # (mentions, prizes) tuples, interned
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


def _binary_stream(source):
    if isinstance(source, str):
        source = source.encode("utf-8")
    return io.BytesIO(source) if isinstance(source, bytes | bytearray) else source


def _text_lines(binary, plan):
    """Decoded lines, BOM dropped; an overlong line is reported and skipped without being
    held whole, an undecodable one is reported and ends the reading (a wrong encoding)."""
    number = 0
    while True:
        raw = binary.readline(MAX_LINE_BYTES + 1)
        if not raw:
            return
        number += 1
        if len(raw) > MAX_LINE_BYTES and not raw.endswith(b"\n"):
            while (rest := binary.readline(MAX_LINE_BYTES)) and not rest.endswith(b"\n"):
                pass
            plan.add_error(number, f"ligne trop longue (plus de {MAX_LINE_BYTES // 1024} Kio) : est-ce bien un palmarès CSV ?")
            yield "\n"
            continue
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            plan.add_error(number, "le fichier n'est pas encodé en UTF-8 (enregistrez-le en « CSV UTF-8 »)")
            return  # the lines before are checked; the rest of the file cannot be trusted
        yield text.removeprefix("\ufeff") if number == 1 else text


def read_rows(lines, plan):
    """Yield (line where the record starts, {column: value}) after checking the header;
    unreadable records are reported to the plan and skipped."""
    first_line = next(lines, "")
    if not first_line and plan.error_count:
        return  # the first line could not be decoded
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(chain([first_line], lines), delimiter=delimiter)
    try:
        header = [name.strip().lower() for name in next(reader, [])]
    except csv.Error as error:
        raise PalmaresFileError(1, f"en-tête illisible ({error})") from None
    missing = [name for name in COLUMNS if name not in header]
    if missing:
        raise PalmaresFileError(1, f"colonnes manquantes : {', '.join(missing)} (en-tête attendu : {','.join(COLUMNS)})")
    while True:
        start = reader.line_num + 1  # every record takes at least one line, a blank one too
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            plan.add_error(start, _unreadable(error, start, reader.line_num))
            continue
        if not any(value.strip() for value in values):
            continue
        if any("\x00" in value for value in values):
            plan.add_error(start, "caractère nul dans la ligne : le fichier est-il bien un CSV texte ?")
            continue
        yield start, {name: (values[i].strip() if i < len(values) else "") for i, name in enumerate(header)}


def _unreadable(error, start, end):
    """After an error, the csv reader drops the rest of the current line and starts a new
    record at the next one: right after an unquoted field. A quoted field that crossed
    the limit lines after it opened leaves the reader inside it: the message names the
    lines lost, and each line that follows is checked, and reported, on its own."""
    if "field larger" not in str(error):
        return f"ligne CSV illisible ({error})"
    limit = csv.field_size_limit()
    if end == start:
        return f"champ trop long (plus de {limit} caractères) : est-ce bien un palmarès CSV ?"
    return f"champ trop long (plus de {limit} caractères, lignes {start} à {end}) : un guillemet n'est-il pas resté ouvert ?"


def _slugs(value):
    return [slug.strip() for slug in value.split(SEPARATOR) if slug.strip()]


def _batches(items, size):
    items = iter(items)
    while batch := list(islice(items, size)):
        yield batch


def plan_import(source, replace=False, current_year=None):
    """Check every line of a file (bytes, str or binary stream); return what the import
    would create, replace or refuse."""
    plan = ImportPlan()
    current_year = current_year or timezone.localdate().year
    catalogue = (
        rules.valid_years(current_year),
        set(Mention.objects.values_list("slug", flat=True)),
        set(Prize.objects.values_list("slug", flat=True)),
    )
    try:
        for chunk in _batches(read_rows(_text_lines(_binary_stream(source), plan), plan), LOOKUP_ROWS):
            plan.reference.look_up({row["code"].upper() for _, row in chunk})
            for line, row in chunk:
                _check_line(line, row, catalogue, plan)
    except PalmaresFileError as error:
        plan.add_error(error.line, error.message)
        return plan
    _compare_with_stored(plan, replace)
    return plan


def _check_line(line, row, catalogue, plan):
    """Record a valid line in its year's column, or its reasons as one error."""
    years, mentions, prizes = catalogue
    reasons = []
    year = _parse_year(row["annee"], years, reasons)
    territory = _find_territory(row["code"], plan.reference, reasons)
    arobases = _parse_arobases(row["arobases"], reasons)
    row_mentions = _slugs(row["mentions"])
    row_prizes = _slugs(row["prix"])
    reasons += [f"mention inconnue « {slug[:60]} »" for slug in row_mentions if slug not in mentions]
    reasons += [f"prix inconnu « {slug[:60]} »" for slug in row_prizes if slug not in prizes and slug != rules.HORS_CONCOURS]
    hors_concours = rules.HORS_CONCOURS in row_prizes
    if arobases == "" and not hors_concours:
        reasons.append("arobases vide : indiquez 1 à 5, ou « hors-concours » dans la colonne prix")
    if isinstance(arobases, int) and hors_concours:
        reasons.append(f"« hors-concours » exclut les arobases ({arobases})")
    column = plan.column(year) if year and territory else None
    if column is not None:
        first = column.lines[territory.slot]
        if first:
            reasons.append(f"doublon : {territory.name} ({territory.code}) figure déjà pour {year} à la ligne {first}")
        else:
            column.lines[territory.slot] = line
    if reasons:
        plan.add_error(line, " ; ".join(reasons))
        return
    column.levels[territory.slot] = HORS_CONCOURS if hors_concours else arobases
    column.extras[territory.slot] = plan.extra_id(
        tuple(sorted(set(row_mentions))), tuple(sorted(set(row_prizes) - {rules.HORS_CONCOURS}))
    )


def _parse_year(value, years, reasons):
    year = parse_year(value)
    if year in years:
        return year
    reasons.append(f"année « {value[:20]} » invalide : attendue entre {years[0]} et {years[-1]}, en chiffres")
    return None


def _find_territory(value, reference, reasons):
    code = value.upper()
    territory = reference.get(code)
    if territory is None:
        hint = f" (zéro initial perdu ? essayez « 0{code} »)" if len(code) == 4 and code.isascii() and code.isdigit() else ""
        reasons.append(f"code « {value[:20]} » inconnu{hint}" if value else "code vide")
    elif territory.kind not in LABELLED_KINDS:
        reasons.append(f"« {value} » est un département : seules les communes et intercommunalités sont labellisées")
        return None
    return territory


def _parse_arobases(value, reasons):
    if value == "":
        return ""
    arobases = parse_int(value, 1, 5)
    if arobases is None:
        reasons.append(f"arobases « {value[:20]} » invalides : de 1 à 5 en chiffres, ou vide pour un label hors concours")
    return arobases


def _compare_with_stored(plan, replace):
    """Each year's stored labels are streamed with their mentions and prizes (three
    queries a year, no IN list), compared slot by slot, never held."""
    for year in sorted(plan.columns):
        column = plan.column(year)
        for pk, territory_id, level, is_demo, extras in _stored_labels(year):
            slot = plan.reference.slot_by_pk.get(territory_id)
            if slot is None or not column.levels[slot]:
                continue  # not in the file, or not valid there
            column.label_pks[slot], column.before[slot] = pk, level | (DEMO if is_demo else 0)
            if not is_demo and level == column.levels[slot] and plan.extras[column.extras[slot]] == extras:
                _classify(plan, column, slot, UNCHANGED)
            elif replace or is_demo:
                _classify(plan, column, slot, REPLACE)
            else:
                _refuse(plan, year, column, slot)
        for slot, level in enumerate(column.levels):
            if level and not column.label_pks[slot]:
                _classify(plan, column, slot, CREATE)


def _stored_labels(year):
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


def _classify(plan, column, slot, status):
    column.status[slot] = status
    plan.counts[status] += 1


def _refuse(plan, year, column, slot):
    territory = plan.reference.by_slot[slot]
    plan.add_error(
        column.lines[slot],
        f"le label {year} de {territory.name} ({territory.code}) "
        f"est déjà enregistré autrement ({describe_level(column.before[slot])}) ; utilisez --replace pour le remplacer",
    )


@transaction.atomic
def apply_plan(plan):
    """Write a checked plan, in batches, in one transaction: the one place an import is
    written. Editions of new years are created on the way."""
    if not plan.ok:
        raise ValueError("an import plan with errors cannot be applied")
    Edition.objects.bulk_create([Edition(year=year) for year in plan.years], ignore_conflicts=True)
    catalogue = (dict(Mention.objects.values_list("slug", "pk")), dict(Prize.objects.values_list("slug", "pk")))
    for year, column in sorted(plan.columns.items()):
        for slots in _batches(column.slots(CREATE), WRITE_BATCH):
            labels = Label.objects.bulk_create([
                Label(territory_id=plan.reference.by_slot[slot].pk, edition_id=year, **_level_fields(column.levels[slot]))
                for slot in slots
            ])
            _write_extras(plan, catalogue, [(label.pk, column.extras[slot]) for label, slot in zip(labels, slots)])
        for slots in _batches(column.slots(REPLACE), WRITE_BATCH):
            _replace(plan, catalogue, column, slots)
    data_version.bump()  # bulk writes send no signal: public pages must refresh
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
    """Mentions and prizes of (label pk, extras id) pairs."""
    mention_pks, prize_pks = catalogue
    Label.mentions.through.objects.bulk_create([
        Label.mentions.through(label_id=pk, mention_id=mention_pks[slug]) for pk, extra in labels for slug in plan.extras[extra][0]
    ], batch_size=WRITE_BATCH)
    Label.prizes.through.objects.bulk_create([
        Label.prizes.through(label_id=pk, prize_id=prize_pks[slug]) for pk, extra in labels for slug in plan.extras[extra][1]
    ], batch_size=WRITE_BATCH)


def export_rows(year=None, include_demo=False):
    """Labels as CSV rows (header first), by year then code."""
    labels = Label.objects.with_details().order_by("edition_id", "territory__code")
    if year is not None:
        labels = labels.filter(edition_id=year)
    if not include_demo:
        labels = labels.real()
    yield COLUMNS
    for label in labels:
        prize_slugs = sorted(label.prize_slugs)
        if label.hors_concours:
            prize_slugs.insert(0, rules.HORS_CONCOURS)
        yield [label.year, label.territory.code, label.arobases or "", SEPARATOR.join(sorted(label.mention_slugs)), SEPARATOR.join(prize_slugs)]


def write_csv(rows, stream):
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerows(rows)
