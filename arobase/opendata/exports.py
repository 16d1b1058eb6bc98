"""The open-data files (CONTRACT §7), written in constant memory.

Every table is read in chunks by keyset pagination (`WHERE key > last ORDER BY key
LIMIT n`), as plain values, with its relations read once per chunk: a bounded number of
queries per chunk, none per row, and no database cursor held open while a slow client
downloads. Rows are typed Python values (int, float, date, datetime, bool, str, None);
the CSV and XLSX writers turn them into cells; the same schema (`*_FIELDS`) names the
columns of both and describes them in the Frictionless Data Package.

Only published data: published actions (`Action.objects.published()`), labels of
published editions (a decision still pending is not a label), public fields only (never
an e-mail or a phone number). Demo rows are left out unless `demo` is true. A text cell
that a spreadsheet would read as a formula is prefixed with an apostrophe, in CSV and XLSX
alike (the convention of `arobase.dossiers.gestion.safe_cell`).
"""

import csv
import hashlib
import io
import json
import os
import tempfile
from contextlib import contextmanager
from datetime import UTC, date, datetime
from functools import reduce
from itertools import chain
from operator import or_

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Q
from django.urls import reverse
from django.utils import translation
from ninja.errors import HttpError

from arobase.actions import rules as action_rules
from arobase.actions.models import Action, Actor
from arobase.api import referential as api_referential
from arobase.labels import rules as label_rules
from arobase.labels import season
from arobase.labels.models import Label
from arobase.labels.palmares_csv import COLUMNS as PALMARES_IMPORT_COLUMNS
from arobase.labels.palmares_csv import SEPARATOR
from arobase.referential import loading
from arobase.territories import rules as territory_rules
from arobase.territories.models import Territory

LAYOUT_VERSION = 1  # in ETags and cached files: bump it when a file's columns or format change
CHUNK_SIZE = 500
LINK_CHUNK_SIZE = 5000  # two small columns a row
URL_LANGUAGE = "fr"  # URLs in the files are the canonical French ones
LICENSE = {
    "name": "etalab-2.0",
    "path": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
    "title": "Licence Ouverte 2.0",
}
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# --- Cells -----------------------------------------------------------------------------

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_text(text):
    """A text a spreadsheet would read as a formula stays text: prefixed with « ' »."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_cell(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return utc(value).strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int | float):
        return str(value)
    return safe_text(str(value))


def utc(moment):
    return moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)


def xlsx_cell(value):
    """A typed cell: numbers, dates and booleans as such; text as text (never a formula)."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if isinstance(value, datetime):
        return utc(value).replace(tzinfo=None)  # Excel has no time zones: UTC, as in the CSV
    if isinstance(value, str):
        text = ILLEGAL_CHARACTERS_RE.sub("", value)  # control characters XLSX cannot hold
        return safe_text(text) if text else None
    return value


# --- Schemas ---------------------------------------------------------------------------

def field(name, type_, description, **constraints):
    spec = {"name": name, "type": type_, "description": description}
    if type_ == "boolean":
        spec.update(trueValues=["true"], falseValues=["false"])
    if type_ == "datetime":
        spec["format"] = "default"  # YYYY-MM-DDThh:mm:ssZ, in UTC
    if constraints.pop("uri", False):
        spec["format"] = "uri"
    if constraints:
        spec["constraints"] = constraints
    return spec


CATEGORIES = [territory_rules.VILLAGE, territory_rules.VILLE, territory_rules.TERRITOIRE]

