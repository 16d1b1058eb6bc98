"""The palmarès CSV (CONTRACT §4): the one import path for labels, and its export.

Import is planned first (every line checked against the file and the database), then
applied in one transaction: all or nothing. The command and the admin both use
`plan_import` then `apply_plan`; the admin shows the plan as a preview.

The file is read as a stream, line by line: memory grows with the number of distinct
valid labels in it (bounded by territories × years), never with its size or its number
of errors, of which the first hundred are kept, in line order, with the total.
"""

import csv
import heapq
import io
from collections import namedtuple
from dataclasses import dataclass, field
from itertools import chain

from django.db import transaction
from django.utils import timezone

from arobase.numbers import parse_int, parse_year
from arobase.public import data_version
from arobase.territories import rules as territory_rules
from arobase.territories.models import Territory

from . import rules
from .models import Edition, Label, Mention, Prize

COLUMNS = ["annee", "code", "arobases", "mentions", "prix"]
LABELLED_KINDS = (territory_rules.COMMUNE, territory_rules.EPCI)
SEPARATOR = "|"
MAX_REPORTED_ERRORS = 100
MAX_LINE_BYTES = 1024 * 1024  # a palmarès line is a hundred bytes; past this, it is refused
CHUNK_ROWS = 2000  # lines checked together: one territory query per chunk
WRITE_BATCH = 500

TerritoryRef = namedtuple("TerritoryRef", "pk code name kind")


class PalmaresFileError(ValueError):
    """The file cannot be read at all (encoding, header)."""


@dataclass(slots=True)
class PlannedLabel:
    line: int
    year: int
    territory: TerritoryRef
    arobases: int | None
    mentions: tuple
    prizes: tuple
    existing: Label | None = None

    @property
    def hors_concours(self):
        return self.arobases is None

    def same_as_existing(self):
        label = self.existing
        return (
            label is not None and not label.is_demo
            and label.arobases == self.arobases and label.hors_concours == self.hors_concours
            and set(label.mention_slugs) == set(self.mentions) and set(label.prize_slugs) == set(self.prizes)
        )

    def describe_level(self):
        return "hors concours" if self.hors_concours else f"{self.arobases} @"


@dataclass
class ImportPlan:
    to_create: list = field(default_factory=list)
    to_update: list = field(default_factory=list)
    unchanged: list = field(default_factory=list)
    error_count: int = 0
    _first_errors: list = field(default_factory=list)  # heap of (-line, order, message)

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

    @property
    def years(self):
        return sorted({p.year for p in self.to_create + self.to_update + self.unchanged})


def _binary_stream(source):
    if isinstance(source, str):
        source = source.encode("utf-8")
    return io.BytesIO(source) if isinstance(source, bytes | bytearray) else source


def _text_lines(binary, plan):
    """Decoded lines, BOM dropped; an undecodable or overlong line is reported and stops
    (a wrong encoding) or is skipped (too long), so no line is held whole past the limit."""
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
            raise PalmaresFileError(f"ligne {number}: le fichier n'est pas encodé en UTF-8 (enregistrez-le en « CSV UTF-8 »)") from None
        yield text.removeprefix("\ufeff") if number == 1 else text


def read_rows(lines, plan):
    """Yield (line number, {column: value}) after checking the header; unreadable lines
    are reported to the plan and skipped."""
    first_line = next(lines, "")
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(chain([first_line], lines), delimiter=delimiter)
    try:
        header = [name.strip().lower() for name in next(reader, [])]
    except csv.Error as error:
        raise PalmaresFileError(f"ligne 1: en-tête illisible ({error})") from None
    missing = [name for name in COLUMNS if name not in header]
    if missing:
        raise PalmaresFileError(
            f"ligne 1: colonnes manquantes : {', '.join(missing)} (en-tête attendu : {','.join(COLUMNS)})"
        )
    while True:
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            reason = "champ trop long" if "field larger" in str(error) else "ligne CSV illisible"
            plan.add_error(reader.line_num, f"{reason} ({error})")
            continue
        if not any(value.strip() for value in values):
            continue
        if any("\x00" in value for value in values):
            plan.add_error(reader.line_num, "caractère nul dans la ligne : le fichier est-il bien un CSV texte ?")
            continue
        yield reader.line_num, {name: (values[i].strip() if i < len(values) else "") for i, name in enumerate(header)}


def _slugs(value):
    return [slug.strip() for slug in value.split(SEPARATOR) if slug.strip()]


def _chunks(rows, size=CHUNK_ROWS):
    chunk = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _territories(codes, known):
    """Add to `known` the territories of these codes not looked up yet (one query)."""
    missing = {code for code in codes if code not in known}
    for pk, code, name, kind in Territory.objects.filter(code__in=missing).exclude(kind=territory_rules.REGION).values_list("pk", "code", "name", "kind"):
        known[code] = TerritoryRef(pk, code, name, kind)
    for code in missing:
        known.setdefault(code, None)
    if len(known) > 100_000:  # never more than the reference holds; a file of garbage codes is not kept
        known.clear()


