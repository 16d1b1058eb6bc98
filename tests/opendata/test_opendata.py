"""Open data (CONTRACT §7): every file downloads, holds only published public data, keeps
formulas as text, validates with frictionless, answers conditional requests, and is
written with a number of queries that does not grow with the data."""

import csv
import io
import json
import re
import zipfile
from datetime import date

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from arobase.actions import rules as action_rules
from arobase.actions.models import Action, Actor, Person
from arobase.labels.models import Edition, Label
from arobase.labels.palmares_csv.export import export_rows
from arobase.opendata import action_table, data_package, downloads, reading, workbook, workbook_store, workbook_tables

FILES = {
    "palmares_csv": ("palmares.csv", "text/csv; charset=utf-8"),
    "actions_csv": ("actions.csv", "text/csv; charset=utf-8"),
    "actions_geojson": ("actions.geojson", "application/geo+json"),
    "referentiel_json": ("referentiel.json", "application/json"),
    "datapackage": ("datapackage.json", "application/json"),
    "xlsx": ("arobase.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
}
PALMARES = (
    "annee,code,arobases,mentions,prix\n"
    "2024,59368,5,numerique-educatif,territoire-excellence-numerique\n"
    "2023,59368,5,,\n"
    "2022,34145,3,democratie-locale|mediation-numerique,\n"
    "2016,92040,,,hors-concours\n"
    "2024,200093201,4,,\n"
)
FORMULAS = ['=HYPERLINK("http://x")', "+1", "-1", "@SUM(1)"]
# A formula after a « ; » (French Excel splits a CSV there), a tab or a line end.
INNER_FORMULAS = ['Réunion;=HYPERLINK("http://x")', "Atelier\t+1", "Forum\n-1", "Café ;@SUM(1)"]
SECRETS = ["secret@example.org", "06 12 34 56 78", "acteur-secret@example.org", "01 98 76 54 32",
           "Brouillon confidentiel", "Action refusée confidentielle", "Proposition en attente"]


def download(client, name, **params):
    response = client.get(reverse(f"opendata:{name}"), params)
    assert response.status_code == 200, (name, response.status_code)
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return response, content


def csv_rows(content):
    text = content.decode("utf-8")
    assert not text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text)))


def xlsx_sheets(content):
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(content))
    return {sheet.title: sheet for sheet in book.worksheets}