PALMARES_FIELDS = [
    field("annee", "integer", "Année du label.", required=True, minimum=label_rules.FIRST_YEAR),
    field("code", "string", "Code INSEE de la commune ou SIREN de l'intercommunalité.", required=True),
    field("arobases", "integer", "Nombre d'@, de 1 à 5 ; vide pour un label hors concours.", minimum=1, maximum=5),
    field("mentions", "string", "Mentions obtenues : identifiants séparés par « | »."),
    field("prix", "string", "Prix obtenus : identifiants séparés par « | » ; « hors-concours » pour un label hors concours."),
    field("nom", "string", "Nom du territoire.", required=True),
    field("categorie", "string", "Catégorie selon la population actuelle : village, ville ou territoire (intercommunalité).", enum=CATEGORIES),
    field("departement", "string", "Code du département du territoire."),
    field("region", "string", "Code de la région du territoire."),
    field("edition", "integer", "Numéro de l'édition : année du label − 1999.", required=True, minimum=1),
]
PALMARES_COLUMNS = [spec["name"] for spec in PALMARES_FIELDS]
assert PALMARES_COLUMNS[:5] == PALMARES_IMPORT_COLUMNS  # the file re-imports with `arobase import_palmares`

ACTION_FIELDS = [
    field("id", "integer", "Identifiant de l'action.", required=True, unique=True),
    field("titre", "string", "Titre.", required=True),
    field("sous_titre", "string", "Sous-titre."),
    field("synthese", "string", "Synthèse : ce que l'action apporte aux habitants."),
    field("statut", "string", "Avancement : prevue, en-cours ou realisee.", required=True, enum=[key for key, _ in action_rules.STATUS_CHOICES]),
    field("debut", "date", "Date de début."),
    field("fin", "date", "Date de fin."),
    field("publiee", "date", "Date de publication."),
    field("mise_a_jour", "datetime", "Dernière mise à jour (UTC).", required=True),
    field("territoire_code", "string", "Code INSEE ou SIREN du territoire qui mène l'action.", required=True),
    field("territoire_nom", "string", "Nom du territoire.", required=True),
    field("services", "string", "Services du référentiel national : identifiants séparés par « | »."),
    field("usages", "string", "Usages de ces services : identifiants séparés par « | »."),
    field("enjeux", "string", "Enjeux de ces services : identifiants séparés par « | »."),
    field("axes", "string", "Axes de ces services : identifiants séparés par « | »."),
    field("latitude", "number", "Latitude du lieu de l'action, à défaut du territoire (WGS84).", minimum=-90, maximum=90),
    field("longitude", "number", "Longitude du lieu de l'action, à défaut du territoire (WGS84).", minimum=-180, maximum=180),
    field("acteurs", "string", "Acteurs locaux associés : identifiants séparés par « | »."),
    field("url", "string", "Adresse de la fiche de l'action.", required=True, uri=True),
    field("demo", "boolean", "Donnée de démonstration (uniquement avec ?demo=1).", required=True),
]
ACTION_COLUMNS = [spec["name"] for spec in ACTION_FIELDS]

SERVICE_FIELDS = [
    field("edition", "integer", "Édition du référentiel (année du label).", required=True),
    field("slug", "string", "Identifiant du service (stable d'une édition à l'autre).", required=True, unique=True),
    field("nom", "string", "Nom du service.", required=True),
    field("description", "string", "Description du service."),
    field("usage", "string", "Identifiant de l'usage.", required=True),
    field("usage_nom", "string", "Nom de l'usage.", required=True),
    field("enjeu", "string", "Identifiant de l'enjeu.", required=True),
    field("enjeu_nom", "string", "Nom de l'enjeu.", required=True),
    field("axe", "string", "Identifiant de l'axe.", required=True),
    field("axe_nom", "string", "Nom de l'axe.", required=True),
]

PLACE_FIELDS = [
    field("code", "string", "Code INSEE, SIREN, code de département ou de région.", required=True),
    field("nom", "string", "Nom du territoire.", required=True),
    field("type", "string", "commune, epci, departement ou region.", required=True, enum=[key for key, _ in Territory.KIND_CHOICES]),
    field("categorie", "string", "village, ville ou territoire.", enum=CATEGORIES),
    field("population", "integer", "Population municipale.", minimum=0),
    field("departement", "string", "Code du département."),
    field("region", "string", "Code de la région."),
    field("latitude", "number", "Latitude de la mairie (WGS84).", minimum=-90, maximum=90),
    field("longitude", "number", "Longitude de la mairie (WGS84).", minimum=-180, maximum=180),
]