def plan_import(source, replace=False, current_year=None):
    """Check every line of a file (bytes, str or binary stream); return what the import
    would create, update or refuse."""
    plan = ImportPlan()
    current_year = current_year or timezone.localdate().year
    years = rules.valid_years(current_year)
    mentions = set(Mention.objects.values_list("slug", flat=True))
    prizes = set(Prize.objects.values_list("slug", flat=True))
    territories, planned, seen = {}, [], {}
    try:
        rows = read_rows(_text_lines(_binary_stream(source), plan), plan)
        for chunk in _chunks(rows):
            _territories({row["code"].upper() for _, row in chunk}, territories)
            for line, row in chunk:
                item = _check_line(line, row, years, territories, mentions, prizes, seen, plan)
                if item is not None:
                    planned.append(item)
    except PalmaresFileError as error:
        line, _, message = str(error).partition(": ")
        plan.add_error(int(line.removeprefix("ligne ")), message)
        return plan
    _compare_with_stored(planned, plan, replace)
    return plan


def _check_line(line, row, years, territories, mentions, prizes, seen, plan):
    reasons = []
    year = _parse_year(row["annee"], years, reasons)
    territory = _find_territory(row["code"], territories, reasons)
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
    if year and territory:
        key = (territory.pk, year)
        if key in seen:
            reasons.append(f"doublon : {territory.name} ({territory.code}) figure déjà pour {year} à la ligne {seen[key]}")
        else:
            seen[key] = line
    if reasons:
        plan.add_error(line, " ; ".join(reasons))
        return None
    return PlannedLabel(
        line=line, year=year, territory=territory, arobases=arobases if isinstance(arobases, int) else None,
        mentions=tuple(sorted(set(row_mentions))),
        prizes=tuple(sorted(set(row_prizes) - {rules.HORS_CONCOURS})),
    )


def _parse_year(value, years, reasons):
    year = parse_year(value)
    if year in years:
        return year
    reasons.append(f"année « {value[:20]} » invalide : attendue entre {years[0]} et {years[-1]}, en chiffres")
    return None


def _find_territory(value, territories, reasons):
    code = value.upper()
    territory = territories.get(code)
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


def _compare_with_stored(planned, plan, replace):
    """Stored labels are read year by year: a bounded number of rows, no huge IN list."""
    by_year = {}
    for item in planned:
        by_year.setdefault(item.year, []).append(item)
    for year, items in by_year.items():
        stored = {label.territory_id: label for label in Label.objects.filter(edition_id=year).prefetch_related("mentions", "prizes")}
        for item in items:
            _classify(item, stored.get(item.territory.pk), plan, replace)


def _classify(item, existing, plan, replace):
    item.existing = existing
    if existing is None:
        plan.to_create.append(item)
    elif item.same_as_existing():
        plan.unchanged.append(item)
    elif replace or existing.is_demo:
        plan.to_update.append(item)
    else:
        old_level = "hors concours" if existing.hors_concours else f"{existing.arobases} @"
        plan.add_error(
            item.line,
            f"le label {item.year} de {item.territory.name} ({item.territory.code}) "
            f"est déjà enregistré autrement ({old_level}) ; utilisez --replace pour le remplacer",
        )


@transaction.atomic
def apply_plan(plan):
    """Write a checked plan. Editions of new years are created on the way."""
    if not plan.ok:
        raise ValueError("an import plan with errors cannot be applied")
    Edition.objects.bulk_create([Edition(year=year) for year in plan.years], ignore_conflicts=True)
    mentions = {m.slug: m.pk for m in Mention.objects.all()}
    prizes = {p.slug: p.pk for p in Prize.objects.all()}

    created = Label.objects.bulk_create([
        Label(territory_id=p.territory.pk, edition_id=p.year, arobases=p.arobases, hors_concours=p.hors_concours)
        for p in plan.to_create
    ], batch_size=WRITE_BATCH)
    updated = []
    for item in plan.to_update:
        label = item.existing
        label.arobases, label.hors_concours, label.is_demo = item.arobases, item.hors_concours, False
        updated.append(label)
    Label.objects.bulk_update(updated, ["arobases", "hors_concours", "is_demo"], batch_size=WRITE_BATCH)
    for start in range(0, len(updated), WRITE_BATCH):  # SQLite limits the parameters of one query
        batch = updated[start:start + WRITE_BATCH]
        Label.mentions.through.objects.filter(label__in=batch).delete()
        Label.prizes.through.objects.filter(label__in=batch).delete()

    pairs = list(zip(created, plan.to_create)) + list(zip(updated, plan.to_update))
    Label.mentions.through.objects.bulk_create([
        Label.mentions.through(label_id=label.pk, mention_id=mentions[slug]) for label, item in pairs for slug in item.mentions
    ], batch_size=WRITE_BATCH)
    Label.prizes.through.objects.bulk_create([
        Label.prizes.through(label_id=label.pk, prize_id=prizes[slug]) for label, item in pairs for slug in item.prizes
    ], batch_size=WRITE_BATCH)
    data_version.bump()  # bulk writes send no signal: public pages must refresh
    return plan


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
