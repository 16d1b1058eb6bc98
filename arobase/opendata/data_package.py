"""The Frictionless Data Package: datapackage.json describes the files, and a second
package describes the workbook's sheets for checking it with `frictionless validate`."""

from arobase.core.csv_files import utc_text
from arobase.core.xlsx_files import XLSX_CONTENT_TYPE

from .schema import ACTION_FIELDS, PALMARES_FIELDS, SHEETS

LICENSE = {
    "name": "etalab-2.0",
    "path": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
    "title": "Licence Ouverte 2.0",
}
FILES = ["palmares.csv", "actions.csv", "actions.geojson", "referentiel.json"]  # described by datapackage.json


def table_schema(fields, primary_key=None, foreign_keys=None):
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
            **csv_options, "schema": table_schema(PALMARES_FIELDS),
        },
        {
            "name": "actions", "path": paths["actions.csv"], "title": "Actions publiées (Atlaas)",
            "description": "Une ligne par action publiée, rattachée aux services du référentiel national.",
            **csv_options, "schema": table_schema(ACTION_FIELDS, primary_key=["id"]),
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
        "created": utc_text(changed_at),
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
            "schema": table_schema(fields, primary_key=["id"] if name == "classeur-actions" else None, foreign_keys=foreign_keys),
        })
    return {"name": "arobase-classeur", "licenses": [LICENSE], "resources": resources}