ACTOR_FIELDS = [
    field("slug", "string", "Identifiant de l'acteur local.", required=True, unique=True),
    field("nom", "string", "Nom.", required=True),
    field("type", "string", "Type d'acteur.", required=True, enum=[key for key, _ in action_rules.ACTOR_KIND_CHOICES]),
    field("territoire_code", "string", "Code du territoire de l'acteur.", required=True),
    field("territoire_nom", "string", "Nom du territoire.", required=True),
    field("site_web", "string", "Site web.", uri=True),
    field("description", "string", "Présentation."),
    field("url", "string", "Adresse de la page de l'acteur.", required=True, uri=True),
    field("demo", "boolean", "Donnée de démonstration (uniquement avec ?demo=1).", required=True),
]

ACTION_SERVICE_FIELDS = [
    field("action_id", "integer", "Identifiant de l'action (feuille Actions).", required=True),
    field("service", "string", "Identifiant du service (feuille Services).", required=True),
]
ACTION_ACTOR_FIELDS = [
    field("action_id", "integer", "Identifiant de l'action (feuille Actions).", required=True),
    field("acteur", "string", "Identifiant de l'acteur local (feuille Acteurs).", required=True),
]


# --- Reading in chunks -----------------------------------------------------------------

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


# --- Palmarès --------------------------------------------------------------------------

LABEL_VALUES = (
    "pk", "edition_id", "arobases", "hors_concours", "territory__code", "territory__name", "territory__kind",
    "territory__population", "territory__departement__code", "territory__region__code",
)


def palmares_chunks(demo=False):
    """Chunks of palmarès rows (PALMARES_FIELDS), by year then code: the first five
    columns exactly as `arobase export_palmares` writes them (a test checks it)."""
    # Year by year: a keyset over (year, code) across the join made each chunk's query
    # sort every label (250 000 labels took 160 s instead of 15).
    years = published_labels(demo).order_by("edition_id").values_list("edition_id", flat=True).distinct()
    chunks = (
        keyset_chunks(published_labels(demo).filter(edition_id=year).values_list(*LABEL_VALUES), ("territory__code", "pk"),
                      lambda row: (row[4], row[0]))
        for year in list(years)
    )
    for chunk in chain.from_iterable(chunks):
        ids = [row[0] for row in chunk]
        mentions = grouped(Label.mentions.through.objects.filter(label_id__in=ids).values_list("label_id", "mention__slug"))
        prizes = grouped(Label.prizes.through.objects.filter(label_id__in=ids).values_list("label_id", "prize__slug"))
        yield [palmares_row(row, mentions.get(row[0], []), prizes.get(row[0], [])) for row in chunk]


def palmares_row(row, mentions, prizes):
    pk, year, arobases, hors_concours, code, name, kind, population, departement, region = row
    prize_slugs = sorted(slug for slug, in prizes)
    if hors_concours:
        prize_slugs.insert(0, label_rules.HORS_CONCOURS)
    return [
        year, code, arobases, SEPARATOR.join(sorted(slug for slug, in mentions)), SEPARATOR.join(prize_slugs),
        name, territory_rules.category(kind, population, settings.VILLAGE_THRESHOLD), departement, region,
        label_rules.edition_number(year),
    ]


def palmares_count(demo=False):
    return published_labels(demo).count()


# --- Actions ---------------------------------------------------------------------------

ACTION_VALUES = (
    "pk", "title", "subtitle", "summary", "status", "started", "ended", "published_at", "updated_at", "is_demo",
    "lat", "lon", "territory__code", "territory__name", "territory__lat", "territory__lon",
)


