"""The palmarès CSV (CONTRACT §4): the one import path for labels, and its export.

Import is planned first (every line checked against the file and the database), then
applied in one transaction: all or nothing. The command and the admin both use
`plan_import` then `apply_plan`; the admin shows the plan as a preview.
"""

import csv
import io
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from arobase.public import data_version
from arobase.territories import rules as territory_rules
from arobase.territories.models import Territory

from . import rules
from .models import Edition, Label, Mention, Prize

COLUMNS = ["annee", "code", "arobases", "mentions", "prix"]
LABELLED_KINDS = (territory_rules.COMMUNE, territory_rules.EPCI)
SEPARATOR = "|"


class PalmaresFileError(ValueError):
    """The file cannot be read at all (encoding, header)."""


@dataclass
class PlannedLabel:
    line: int
    year: int
    territory: Territory
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
    errors: list = field(default_factory=list)  # "ligne N: reason"

    @property
    def ok(self):
        return not self.errors

    @property
    def years(self):
        return sorted({p.year for p in self.to_create + self.to_update + self.unchanged})


def decode(content):
    if isinstance(content, str):
        return content.removeprefix("\ufeff")
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = content[: error.start].count(b"\n") + 1
        raise PalmaresFileError(f"ligne {line}: le fichier n'est pas encodé en UTF-8 (enregistrez-le en « CSV UTF-8 »)") from None


def read_rows(text):
    """Yield (line number, {column: value}) after checking the header."""
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = [name.strip().lower() for name in next(reader, [])]
    missing = [name for name in COLUMNS if name not in header]
    if missing:
        raise PalmaresFileError(
            f"ligne 1: colonnes manquantes : {', '.join(missing)} (en-tête attendu : {','.join(COLUMNS)})"
        )
    for values in reader:
        if not any(value.strip() for value in values):
            continue
        yield reader.line_num, {name: (values[i].strip() if i < len(values) else "") for i, name in enumerate(header)}


def _slugs(value):
    return [slug.strip() for slug in value.split(SEPARATOR) if slug.strip()]


def plan_import(content, replace=False, current_year=None):
    """Check every line; return what the import would create, update or refuse."""
    plan = ImportPlan()
    try:
        rows = list(read_rows(decode(content)))
    except PalmaresFileError as error:
        plan.errors.append(str(error))
        return plan
    except csv.Error as error:
        plan.errors.append(f"ligne 1: fichier CSV illisible ({error})")
        return plan

    current_year = current_year or timezone.localdate().year
    years = rules.valid_years(current_year)
    codes = {row["code"].upper() for _, row in rows}
    territories = {t.code: t for t in Territory.objects.filter(code__in=codes).exclude(kind=territory_rules.REGION)}
    mentions = set(Mention.objects.values_list("slug", flat=True))
    prizes = set(Prize.objects.values_list("slug", flat=True))

    planned, seen = [], {}
    for line, row in rows:
        reasons = []
        year = _parse_year(row["annee"], years, reasons)
        territory = _find_territory(row["code"], territories, reasons)
        arobases = _parse_arobases(row["arobases"], reasons)
        row_mentions = _slugs(row["mentions"])
        row_prizes = _slugs(row["prix"])
        reasons += [f"mention inconnue « {slug} »" for slug in row_mentions if slug not in mentions]
        reasons += [f"prix inconnu « {slug} »" for slug in row_prizes if slug not in prizes and slug != rules.HORS_CONCOURS]
        hors_concours = rules.HORS_CONCOURS in row_prizes
        if arobases == "" and not hors_concours:
            reasons.append("arobases vide : indiquez 1 à 5, ou « hors-concours » dans la colonne prix")
        if isinstance(arobases, int) and hors_concours:
            reasons.append(f"« hors-concours » exclut les arobases ({arobases})")
        if year and territory:
            key = (territory.pk, year)
            if key in seen:
                reasons.append(f"doublon : {territory.name} ({territory.code}) figure déjà pour {year} à la ligne {seen[key]}")
            seen.setdefault(key, line)
        if reasons:
            plan.errors.append(f"ligne {line}: " + " ; ".join(reasons))
            continue
        planned.append(PlannedLabel(
            line=line, year=year, territory=territory, arobases=arobases if isinstance(arobases, int) else None,
            mentions=tuple(sorted(set(row_mentions))),
            prizes=tuple(sorted(set(row_prizes) - {rules.HORS_CONCOURS})),
        ))

    _compare_with_stored(planned, plan, replace)
    return plan


def _parse_year(value, years, reasons):
    if value.isdigit() and int(value) in years:
        return int(value)
    reasons.append(f"année « {value} » invalide : attendue entre {years[0]} et {years[-1]}")
    return None


def _find_territory(value, territories, reasons):
    code = value.upper()
    territory = territories.get(code)
    if territory is None:
        hint = f" (zéro initial perdu ? essayez « 0{code} »)" if len(code) == 4 and code.isdigit() else ""
        reasons.append(f"code « {value} » inconnu{hint}" if value else "code vide")
    elif territory.kind not in LABELLED_KINDS:
        reasons.append(f"« {value} » est un département : seules les communes et intercommunalités sont labellisées")
        return None
    return territory


def _parse_arobases(value, reasons):
    if value == "":
        return ""
    if value.isdigit() and 1 <= int(value) <= 5:
        return int(value)
    reasons.append(f"arobases « {value} » invalides : de 1 à 5, ou vide pour un label hors concours")
    return None


def _compare_with_stored(planned, plan, replace):
    stored = {
        (label.territory_id, label.year): label
        for label in Label.objects.filter(
            territory__in={p.territory.pk for p in planned}, edition__in={p.year for p in planned}
        ).prefetch_related("mentions", "prizes")
    }
    for item in planned:
        item.existing = stored.get((item.territory.pk, item.year))
        if item.existing is None:
            plan.to_create.append(item)
        elif item.same_as_existing():
            plan.unchanged.append(item)
        elif replace or item.existing.is_demo:
            plan.to_update.append(item)
        else:
            old = item.existing
            old_level = "hors concours" if old.hors_concours else f"{old.arobases} @"
            plan.errors.append(
                f"ligne {item.line}: le label {item.year} de {item.territory.name} ({item.territory.code}) "
                f"est déjà enregistré autrement ({old_level}) ; utilisez --replace pour le remplacer"
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
        Label(territory=p.territory, edition_id=p.year, arobases=p.arobases, hors_concours=p.hors_concours)
        for p in plan.to_create
    ])
    updated = []
    for item in plan.to_update:
        label = item.existing
        label.arobases, label.hors_concours, label.is_demo = item.arobases, item.hors_concours, False
        updated.append(label)
    Label.objects.bulk_update(updated, ["arobases", "hors_concours", "is_demo"])
    Label.mentions.through.objects.filter(label__in=updated).delete()
    Label.prizes.through.objects.filter(label__in=updated).delete()

    pairs = list(zip(created, plan.to_create)) + list(zip(updated, plan.to_update))
    Label.mentions.through.objects.bulk_create([
        Label.mentions.through(label_id=label.pk, mention_id=mentions[slug]) for label, item in pairs for slug in item.mentions
    ])
    Label.prizes.through.objects.bulk_create([
        Label.prizes.through(label_id=label.pk, prize_id=prizes[slug]) for label, item in pairs for slug in item.prizes
    ])
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
