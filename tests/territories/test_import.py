import csv
import gzip

import pytest
from django.core.management import CommandError, call_command

from arobase.labels.fees import current_fee
from arobase.territories.importer import DATA_FILE, read_rows
from arobase.territories.models import Territory

pytestmark = pytest.mark.django_db


def run_import(capsys, *args):
    call_command("import_territories", *args)
    return capsys.readouterr().out


def test_the_whole_national_reference_is_loaded():
    counts = {kind: Territory.objects.filter(kind=kind).count() for kind in ("commune", "epci", "departement", "region")}
    assert counts["commune"] >= 34_875  # metropolitan France and DROM, plus the COM the data has
    assert counts["epci"] == 1255
    assert counts["departement"] >= 101
    assert counts["region"] >= 18
    assert Territory.objects.filter(kind="commune", code__startswith="97", population__isnull=False).count() > 100


def test_la_madeleine_reads_as_in_the_contract():
    town = Territory.objects.select_related("epci", "departement", "region").get(code="59368")
    assert town.name == "La Madeleine"
    assert town.population == 21790
    assert town.category == "ville"
    assert str(current_fee(town).amount) == "1089.50"
    assert town.epci.code == "200093201"
    assert (town.departement.code, town.region.code) == ("59", "32")
    assert town.postal_code_list == ["59110"]
    assert town.lat == pytest.approx(50.6543, abs=1e-3) and town.lon == pytest.approx(3.0735, abs=1e-3)


def test_small_towns_and_articles_in_names():
    assert Territory.objects.get(code="08003").category == "village"  # Aiglemont
    assert Territory.objects.get(code="78440").name == "Les Mureaux"
    assert Territory.objects.get(code="2A004").name == "Ajaccio"


def test_aggregates_are_the_sum_of_their_communes():
    epci = Territory.objects.get(kind="epci", code="200093201")
    members = Territory.objects.filter(epci=epci)
    assert epci.population == sum(m.population for m in members)
    assert epci.category == "territoire"
    assert members.count() > 90
    nord = Territory.objects.get(kind="departement", code="59")
    assert nord.population == sum(Territory.objects.filter(kind="commune", departement=nord).values_list("population", flat=True))
    assert nord.category is None and current_fee(nord) is None


def test_groups_take_the_place_of_their_most_populous_commune():
    region = Territory.objects.select_related("departement", "region").get(kind="region", code="32")
    assert region.departement.code == "59"  # Lille is the largest commune of Hauts-de-France
    assert region.region == region
    assert Territory.objects.get(kind="departement", code="32").name == "Gers"


def test_reimport_changes_nothing_and_says_so(capsys):
    before = Territory.objects.count()
    out = run_import(capsys)
    assert Territory.objects.count() == before
    assert "0 créé(e)s, 0 mis(es) à jour, 34969 inchangé(e)s" in out
    assert "Import terminé" in out


def test_reimport_of_a_new_vintage_updates_in_place(tmp_path, capsys):
    rows = read_rows()
    for row in rows:
        if row["code"] == "59368" and row["kind"] == "commune":
            row["population"] = "22000"
            row["name"] = "La Madeleine-lez-Lille"
    path = tmp_path / "new.csv.gz"
    with gzip.open(path, "wt", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=rows[0].keys())
        writer.writeheader()
        writer.writerows(rows)
    epci_before = Territory.objects.get(kind="epci", code="200093201").population
    out = run_import(capsys, "--file", str(path))
    assert "1 mis(es) à jour" in out
    town = Territory.objects.get(code="59368")
    assert (town.name, town.population, str(current_fee(town).amount)) == ("La Madeleine-lez-Lille", 22000, "1100.00")
    assert Territory.objects.filter(code="59368").count() == 1
    assert Territory.objects.get(kind="epci", code="200093201").population == epci_before + 210
    assert Territory.objects.search("madeleine lez").first() == town


def test_missing_file_is_a_clear_error():
    with pytest.raises(CommandError, match="Fichier introuvable"):
        call_command("import_territories", "--file", "/nonexistent/territories.csv.gz")


def test_unreadable_file_changes_nothing(tmp_path):
    path = tmp_path / "bad.csv.gz"
    with gzip.open(path, "wt") as f:
        f.write("kind,code\ncommune,59368\n")
    with pytest.raises(CommandError, match="illisible"):
        call_command("import_territories", "--file", str(path))
    assert Territory.objects.get(code="59368").name == "La Madeleine"


def test_bundled_file_is_the_one_read():
    assert DATA_FILE.exists()
    assert len(read_rows()) == Territory.objects.count()


def test_cli_reports_a_user_error_without_traceback():
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-m", "arobase", "import_territories", "--file", "/nonexistent.csv.gz"],
        capture_output=True, text=True, timeout=60,
    )
    assert result.returncode != 0
    assert "Fichier introuvable : /nonexistent.csv.gz" in result.stderr
    assert "Traceback" not in result.stderr