def action_chunks(demo=False, base_url=""):
    """Chunks of published actions, by id, each as the API shows it: the same dict as
    `arobase.api.actions.action_out` (a test checks it, action by action), its `url`
    absolute. Read as plain values, three queries a chunk: model instances and their
    prefetches cost ten times as much for the 30 000 actions of the country."""
    url_prefix, url_suffix = url_parts("public:action", 987654321)
    actions = published_actions(demo).values_list(*ACTION_VALUES)
    for chunk in keyset_chunks(actions, ("pk",), lambda row: row[:1]):
        ids = [row[0] for row in chunk]
        services = grouped(Action.services.through.objects.filter(action_id__in=ids).order_by("action_id", "service_id").values_list(
            "action_id", "service__slug", "service__usage__slug", "service__usage__enjeu__slug", "service__usage__enjeu__axe__slug"))
        actor_rows = grouped(Action.actors.through.objects.filter(action_id__in=ids).order_by("action_id", "actor__name", "actor_id").values_list(
            "action_id", "actor__slug", "actor__name"))
        yield [
            action_dict(row, services.get(row[0], []), actor_rows.get(row[0], []), f"{base_url}{url_prefix}{row[0]}{url_suffix}")
            for row in chunk
        ]


def url_parts(name, marker):
    """The French URL of the view `name`, before and after its one argument: one
    `reverse` for a whole file."""
    with translation.override(URL_LANGUAGE):
        url = reverse(name, args=[marker])
    prefix, suffix = url.split(str(marker))
    return prefix, suffix


def grouped(rows):
    """{first value: [the rest of each row]}, rows in order."""
    groups = {}
    for first, *rest in rows:
        groups.setdefault(first, []).append(rest)
    return groups


def action_dict(row, services, actors, url):
    (pk, title, subtitle, summary, status, started, ended, published_at, updated_at, is_demo,
     lat, lon, code, name, territory_lat, territory_lon) = row
    if lat is None or lon is None:
        lat, lon = territory_lat, territory_lon
    return {
        "id": pk,
        "title": title,
        "subtitle": subtitle,
        "summary": summary,
        "status": status,
        "started": started,
        "ended": ended,
        "published": published_at.date() if published_at else None,
        "updated": updated_at,
        "territory": {"code": code, "name": name},
        "services": [slug for slug, _, _, _ in services],
        "usages": list(dict.fromkeys(usage for _, usage, _, _ in services)),
        "enjeux": list(dict.fromkeys(enjeu for _, _, enjeu, _ in services)),
        "axes": list(dict.fromkeys(axe for _, _, _, axe in services)),
        "lat": lat,
        "lon": lon,
        "actors": [{"slug": slug, "name": actor_name} for slug, actor_name in actors],
        "url": url,
        "demo": is_demo,
    }


def action_row(out):
    """An action (as `action_dict` gives it) as ACTION_FIELDS."""
    return [
        out["id"], out["title"], out["subtitle"], out["summary"], out["status"], out["started"], out["ended"],
        out["published"], out["updated"], out["territory"]["code"], out["territory"]["name"],
        SEPARATOR.join(out["services"]), SEPARATOR.join(out["usages"]), SEPARATOR.join(out["enjeux"]), SEPARATOR.join(out["axes"]),
        out["lat"], out["lon"], SEPARATOR.join(actor["slug"] for actor in out["actors"]), out["url"], out["demo"],
    ]


def action_count(demo=False):
    return published_actions(demo).count()


def geojson_feature(out):
    """RFC 7946: a Point [longitude, latitude] in WGS84, or no geometry; the properties
    are the action's public fields, named as in the API."""
    lat, lon = out["lat"], out["lon"]
    geometry = None
    if lat is not None and lon is not None and -90 <= lat <= 90 and -180 <= lon <= 180:
        geometry = {"type": "Point", "coordinates": [round(lon, 6), round(lat, 6)]}
    properties = {name: value for name, value in out.items() if name not in ("lat", "lon")}
    return {"type": "Feature", "id": out["id"], "geometry": geometry, "properties": properties}


