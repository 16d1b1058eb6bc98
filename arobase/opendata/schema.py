"""The columns of every open-data table, as a Frictionless Table Schema.

The same fields name the columns of the CSV files and of the workbook's sheets, and
describe them in the Data Package: one list per table, so the three never disagree.
"""

from arobase.actions import rules as action_rules
from arobase.labels import rules as label_rules
from arobase.labels.palmares_csv import columns as palmares_columns
from arobase.territories import rules as territory_rules
from arobase.territories.models import Territory

LAYOUT_VERSION = 1  # in ETags and stored workbooks: bump it when a file's columns or format change


def field(name, type_, description, **constraints):
    """A Table Schema field; `uri=True` for a URL, other keywords are constraints."""
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
assert PALMARES_COLUMNS[:5] == palmares_columns.COLUMNS  # the file re-imports with `arobase import_palmares`

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

SHEETS = [
    # The workbook, in order: (sheet title, resource name in its Data Package, fields)
    ("Actions", "classeur-actions", ACTION_FIELDS),
    ("Services", "classeur-services", SERVICE_FIELDS),
    ("Lieux", "classeur-lieux", PLACE_FIELDS),
    ("Acteurs", "classeur-acteurs", ACTOR_FIELDS),
    ("Palmarès", "classeur-palmares", PALMARES_FIELDS),
    ("Actions_Services", "classeur-actions-services", ACTION_SERVICE_FIELDS),
    ("Actions_Acteurs", "classeur-actions-acteurs", ACTION_ACTOR_FIELDS),
]