def xlsx_text(content):
    """Every XML part of the workbook, as text: what any reader could find in it."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return "".join(archive.read(name).decode("utf-8") for name in archive.namelist())


def make_action(world, title, territory=None, state=action_rules.PUBLISHED, **fields):
    action = Action.objects.create(
        territory=territory or world.madeleine, title=title, summary=fields.pop("summary", "Une action pour les habitants."),
        state=state, status=fields.pop("status", action_rules.DONE), started=fields.pop("started", date(2023, 9, 1)),
        published_at=timezone.now() if state == action_rules.PUBLISHED else None, **fields,
    )
    action.services.set(world.services[:2])
    return action


@pytest.fixture
def data(world, tmp_path):
    """Real labels (imported), a real actor with private contacts, published actions (one
    per formula), a draft, a refused and a proposed action, and demo rows of each kind."""
    path = tmp_path / "palmares.csv"
    path.write_text(PALMARES)
    call_command("import_palmares", str(path), stdout=io.StringIO())
    world.actor_row = Actor.objects.create(
        slug="asso-numerique-madeleine", name="Association numérique de La Madeleine", territory=world.madeleine,
        website="https://asso.example.fr", email="acteur-secret@example.org", phone="01 98 76 54 32", consent=True,
        description="Ateliers pour tous.",
    )
    world.published = make_action(world, "Conseil municipal en direct", subtitle="Sur le site de la ville", lat=50.65, lon=3.07)
    world.published.actors.set([world.actor_row])
    Person.objects.create(action=world.published, name="Ana Lopez", role="cheffe de projet", email="secret@example.org",
                          phone="06 12 34 56 78", consent=True)
    world.formulas = [make_action(world, title, territory=world.lunel) for title in FORMULAS]
    world.west = make_action(world, "Action à l'ouest", lat=47.2, lon=-1.55)
    for title, state in (("Brouillon confidentiel", action_rules.DRAFT), ("Action refusée confidentielle", action_rules.REFUSED),
                         ("Proposition en attente", action_rules.PROPOSED)):
        hidden = make_action(world, title, state=state)
        Person.objects.create(action=hidden, name="Zoé Secret", email="secret@example.org", phone="06 12 34 56 78")
    demo_actor = Actor.objects.create(slug="acteur-demo", name="Acteur démo", territory=world.lunel, is_demo=True)
    world.demo_action = make_action(world, "Action démo visible", territory=world.lunel, is_demo=True)
    world.demo_action.actors.set([demo_actor])
    Label.objects.create(territory=world.lunel, edition=Edition.objects.get(year=2024), arobases=2, is_demo=True)
    return world


def test_every_file_downloads_with_its_type_and_validators(data, client, settings):
    for name, (filename, content_type) in FILES.items():
        response, content = download(client, name)
        assert response["Content-Type"] == content_type, name
        assert response["Content-Disposition"] == f'attachment; filename="{filename}"'
        assert response["ETag"].startswith('"') and response["Last-Modified"]
        assert f"max-age={settings.PUBLIC_BROWSER_CACHE_SECONDS}" in response["Cache-Control"]
        assert "public" in response["Cache-Control"]
        assert content
    assert client.post(reverse("opendata:actions_csv")).status_code == 405
    assert client.head(reverse("opendata:palmares_csv")).status_code == 200


def test_palmares_reimports_unchanged(data, client, tmp_path):
    _, content = download(client, "palmares_csv")
    rows = list(csv.reader(io.StringIO(content.decode())))
    assert rows[0] == ["annee", "code", "arobases", "mentions", "prix", "nom", "categorie", "departement", "region", "edition"]
    # The first five columns are what `arobase export_palmares` writes, line for line.
    assert [row[:5] for row in rows] == [[str(v) for v in row] for row in export_rows()]
    before = sorted(Label.objects.values_list("territory__code", "edition_id", "arobases", "hors_concours", "is_demo"))
    path = tmp_path / "opendata-palmares.csv"
    path.write_bytes(content)
    out = io.StringIO()
    call_command("import_palmares", str(path), stdout=out)
    assert "0 label(s) ont été créé(s), 0 remplacé(s), 5 déjà à jour" in out.getvalue()
    assert sorted(Label.objects.values_list("territory__code", "edition_id", "arobases", "hors_concours", "is_demo")) == before


def test_palmares_shows_real_labels_with_their_territory(data, client):
    _, content = download(client, "palmares_csv")
    rows = {(row["annee"], row["code"]): row for row in csv_rows(content)}
    assert len(rows) == 5
    madeleine = rows["2024", "59368"]
    assert madeleine == {
        "annee": "2024", "code": "59368", "arobases": "5", "mentions": "numerique-educatif", "prix": "territoire-excellence-numerique",
        "nom": "La Madeleine", "categorie": "ville", "departement": "59", "region": "32", "edition": "25",
    }
    assert rows["2016", "92040"]["arobases"] == "" and rows["2016", "92040"]["prix"] == "hors-concours"
    assert rows["2022", "34145"]["mentions"] == "democratie-locale|mediation-numerique"
    assert rows["2024", "200093201"]["categorie"] == "territoire"


def test_pending_decisions_and_unpublished_editions_never_in_palmares(data, client):
    from arobase.dossiers.models import Dossier
    from arobase.evaluation.models import Decision

    edition = data.edition  # 2027
    edition.phase = "deliberation"
    edition.save()
    dossier = Dossier.objects.create(edition=edition, territory=data.lunel, state="depose", submitted_at=timezone.now())
    Decision.objects.create(dossier=dossier, arobases=4)
    # Even a label row of an edition not yet published stays out (CONTRACT §9).
    Label.objects.create(territory=data.madeleine, edition=edition, arobases=5)
    for params in ({}, {"demo": "1"}):
        _, content = download(client, "palmares_csv", **params)
        rows = csv_rows(content)
        assert {row["annee"] for row in rows} <= {"2016", "2022", "2023", "2024"}
        published = Label.objects.filter(edition__phase="publie")
        if not params:
            published = published.real()
        assert sorted((int(r["annee"]), r["code"]) for r in rows) == sorted(published.values_list("edition_id", "territory__code"))
        sheet = xlsx_sheets(download(client, "xlsx", **params)[1])["Palmarès"]
        assert 2027 not in [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]


def test_only_published_actions_and_public_fields(data, client):
    for name in FILES:
        for params in ({}, {"demo": "1"}):
            _, content = download(client, name, **params)
            text = xlsx_text(content) if name == "xlsx" else content.decode("utf-8")
            for secret in SECRETS:
                assert secret not in text, (name, params, secret)
    _, content = download(client, "actions_csv")
    ids = [int(row["id"]) for row in csv_rows(content)]
    expected = sorted(Action.objects.published().filter(is_demo=False).values_list("pk", flat=True))
    assert ids == expected and len(ids) == 6
    row = next(r for r in csv_rows(content) if r["id"] == str(data.published.pk))
    assert row == {
        "id": str(data.published.pk), "titre": "Conseil municipal en direct", "sous_titre": "Sur le site de la ville",
        "synthese": "Une action pour les habitants.", "statut": "realisee", "debut": "2023-09-01", "fin": "",
        "publiee": data.published.published_at.date().isoformat(), "mise_a_jour": row["mise_a_jour"],
        "territoire_code": "59368", "territoire_nom": "La Madeleine",
        "services": "|".join(s.slug for s in sorted(data.services[:2], key=lambda s: s.pk)),
        "usages": row["usages"], "enjeux": row["enjeux"], "axes": row["axes"], "latitude": "50.65", "longitude": "3.07",
        "acteurs": "asso-numerique-madeleine", "url": f"http://testserver/actions/{data.published.pk}/", "demo": "false",
    }
    assert row["mise_a_jour"].endswith("Z") and row["usages"] and row["axes"]
    features = json.loads(download(client, "actions_geojson")[1])["features"]
    assert sorted(f["id"] for f in features) == expected


def test_actions_match_the_api_serializer(data):
    """The open data's fast path gives exactly what the API's `action_out` gives."""
    from django.utils import translation

    from arobase.api.actions import action_out, with_details

    Action.objects.filter(pk=data.west.pk).update(lat=None)  # half a point: the territory's is used
    data.published.actors.add(Actor.objects.create(slug="aaa", name="Aaa", territory=data.lunel))
    found = [out for chunk in action_table.action_chunks(demo=True, base_url="https://exemple.fr") for out in chunk]
    with translation.override("en"):  # the files' URLs are the French ones whatever the language
        actions = with_details(Action.objects.published()).order_by("pk")
        expected = [{**action_out(a), "url": f"https://exemple.fr/actions/{a.pk}/"} for a in actions]
    assert found == expected and len(found) == 7
    assert [a["slug"] for a in found[0]["actors"]] == ["aaa", "asso-numerique-madeleine"]


def test_actors_sheet_has_public_fields_only(data, client):
    sheets = xlsx_sheets(download(client, "xlsx")[1])
    rows = list(sheets["Acteurs"].iter_rows(values_only=True))
    assert rows[0] == ("slug", "nom", "type", "territoire_code", "territoire_nom", "site_web", "description", "url", "demo")
    assert rows[1:] == [("asso-numerique-madeleine", "Association numérique de La Madeleine", "association", "59368", "La Madeleine",
                         "https://asso.example.fr", "Ateliers pour tous.", "http://testserver/acteurs/asso-numerique-madeleine/", False)]
    links = list(sheets["Actions_Acteurs"].iter_rows(min_row=2, values_only=True))
    assert links == [(data.published.pk, "asso-numerique-madeleine")]
    services = list(sheets["Actions_Services"].iter_rows(min_row=2, values_only=True))
    assert len(services) == 2 * 6 and {row[0] for row in services} == {a.pk for a in Action.objects.published().filter(is_demo=False)}
    places = {row[0]: row for row in sheets["Lieux"].iter_rows(min_row=2, values_only=True)}
    assert set(places) == {"59368", "34145"}
    assert places["59368"][1:7] == ("La Madeleine", "commune", "ville", data.madeleine.population, "59", "32")


def test_demo_rows_only_with_demo_flag(data, client):
    demo_title, demo_slug = "Action démo visible", "acteur-demo"
    for params, present in (({}, False), ({"demo": "1"}, True)):
        _, content = download(client, "actions_csv", **params)
        rows = csv_rows(content)
        assert (demo_title in {r["titre"] for r in rows}) is present
        assert {r["demo"] for r in rows} == ({"true", "false"} if present else {"false"})
        geo = json.loads(download(client, "actions_geojson", **params)[1])
        assert (demo_title in {f["properties"]["title"] for f in geo["features"]}) is present
        palmares = csv_rows(download(client, "palmares_csv", **params)[1])
        assert (("2024", "34145") in {(r["annee"], r["code"]) for r in palmares}) is present
        text = xlsx_text(download(client, "xlsx", **params)[1])
        assert (demo_title in text) is present and (demo_slug in text) is present
        package = json.loads(download(client, "datapackage", **params)[1])
        assert package["resources"][0]["path"].endswith("/opendata/palmares.csv" + ("?demo=1" if present else ""))


def test_formulas_stay_text_in_csv_and_xlsx(data, client):
    rows = {int(r["id"]): r for r in csv_rows(download(client, "actions_csv")[1])}
    for action, formula in zip(data.formulas, FORMULAS):
        assert rows[action.pk]["titre"] == "'" + formula
    assert rows[data.west.pk]["longitude"] == "-1.55"  # a negative number is a number, not a formula
    sheet = xlsx_sheets(download(client, "xlsx")[1])["Actions"]
    header = [cell.value for cell in next(sheet.iter_rows(max_row=1))]
    title, longitude = header.index("titre"), header.index("longitude")
    cells = {row[0].value: row for row in sheet.iter_rows(min_row=2)}
    for action, formula in zip(data.formulas, FORMULAS):
        cell = cells[action.pk][title]
        assert cell.data_type == "s" and isinstance(cell.value, str) and cell.value == "'" + formula
    assert cells[data.west.pk][longitude].value == -1.55 and cells[data.west.pk][longitude].data_type == "n"
    assert "<f>" not in xlsx_text(download(client, "xlsx")[1])  # no formula anywhere in the workbook


def test_no_piece_of_a_cell_a_spreadsheet_may_split_off_is_a_formula(data, client):
    inner_formulas = [make_action(data, title, territory=data.lunel) for title in INNER_FORMULAS]
    rows = {int(r["id"]): r for r in csv_rows(download(client, "actions_csv")[1])}
    for action in inner_formulas:
        pieces = re.split(r"[;\t\r\n]", rows[action.pk]["titre"])
        assert len(pieces) == 2 and not any(piece.startswith(("=", "+", "-", "@")) for piece in pieces), rows[action.pk]["titre"]
        assert rows[action.pk]["titre"].replace("'", "") == action.title  # only the apostrophe added
    sheet = xlsx_sheets(download(client, "xlsx")[1])["Actions"]
    header = [cell.value for cell in next(sheet.iter_rows(max_row=1))]
    cells = {row[0].value: row[header.index("titre")].value for row in sheet.iter_rows(min_row=2)}
    assert all(not re.search(r"[;\t\r\n][=+\-@]", cells[action.pk]) for action in inner_formulas)


def test_control_characters_do_not_break_the_workbook(data, client):
    action = make_action(data, "Titre\x0bavec\x1bcontrôle", subtitle="\tTabulation")
    sheet = xlsx_sheets(download(client, "xlsx")[1])["Actions"]
    row = next(r for r in sheet.iter_rows(min_row=2, values_only=True) if r[0] == action.pk)
    assert row[1:3] == ("Titreaveccontrôle", "'\tTabulation")


def test_geojson_is_rfc7946(data, client):
    Action.objects.filter(pk=data.formulas[0].pk).update(lat=None, lon=None)
    data.lunel.lat = data.lunel.lon = None
    data.lunel.save()
    response, content = download(client, "actions_geojson")
    collection = json.loads(content)
    assert set(collection) == {"type", "features"} and collection["type"] == "FeatureCollection"
    by_id = {}
    for feature in collection["features"]:
        assert feature["type"] == "Feature" and set(feature) == {"type", "id", "geometry", "properties"}
        geometry = feature["geometry"]
        if geometry is not None:
            lon, lat = geometry["coordinates"]
            assert geometry["type"] == "Point" and -180 <= lon <= 180 and -90 <= lat <= 90
        by_id[feature["id"]] = feature
    assert by_id[data.west.pk]["geometry"] == {"type": "Point", "coordinates": [-1.55, 47.2]}  # [longitude, latitude]
    assert by_id[data.published.pk]["geometry"]["coordinates"] == [3.07, 50.65]
    assert by_id[data.formulas[0].pk]["geometry"] is None  # no place known
    props = by_id[data.published.pk]["properties"]
    assert props["title"] == "Conseil municipal en direct" and props["territory"] == {"code": "59368", "name": "La Madeleine"}
    assert props["actors"] == [{"slug": "asso-numerique-madeleine", "name": "Association numérique de La Madeleine"}]
    assert props["url"] == f"http://testserver/actions/{data.published.pk}/" and props["demo"] is False
    assert props["started"] == "2023-09-01" and "lat" not in props


def test_referential_json_matches_the_api(data, client):
    _, content = download(client, "referentiel_json")
    assert json.loads(content) == json.loads(client.get("/api/v1/referential").content)
    assert json.loads(content)["edition"] == 2027


def frictionless_report(path):
    import frictionless

    report = frictionless.validate(str(path))
    assert report.valid, report.flatten(["taskName", "rowNumber", "fieldName", "type", "note"])
    return {task.name: task for task in report.tasks}


@pytest.mark.parametrize("params", [{}, {"demo": "1"}])
def test_datapackage_validates_with_frictionless(data, client, tmp_path, params):
    response, content = download(client, "datapackage", **params)
    package = json.loads(content)
    url_names = {"palmares.csv": "palmares_csv", "actions.csv": "actions_csv", "actions.geojson": "actions_geojson",
                 "referentiel.json": "referentiel_json"}
    query = "?demo=1" if params else ""
    assert [r["path"] for r in package["resources"]] == [f"http://testserver/opendata/{name}{query}" for name in url_names]
    assert package["licenses"] == [{"name": "etalab-2.0", "path": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
                                    "title": "Licence Ouverte 2.0"}]
    assert package["homepage"] == "http://testserver/opendata/"
    for name, url_name in url_names.items():
        (tmp_path / name).write_bytes(download(client, url_name, **params)[1])
        if name.endswith("json"):
            json.loads((tmp_path / name).read_text(encoding="utf-8"))
    # The same descriptor, pointing at the downloaded copies.
    local = json.loads(downloads.json_text(data_package.datapackage({n: n for n in url_names}, timezone.now(), demo=bool(params))))
    assert [{k: v for k, v in r.items() if k != "path"} for r in local["resources"]] == [
        {k: v for k, v in r.items() if k != "path"} for r in package["resources"]]
    (tmp_path / "datapackage.json").write_text(json.dumps(local, ensure_ascii=False), encoding="utf-8")
    tasks = frictionless_report(tmp_path / "datapackage.json")
    assert set(tasks) == {"palmares", "actions", "actions-geojson", "referentiel"}
    assert tasks["actions"].stats["rows"] == Action.objects.published().filter(**({} if params else {"is_demo": False})).count()
    assert tasks["palmares"].stats["rows"] == (6 if params else 5)


@pytest.mark.parametrize("params", [{}, {"demo": "1"}])
def test_workbook_sheets_validate_with_the_csv_schemas(data, client, tmp_path, params):
    (tmp_path / "arobase.xlsx").write_bytes(download(client, "xlsx", **params)[1])
    (tmp_path / "classeur.json").write_text(json.dumps(data_package.workbook_package("arobase.xlsx")), encoding="utf-8")
    tasks = frictionless_report(tmp_path / "classeur.json")
    published = Action.objects.published().filter(**({} if params else {"is_demo": False})).count()
    assert tasks["classeur-actions"].stats["rows"] == published
    assert tasks["classeur-actions-services"].stats["rows"] == 2 * published
    assert tasks["classeur-palmares"].stats["rows"] == (6 if params else 5)
    assert tasks["classeur-acteurs"].stats["rows"] == (2 if params else 1)
    assert tasks["classeur-services"].stats["rows"] == len(data.services[0].__class__.objects.filter(edition_id=2027))


def test_etag_answers_304_until_the_data_changes(data, client):
    url = reverse("opendata:actions_csv")
    first = client.get(url)
    etag, last_modified = first["ETag"], first["Last-Modified"]
    not_modified = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert not_modified.status_code == 304 and not_modified["ETag"] == etag and not not_modified.content
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 304
    assert client.get(url, {"demo": "1"})["ETag"] != etag
    assert client.get(url, {"demo": "1"}, HTTP_IF_NONE_MATCH=etag).status_code == 200
    for name in ("palmares_csv", "actions_geojson", "referentiel_json", "datapackage", "xlsx"):
        response = client.get(reverse(f"opendata:{name}"))
        assert client.get(reverse(f"opendata:{name}"), HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304, name
    make_action(data, "Nouvelle action publiée")
    changed = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag
    assert "Nouvelle action publiée" in b"".join(changed.streaming_content).decode()


def test_index_lists_every_file_without_private_data(data, client):
    response = client.get(reverse("opendata:index"))
    assert response.status_code == 200
    page = response.content.decode()
    for name, (filename, _) in FILES.items():
        assert f'href="{reverse(f"opendata:{name}")}"' in page and filename in page
    assert "https://www.etalab.gouv.fr/licence-ouverte-open-licence/" in page and "Licence Ouverte 2.0" in page
    assert "?demo=1" in page and 'href="/api/v1/docs"' in page
    assert "<caption>" in page and 'scope="col"' in page and 'scope="row"' in page
    assert "6 lignes" in page and "5 lignes" in page  # actions and palmarès, demo rows left out
    for secret in SECRETS:
        assert secret not in page
    assert client.get("/en/opendata/").status_code == 200


def test_chunks_cover_every_row_once(data, client, monkeypatch):
    for index in range(8):
        make_action(data, f"Action en série {index}")
    whole = {name: download(client, name, demo="1")[1] for name in ("actions_csv", "palmares_csv", "actions_geojson")}
    monkeypatch.setattr(reading, "CHUNK_SIZE", 3)
    monkeypatch.setattr(workbook_tables, "LINK_CHUNK_SIZE", 3)
    for name, content in whole.items():
        assert download(client, name, demo="1")[1] == content, name
    sheets = xlsx_sheets(download(client, "xlsx", demo="1")[1])
    ids = [row[0] for row in sheets["Actions"].iter_rows(min_row=2, values_only=True)]
    assert ids == sorted(Action.objects.published().values_list("pk", flat=True))
    links = [row for row in sheets["Actions_Services"].iter_rows(min_row=2, values_only=True)]
    assert len(links) == len(set(links)) == 2 * len(ids)


def count_queries(client, name):
    """Queries to write a file (the workbook straight to memory: the view keeps it on disk)."""
    with CaptureQueriesContext(connection) as queries:
        if name == "xlsx":
            workbook.write_xlsx(io.BytesIO())
        else:
            download(client, name)
    return len(queries)


@pytest.mark.parametrize("name", ["actions_csv", "actions_geojson", "palmares_csv", "xlsx"])
def test_queries_do_not_grow_with_the_number_of_rows(world, client, name):
    actor = Actor.objects.create(slug="asso", name="Asso", territory=world.madeleine)
    edition = Edition.objects.create(year=2020)

    def add(count):
        from arobase.territories.models import Territory

        towns = Territory.objects.filter(kind="commune").exclude(labels__edition=edition).order_by("code")[:count]
        for town in towns:
            make_action(world, f"Action de {town.name}", territory=town).actors.set([actor])
            Label.objects.create(territory=town, edition=edition, arobases=3)

    add(10)
    count_queries(client, name)  # warm-up: first-request caches
    small = count_queries(client, name)
    add(40)
    assert count_queries(client, name) == small


def test_workbook_written_once_per_data_version(data, client, settings, monkeypatch, tmp_path):
    settings.VAR_DIR = tmp_path  # its own folder: another test process may be writing a workbook in the shared one
    folder = settings.VAR_DIR / "opendata"
    first = download(client, "xlsx")[1]
    with CaptureQueriesContext(connection) as queries:
        response, again = download(client, "xlsx")
    assert again == first and len(queries) == 1  # the data version, then the file kept on disk
    assert int(response["Content-Length"]) == len(first)
    assert not list(folder.glob(".en-cours-*"))
    make_action(data, "Une action de plus")
    assert "Une action de plus" in xlsx_text(download(client, "xlsx")[1])
    monkeypatch.setattr(workbook_store, "XLSX_KEPT", 2)
    for index in range(3):
        make_action(data, f"Encore une action {index}")
        download(client, "xlsx")
    assert len(list(folder.glob("arobase-*.xlsx"))) == 2


def test_demo_data_at_scale(demo, client):
    """With `arobase demo`: nothing by default but the real data; everything with ?demo=1."""
    real_actions = Action.objects.published().filter(is_demo=False).count()
    assert len(csv_rows(download(client, "actions_csv")[1])) == real_actions
    rows = csv_rows(download(client, "actions_csv", demo="1")[1])
    assert len(rows) == Action.objects.published().count() > 150
    palmares = csv_rows(download(client, "palmares_csv", demo="1")[1])
    assert len(palmares) == Label.objects.filter(edition__phase="publie").count()
    assert len(csv_rows(download(client, "palmares_csv")[1])) == Label.objects.real().filter(edition__phase="publie").count()
    text = b"".join(download(client, name, demo="1")[1] for name in ("actions_csv", "actions_geojson")).decode()
    private = set(Person.objects.exclude(email="").values_list("email", flat=True)[:200])
    private |= set(Actor.objects.exclude(email="").values_list("email", flat=True)[:200])
    private |= set(Actor.objects.exclude(phone="").values_list("phone", flat=True)[:200])
    assert not [value for value in private if value in text]


def test_head_of_a_streamed_file_sends_headers_without_building_it(data, client, monkeypatch):
    built = []
    original = downloads.actions_csv

    def spy(*args, **kwargs):
        for chunk in original(*args, **kwargs):
            built.append(chunk)
            yield chunk

    monkeypatch.setattr(downloads, "actions_csv", spy)
    response = client.head("/opendata/actions.csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv") and response["ETag"]
    assert b"".join(response.streaming_content) == b"" and built == []


def test_build_opendata_writes_the_workbook_before_the_first_visitor(data, client, settings, tmp_path):
    """`arobase build_opendata --url`: the first download then only reads the stored file,
    for public and for demo data; a second run finds it written and writes nothing."""
    settings.VAR_DIR = tmp_path
    folder = tmp_path / "opendata"
    out = io.StringIO()
    call_command("build_opendata", "--url", "http://testserver", stdout=out)
    assert "données publiques" in out.getvalue() and "démonstration" in out.getvalue()  # the fixture has demo rows
    written = {path.name: path.stat().st_mtime_ns for path in folder.glob("arobase-*.xlsx")}
    assert len(written) == 2
    for params in ({}, {"demo": "1"}):
        with CaptureQueriesContext(connection) as queries:
            response, content = download(client, "xlsx", **params)
        assert len(queries) == 1, params  # the data version: the workbook was there already
        assert "Conseil municipal en direct" in xlsx_text(content)
        assert ("Action démo visible" in xlsx_text(content)) == bool(params)
    call_command("build_opendata", "--url", "http://testserver/", stdout=io.StringIO())
    assert {path.name: path.stat().st_mtime_ns for path in folder.glob("arobase-*.xlsx")} == written


@pytest.mark.parametrize("url", ["testserver", "ftp://testserver", "https://", "https://host/chemin", "https://host/?a=1", "http://h\x00st", "https://user@host", "https://host:99999999"])
def test_build_opendata_refuses_a_bad_site_url(db, url, settings, tmp_path):
    from django.core.management.base import CommandError

    settings.VAR_DIR = tmp_path
    with pytest.raises(CommandError, match="Adresse du site invalide"):
        call_command("build_opendata", "--url", url, stdout=io.StringIO())
    assert not (tmp_path / "opendata").exists() or not list((tmp_path / "opendata").glob("arobase-*.xlsx"))