def geojson_stream(demo=False, base_url=""):
    """The FeatureCollection as UTF-8 bytes: its opening, then the features one chunk at a time."""
    yield b'{"type": "FeatureCollection", "features": [\n'
    first = True
    for outs in action_chunks(demo, base_url):
        text = ",\n".join(json_text(geojson_feature(out)) for out in outs)
        yield (text if first else ",\n" + text).encode()
        first = False
    yield b"\n]}\n"


def json_text(data, **options):
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, **options)


# --- Places, actors, links -------------------------------------------------------------

def place_chunks(demo=False):
    """Territories holding published actions."""
    places = Territory.objects.filter(pk__in=published_actions(demo).values("territory_id")).select_related("departement", "region")
    for chunk in keyset_chunks(places, ("code", "pk"), lambda t: (t.code, t.pk)):
        yield [
            [t.code, t.name, t.kind, t.category, t.population, t.departement.code if t.departement else None,
             t.region.code if t.region else None, t.lat, t.lon]
            for t in chunk
        ]


def actor_chunks(demo=False, base_url=""):
    """Local actors, public fields only: never their e-mail or phone."""
    prefix, suffix = url_parts("public:actor", "marqueur-d-acteur")
    rows = actors(demo).values_list("slug", "name", "kind", "territory__code", "territory__name", "website", "description", "is_demo")
    for chunk in keyset_chunks(rows, ("slug",), lambda row: row[:1]):
        yield [[*row[:7], f"{base_url}{prefix}{row[0]}{suffix}", row[7]] for row in chunk]


def link_chunks(through, target, demo=False):
    """(action id, slug) rows of a relation of the published actions, by action."""
    links = through.objects.filter(action__state=action_rules.PUBLISHED)
    if not demo:
        links = links.filter(action__is_demo=False)
    # (action, target) is unique: the order of the relation's own unique index.
    rows = links.values_list("action_id", f"{target}_id", f"{target}__slug")
    for chunk in keyset_chunks(rows, ("action_id", f"{target}_id"), lambda row: row[:2], size=LINK_CHUNK_SIZE):
        yield [[action_id, slug] for action_id, _, slug in chunk]


def service_rows():
    """The services of the latest referential, with their usage, enjeu and axe."""
    year = loading.latest_year()
    if year is None:
        return []
    return [
        [year, s.slug, s.name, s.description, s.usage.slug, s.usage.name, s.usage.enjeu.slug, s.usage.enjeu.name,
         s.usage.enjeu.axe.slug, s.usage.enjeu.axe.name]
        for s in loading.services_of(year)
    ]


# --- Referential -----------------------------------------------------------------------

def referential():
    """The latest edition's referential, as the API gives it (`{"edition", "axes"}`)."""
    try:
        return api_referential.referential(None, edition=None)
    except HttpError:  # nothing loaded yet
        return {"edition": None, "axes": []}


def referential_json():
    return (json_text(referential(), indent=1) + "\n").encode()


def service_count():
    year = loading.latest_year()
    return loading.services_of(year).count() if year else 0


# --- Writers ---------------------------------------------------------------------------

