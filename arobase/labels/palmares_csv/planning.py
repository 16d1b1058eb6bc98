"""Planning an import: every line of a file checked, against the file and the database,
before anything is written. `plan_import` is the entry point of the command and the admin."""

from django.utils import timezone

from arobase.core.numbers import parse_int, parse_year
from arobase.labels import rules
from arobase.labels.models import Mention, Prize
from arobase.territories import rules as territory_rules

from .columns import split_slugs
from .comparing import compare_with_stored
from .plan import HORS_CONCOURS, ImportPlan, batches
from .reading import PalmaresFileError, binary_stream, read_rows, text_lines

LABELLED_KINDS = (territory_rules.COMMUNE, territory_rules.EPCI)
LOOKUP_ROWS = 500  # a small file's codes are looked up in one query (SQLite: 999 parameters at most)


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
        for chunk in batches(read_rows(text_lines(binary_stream(source), plan), plan), LOOKUP_ROWS):
            plan.reference.look_up({row["code"].upper() for _, row in chunk})
            for line, row in chunk:
                check_line(line, row, catalogue, plan)
    except PalmaresFileError as error:
        plan.add_error(error.line, error.message)
        return plan
    compare_with_stored(plan, replace)
    return plan


def check_line(line, row, catalogue, plan):
    """Record a valid line in its year's column, or its reasons as one error."""
    years, mentions, prizes = catalogue
    reasons = []
    year = _parse_year(row["annee"], years, reasons)
    territory = _find_territory(row["code"], plan.reference, reasons)
    arobases = _parse_arobases(row["arobases"], reasons)
    row_mentions = split_slugs(row["mentions"])
    row_prizes = split_slugs(row["prix"])
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