def csv_stream(columns, chunks):
    """UTF-8 CSV (comma, no BOM): the header, then one block of bytes per chunk."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")

    def flush():
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text.encode()

    writer.writerow(columns)
    yield flush()
    for rows in chunks:
        writer.writerows([csv_cell(value) for value in row] for row in rows)
        yield flush()


def palmares_csv(demo=False):
    return csv_stream(PALMARES_COLUMNS, palmares_chunks(demo))


def actions_csv(demo=False, base_url=""):
    return csv_stream(ACTION_COLUMNS, ([action_row(out) for out in outs] for outs in action_chunks(demo, base_url)))


SHEETS = [
    # (sheet title, resource name, fields)
    ("Actions", "classeur-actions", ACTION_FIELDS),
    ("Services", "classeur-services", SERVICE_FIELDS),
    ("Lieux", "classeur-lieux", PLACE_FIELDS),
    ("Acteurs", "classeur-acteurs", ACTOR_FIELDS),
    ("Palmarès", "classeur-palmares", PALMARES_FIELDS),
    ("Actions_Services", "classeur-actions-services", ACTION_SERVICE_FIELDS),
    ("Actions_Acteurs", "classeur-actions-acteurs", ACTION_ACTOR_FIELDS),
]


def write_xlsx(target, demo=False, base_url=""):
    """The workbook, one sheet per table, into the binary file `target` (openpyxl's
    write-only mode: each sheet goes to disk as it is written)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    chunks = {
        "Actions": ([action_row(out) for out in outs] for outs in action_chunks(demo, base_url)),
        "Services": [service_rows()],
        "Lieux": place_chunks(demo),
        "Acteurs": actor_chunks(demo, base_url),
        "Palmarès": palmares_chunks(demo),
        "Actions_Services": link_chunks(Action.services.through, "service", demo),
        "Actions_Acteurs": link_chunks(Action.actors.through, "actor", demo),
    }
    book = Workbook(write_only=True)
    bold = Font(bold=True)
    for title, _, fields in SHEETS:
        sheet = book.create_sheet(title)
        sheet.freeze_panes = "A2"
        header = []
        for spec in fields:
            cell = WriteOnlyCell(sheet, value=spec["name"])
            cell.font = bold
            header.append(cell)
        sheet.append(header)
        for rows in chunks[title]:
            for row in rows:
                sheet.append([xlsx_cell(value) for value in row])
    book.save(target)
    return target


XLSX_KEPT = 8  # workbooks kept on disk: the current version's, with and without demo, a few hosts


def xlsx_file(demo, base_url, version, changed_at):
    """The workbook of this data version, as an open binary file. Writing it takes
    seconds for the whole country: it is written once per data version (and demo flag
    and host, for its absolute URLs) into the data folder, then served from there.
    A new file is written beside and renamed into place, so a reader never sees half
    of one; one process writes at a time; the oldest files are removed."""
    folder = settings.VAR_DIR / "opendata"
    folder.mkdir(parents=True, exist_ok=True)
    key = hashlib.sha256(f"{LAYOUT_VERSION}|{version}|{changed_at.isoformat()}|{demo}|{base_url}".encode()).hexdigest()[:32]
    path = folder / f"arobase-{key}.xlsx"
    try:
        return path.open("rb")
    except FileNotFoundError:
        pass
    with one_at_a_time(folder / ".verrou"):  # requests arriving meanwhile wait, then read it
        try:
            return path.open("rb")
        except FileNotFoundError:
            pass
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".en-cours-", suffix=".xlsx", delete=False) as target:
            try:
                write_xlsx(target, demo, base_url)
            except BaseException:
                os.unlink(target.name)
                raise
        os.replace(target.name, path)
        opened = path.open("rb")
        prune(folder)
    return opened


@contextmanager
def one_at_a_time(lock_path):
    """An exclusive lock between processes (the server's workers) where the system has one."""
    try:
        import fcntl
    except ImportError:  # not POSIX: workers may write the same file twice, harmlessly
        yield
        return
    with open(lock_path, "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def prune(folder):
    """Keep the XLSX_KEPT most recent workbooks (an open one stays readable once removed)."""
    files = sorted(folder.glob("arobase-*.xlsx"), key=lambda f: f.stat().st_mtime if f.exists() else 0, reverse=True)
    for old in files[XLSX_KEPT:]:
        old.unlink(missing_ok=True)


# --- The Data Package ------------------------------------------------------------------

FILES = ["palmares.csv", "actions.csv", "actions.geojson", "referentiel.json"]  # described by datapackage.json


def schema(fields, primary_key=None, foreign_keys=None):
    out = {"fields": fields, "missingValues": [""]}
    if primary_key:
        out["primaryKey"] = primary_key
    if foreign_keys:
        out["foreignKeys"] = foreign_keys
    return out


def datapackage(paths, changed_at, demo=False, homepage=None):
    """The Frictionless Data Package describing the files. `paths` maps each name of
    FILES to its path: the absolute URL on the site, or a relative path next to the
    descriptor for a downloaded copy."""
    demo_note = " Données de démonstration incluses (?demo=1) : elles ne sont pas réelles." if demo else ""
    csv_options = {"format": "csv", "mediatype": "text/csv", "encoding": "utf-8", "dialect": {"delimiter": ",", "header": True}}
    resources = [
        {
            "name": "palmares", "path": paths["palmares.csv"], "title": "Palmarès",
            "description": "Les labels publiés, une ligne par territoire et par année. Les cinq premières colonnes suivent "
                           "le format d'import du palmarès : le fichier se réimporte tel quel.",
            **csv_options, "schema": schema(PALMARES_FIELDS),
        },
        {
            "name": "actions", "path": paths["actions.csv"], "title": "Actions publiées (Atlaas)",
            "description": "Une ligne par action publiée, rattachée aux services du référentiel national.",
            **csv_options, "schema": schema(ACTION_FIELDS, primary_key=["id"]),
        },
        {
            "name": "actions-geojson", "path": paths["actions.geojson"], "title": "Actions publiées, carte (GeoJSON)",
            "description": "Les mêmes actions en GeoJSON (RFC 7946, WGS84) : un point [longitude, latitude] par action, "
                           "sans géométrie si le lieu est inconnu ; les propriétés sont celles de l'API (/api/v1/actions).",
            "format": "geojson", "mediatype": "application/geo+json", "encoding": "utf-8",
        },
        {
            "name": "referentiel", "path": paths["referentiel.json"], "title": "Référentiel national",
            "description": "Le référentiel de la dernière édition : axes, enjeux, usages et services, comme /api/v1/referential.",
            "format": "json", "mediatype": "application/json", "encoding": "utf-8",
        },
    ]
    package = {
        "name": "arobase-donnees-ouvertes",
        "title": "Label Territoires, Villes et Villages Internet : données ouvertes",
        "description": "Le palmarès du label, les actions publiées des collectivités (Atlaas), les acteurs locaux et le "
                       "référentiel national des services numériques. Seules les données publiées et leurs champs publics "
                       "y figurent : ni adresse électronique ni téléphone de personne, ni décision en attente de publication. "
                       "Une cellule qu'un tableur lirait comme une formule (=, +, -, @) commence par une apostrophe. "
                       "Le classeur arobase.xlsx reprend ces tables, une feuille par table, avec les mêmes colonnes." + demo_note,
        "licenses": [LICENSE],
        "keywords": ["label", "numérique", "collectivités", "villes internet", "atlaas"],
        "created": utc(changed_at).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "resources": resources,
    }
    if homepage:
        package["homepage"] = homepage
    return package


def workbook_package(path):
    """A Data Package describing the sheets of a workbook at `path`: each sheet is a
    table with the same Table Schema as its CSV (for checking a workbook with
    frictionless; datapackage.json leaves the workbook out, since writing it takes
    longer than frictionless waits for a first byte)."""
    resources = []
    for title, name, fields in SHEETS:
        foreign_keys = None
        if name in ("classeur-actions-services", "classeur-actions-acteurs"):
            foreign_keys = [{"fields": ["action_id"], "reference": {"resource": "classeur-actions", "fields": ["id"]}}]
        resources.append({
            "name": name, "path": path, "title": f"Classeur, feuille « {title} »",
            "format": "xlsx", "mediatype": XLSX_CONTENT_TYPE, "dialect": {"excel": {"sheet": title}},
            "schema": schema(fields, primary_key=["id"] if name == "classeur-actions" else None, foreign_keys=foreign_keys),
        })
    return {"name": "arobase-classeur", "licenses": [LICENSE], "resources": resources}
