import io
import subprocess
import sys
import tracemalloc

import pytest
from django.core.management import CommandError, call_command

from arobase.labels.models import Edition, Label
from arobase.territories.models import Territory

pytestmark = pytest.mark.django_db

HEADER = "annee,code,arobases,mentions,prix\n"
CONTRACT_EXAMPLE = HEADER + (
    "2024,59368,5,,\n"
    "2022,59368,5,,territoire-excellence-numerique\n"
    "2018,78356,4,numerique-educatif,\n"
    "2016,92040,,,hors-concours\n"
)


def write(tmp_path, text, name="palmares.csv", encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding) if isinstance(text, str) else text)
    return str(path)


def import_file(tmp_path, text, *args):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_palmares", write(tmp_path, text), *args, stdout=out, stderr=err)
    return out.getvalue()


def refused(tmp_path, text, *args):
    err = io.StringIO()
    with pytest.raises(CommandError, match="rien n'a été importé"):
        call_command("import_palmares", write(tmp_path, text), *args, stdout=io.StringIO(), stderr=err)
    return err.getvalue().splitlines()


def export(*args):
    out = io.StringIO()
    call_command("export_palmares", *args, stdout=out)
    return out.getvalue()


def test_contract_example_imports(tmp_path):
    out = import_file(tmp_path, CONTRACT_EXAMPLE)
    assert "4 label(s) ont été créé(s), 0 remplacé(s), 0 déjà à jour" in out
    ten = Label.objects.get(territory__code="59368", edition=2022)
    assert ten.arobases == 5 and ten.prize_slugs == {"territoire-excellence-numerique"}
    magny = Label.objects.get(territory__code="78356")
    assert (magny.year, magny.arobases, magny.mention_slugs) == (2018, 4, {"numerique-educatif"})
    hors = Label.objects.get(territory__code="92040")
    assert hors.hors_concours and hors.arobases is None and hors.prize_slugs == set()
    assert sorted(Edition.objects.values_list("year", flat=True)) == [2016, 2018, 2022, 2024]
    assert Edition.objects.get(year=2024).number == 25


def test_reimport_changes_nothing(tmp_path):
    import_file(tmp_path, CONTRACT_EXAMPLE)
    out = import_file(tmp_path, CONTRACT_EXAMPLE)
    assert "0 label(s) ont été créé(s), 0 remplacé(s), 4 déjà à jour" in out
    assert Label.objects.count() == 4


def test_semicolons_bom_crlf_and_extra_columns(tmp_path):
    text = "\ufeffannee;code;arobases;mentions;prix;nom\r\n2023;34145;4;democratie-locale|mediation-numerique;;Lunel\r\n"
    import_file(tmp_path, text)
    label = Label.objects.get(territory__code="34145")
    assert label.arobases == 4 and label.mention_slugs == {"democratie-locale", "mediation-numerique"}


def test_columns_in_any_order_and_blank_lines(tmp_path):
    import_file(tmp_path, "code,prix,annee,mentions,arobases\n\n08003,,2024,,3\n,,,,\n")
    assert Label.objects.get(territory__code="08003").arobases == 3


@pytest.mark.parametrize(
    "line, reason",
    [
        ("2024,99999,3,,", "code « 99999 » inconnu"),
        ("2024,8003,3,,", "zéro initial perdu ? essayez « 08003 »"),
        ("2024,,3,,", "code vide"),
        ("2024,59,3,,", "« 59 » est un département"),
        ("2024,59368,6,,", "arobases « 6 » invalides"),
        ("2024,59368,0,,", "arobases « 0 » invalides"),
        ("2024,59368,trois,,", "arobases « trois » invalides"),
        ("2024,59368,,,", "arobases vide"),
        ("2024,59368,4,,hors-concours", "« hors-concours » exclut les arobases (4)"),
        ("2024,59368,4,numerique-rural,", "mention inconnue « numerique-rural »"),
        ("2024,59368,4,,grand-prix", "prix inconnu « grand-prix »"),
        ("1999,59368,4,,", "année « 1999 » invalide"),
        ("2099,59368,4,,", "année « 2099 » invalide"),
        ("vingt,59368,4,,", "année « vingt » invalide"),
    ],
)
def test_each_bad_line_is_refused_with_its_reason(tmp_path, line, reason):
    errors = refused(tmp_path, HEADER + "2023,34145,4,,\n" + line + "\n")
    assert len(errors) == 1
    assert errors[0].startswith("ligne 3: ") and reason in errors[0]
    assert Label.objects.count() == 0  # the good line 2 was not imported either


def test_every_bad_line_is_listed_and_nothing_is_imported(tmp_path):
    text = HEADER + "2024,59368,5,,\n2024,99999,5,,\n2023,34145,4,,\n2024,59368,4,,\n2030,34145,9,,\n"
    errors = refused(tmp_path, text)
    assert [e.split(":")[0] for e in errors] == ["ligne 3", "ligne 5", "ligne 6"]
    assert "doublon" in errors[1] and "ligne 2" in errors[1]
    assert "année « 2030 »" in errors[2] and "arobases « 9 »" in errors[2]
    assert Label.objects.count() == 0


def test_a_different_stored_label_needs_replace(tmp_path):
    import_file(tmp_path, HEADER + "2023,34145,3,,\n")
    errors = refused(tmp_path, HEADER + "2023,34145,4,,\n")
    assert errors == ["ligne 2: le label 2023 de Lunel (34145) est déjà enregistré autrement (3 @) ; utilisez --replace pour le remplacer"]
    out = import_file(tmp_path, HEADER + "2023,34145,4,gouvernement-ouvert,\n", "--replace")
    assert "1 remplacé(s)" in out
    label = Label.objects.get(territory__code="34145")
    assert label.arobases == 4 and label.mention_slugs == {"gouvernement-ouvert"}
    assert Label.objects.count() == 1


def test_dry_run_writes_nothing(tmp_path):
    out = import_file(tmp_path, CONTRACT_EXAMPLE, "--dry-run")
    assert "4 label(s) seraient créé(s)" in out
    assert Label.objects.count() == 0


def test_header_and_encoding_errors(tmp_path):
    assert refused(tmp_path, "year,code,level\n2024,59368,5\n") == [
        "ligne 1: colonnes manquantes : annee, arobases, mentions, prix (en-tête attendu : annee,code,arobases,mentions,prix)"
    ]
    errors = refused(tmp_path, (HEADER + "2024,59368,5,,\n2024,08003,3,,é\n").encode("latin-1"))
    assert errors == ["ligne 3: le fichier n'est pas encodé en UTF-8 (enregistrez-le en « CSV UTF-8 »)"]
    assert refused(tmp_path, "") [0].startswith("ligne 1: colonnes manquantes")


def test_missing_file():
    with pytest.raises(CommandError, match="Fichier introuvable"):
        call_command("import_palmares", "/nonexistent/palmares.csv")


def stored_labels():
    return sorted(
        (label.territory.code, label.year, label.arobases, label.hors_concours, tuple(sorted(label.mention_slugs)), tuple(sorted(label.prize_slugs)))
        for label in Label.objects.with_details()
    )


def test_export_round_trip(tmp_path):
    import_file(tmp_path, CONTRACT_EXAMPLE + "2023,34145,4,mediation-numerique|democratie-locale,\n2022,200093201,2,,\n")
    exported = export()
    assert exported.splitlines()[0] == "annee,code,arobases,mentions,prix"
    assert "2016,92040,,,hors-concours" in exported.splitlines()
    assert "2023,34145,4,democratie-locale|mediation-numerique," in exported.splitlines()
    before = stored_labels()
    Label.objects.all().delete()
    out = import_file(tmp_path, exported)
    assert "6 label(s) ont été créé(s)" in out
    after = stored_labels()
    assert after == before
    assert export() == exported


def test_export_of_one_year_and_of_an_empty_year(tmp_path):
    import_file(tmp_path, CONTRACT_EXAMPLE)
    assert export("--year", "2024") == HEADER + "2024,59368,5,,\n"
    assert export("--year", "2019") == HEADER


def test_export_leaves_demo_labels_out_unless_asked(tmp_path):
    import_file(tmp_path, CONTRACT_EXAMPLE)
    Label.objects.filter(territory__code="92040").update(is_demo=True)
    assert "92040" not in export()
    assert "92040" in export("--include-demo")


def test_real_import_replaces_demo_labels_without_replace(tmp_path):
    import_file(tmp_path, HEADER + "2023,34145,2,,\n")
    Label.objects.update(is_demo=True)
    import_file(tmp_path, HEADER + "2023,34145,4,,\n")
    label = Label.objects.get()
    assert (label.arobases, label.is_demo) == (4, False)


def test_cli_errors_without_traceback(tmp_path, test_database_env):
    path = write(tmp_path, HEADER + "2024,99999,3,,\n")
    result = subprocess.run(
        [sys.executable, "-m", "arobase", "import_palmares", path],
        capture_output=True, text=True, timeout=60, env=test_database_env,
    )
    assert result.returncode != 0
    assert "ligne 2: code « 99999 » inconnu" in result.stderr
    assert "Traceback" not in result.stderr


# -- Odd files (issue 6): every problem at its own line, in line order, bounded --------

@pytest.mark.parametrize("line, reason", [
    ("²⁰²⁴,59368,5,,", "année « ²⁰²⁴ » invalide"),
    ("٢٠٢٤,59368,5,,", "année « ٢٠٢٤ » invalide"),  # not silently read as 2024
    ("2024,59368,٥,,", "arobases « ٥ » invalides"),
    ("2024,59368,⑤,,", "arobases « ⑤ » invalides"),
    ("99999999999999999999999,59368,5,,", "invalide"),
    ("2024,59368,99999999999999999999999,,", "invalides"),
    ("2024,593\x0068,5,,", "caractère nul"),
    ("2024,59368,5,democratie\x00-locale,", "caractère nul"),
])
def test_odd_values_are_refused_at_their_line(tmp_path, line, reason):
    errors = refused(tmp_path, HEADER + "2023,34145,4,,\n" + line + "\n")
    assert len(errors) == 1 and errors[0].startswith("ligne 3: ") and reason in errors[0]
    assert Label.objects.count() == 0


def test_a_field_over_the_csv_limit_is_reported_at_its_line(tmp_path):
    text = HEADER + "2023,34145,4,,\n2024,59368,5," + "x" * 200_000 + ",\n2024,99999,5,,\n"
    errors = refused(tmp_path, text)
    assert errors[0].startswith("ligne 3: champ trop long") and errors[1].startswith("ligne 4: code « 99999 » inconnu")


def test_lines_before_a_decoding_error_are_still_checked(tmp_path):
    """The lines read before the undecodable one were dropped with it, their errors unsaid."""
    errors = refused(tmp_path, (HEADER + "2024,99999,5,,\n2024,59368,5,,\n2024,08003,3,,é\n2024,99998,5,,\n").encode("latin-1"))
    assert errors == ["ligne 2: code « 99999 » inconnu", "ligne 4: le fichier n'est pas encodé en UTF-8 (enregistrez-le en « CSV UTF-8 »)"]
    assert refused(tmp_path, "année,code\n".encode("latin-1")) == ["ligne 1: le fichier n'est pas encodé en UTF-8 (enregistrez-le en « CSV UTF-8 »)"]


def test_an_overlong_line_is_skipped_without_being_held(tmp_path):
    errors = refused(tmp_path, HEADER + "2024," + "9" * 2_000_000 + "\n2024,59368,5,,\n")
    assert errors == ["ligne 2: ligne trop longue (plus de 1024 Kio) : est-ce bien un palmarès CSV ?"]


def test_errors_are_listed_in_line_order_whatever_found_them(tmp_path):
    import_file(tmp_path, HEADER + "2023,34145,3,,\n")
    errors = refused(tmp_path, HEADER + "2023,34145,4,,\n2024,99999,5,,\n")  # line 2 needs --replace
    assert [error.split(":")[0] for error in errors] == ["ligne 2", "ligne 3"]
    assert "--replace" in errors[0]


def test_only_the_first_hundred_errors_are_printed_with_the_total(tmp_path):
    text = HEADER + "2024,59368,5,,\n" * 1001
    with pytest.raises(CommandError, match="Fichier refusé : 1000 ligne\\(s\\) en erreur"):
        err = io.StringIO()
        call_command("import_palmares", write(tmp_path, text), stdout=io.StringIO(), stderr=err)
    lines = err.getvalue().splitlines()
    assert len(lines) == 101 and lines[0].startswith("ligne 3: doublon") and lines[99].startswith("ligne 102: ")
    assert lines[100] == "… et 900 autre(s) ligne(s) en erreur."


def import_with_peak_memory(path, env):
    """(peak resident memory in KiB, last line of stderr) of `arobase import_palmares`."""
    script = (
        "import resource, subprocess, sys;"
        "result = subprocess.run([sys.executable, '-m', 'arobase', 'import_palmares', sys.argv[1]], capture_output=True, text=True);"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss);"
        "print(result.stderr.strip().splitlines()[-1])"
    )
    result = subprocess.run([sys.executable, "-c", script, path], capture_output=True, text=True, env=env, timeout=300)
    peak, last_line = result.stdout.splitlines()
    return int(peak), last_line


@pytest.mark.sqlite_pass_only
def test_memory_does_not_grow_with_the_file(tmp_path, test_database_env):
    """A file of duplicates ten times larger uses about the same memory (it used to hold
    every line and every error: 2.1 GB for 50 MB)."""
    small = write(tmp_path, HEADER + "2024,59368,5,,\n" * 20_001, name="small.csv")
    large = write(tmp_path, HEADER + "2024,59368,5,,\n" * 200_000 + "2024,99999,5,,\n", name="large.csv")
    small_peak, small_outcome = import_with_peak_memory(small, test_database_env)
    large_peak, large_outcome = import_with_peak_memory(large, test_database_env)
    assert small_outcome == "CommandError: Fichier refusé : 20000 ligne(s) en erreur, rien n'a été importé."
    assert large_outcome == "CommandError: Fichier refusé : 200000 ligne(s) en erreur, rien n'a été importé."
    assert large_peak < small_peak + 15_000


def test_an_unclosed_quote_over_the_csv_limit_is_reported_where_its_record_starts(tmp_path):
    """The csv reader fails where the field crosses its limit, lines after the record
    began, then reads on from the next line: the user needs the line of the opening
    quote and the lines that were lost; what follows is checked line by line."""
    text = HEADER + "2023,34145,4,,\n2024,59368,5,\"" + ("y" * 1000 + "\n") * 140 + "2024,99999,5,,\n"
    errors = refused(tmp_path, text)
    assert errors[0] == "ligne 3: champ trop long (plus de 131072 caractères, lignes 3 à 133) : un guillemet n'est-il pas resté ouvert ?"
    assert [error.split(":")[0] for error in errors[1:]] == [f"ligne {n}" for n in range(134, 144)]
    assert errors[-1].startswith("ligne 143: code « 99999 » inconnu")


def labelled_codes(count=None):
    codes = Territory.objects.filter(kind__in=["commune", "epci"]).order_by("code").values_list("code", flat=True)
    return list(codes[:count] if count else codes)


def valid_lines(codes, years):
    return "".join(f"{year},{code},3,numerique-educatif,\n" for year in years for code in codes)


@pytest.mark.sqlite_pass_only
def test_memory_grows_compactly_with_the_valid_labels_of_a_file(tmp_path, test_database_env):
    """What a refused file's valid lines cost is a few bytes a label (it was ~370: 320 MiB
    for the 50 MB benchmark file): 290 000 labels here, against 3 000."""
    codes = labelled_codes()
    small = write(tmp_path, HEADER + valid_lines(codes[:3000], [2024]) + "2024,99999,5,,\n", name="small.csv")
    large = write(tmp_path, HEADER + valid_lines(codes, range(2010, 2018)) + "2024,99999,5,,\n", name="large.csv")
    small_peak, small_outcome = import_with_peak_memory(small, test_database_env)
    large_peak, large_outcome = import_with_peak_memory(large, test_database_env)
    assert small_outcome == large_outcome == "CommandError: Fichier refusé : 1 ligne(s) en erreur, rien n'a été importé."
    assert large_peak < small_peak + 15_000  # KiB


def python_peak_of_import(path, *args):
    """(peak of Python allocations in bytes, output) of the command, in this process so
    that what it writes is rolled back with the test."""
    out = io.StringIO()
    tracemalloc.start()
    try:
        call_command("import_palmares", path, *args, stdout=out, stderr=io.StringIO())
        return tracemalloc.get_traced_memory()[1], out.getvalue()
    finally:
        tracemalloc.stop()


@pytest.mark.sqlite_pass_only
def test_writing_and_reimporting_a_large_file_stay_compact(tmp_path):
    """An accepted 50 MB file used 1 GB and its re-import 4.8 GB (a model instance per
    label, and every stored label with its mentions): 16 000 labels cost about what 3 000 do."""
    codes = labelled_codes(16_000)
    small = write(tmp_path, HEADER + valid_lines(codes[:3000], [2000]), name="small.csv")
    large = write(tmp_path, HEADER + valid_lines(codes, [2001]), name="large.csv")
    small_peak, _ = python_peak_of_import(small)
    large_peak, out = python_peak_of_import(large)
    assert "16000 label(s) ont été créé(s)" in out
    again_peak, out = python_peak_of_import(large)
    assert "0 label(s) ont été créé(s), 0 remplacé(s), 16000 déjà à jour" in out
    assert max(large_peak, again_peak) < small_peak + 4 * 1024 * 1024
    assert Label.objects.filter(edition=2001, mentions__slug="numerique-educatif").count() == 16_000


def test_replace_on_a_large_file_rewrites_levels_and_mentions(tmp_path):
    codes = labelled_codes(1500)
    import_file(tmp_path, HEADER + valid_lines(codes, [2020]))
    Label.objects.filter(territory__code=codes[0]).update(is_demo=True)
    text = HEADER + "".join(f"2020,{code},,democratie-locale,hors-concours\n" for code in codes[:1200])
    errors = refused(tmp_path, text)  # the first hundred of 1199 refusals, then their count
    assert len(errors) == 101 and errors[-1] == "… et 1099 autre(s) ligne(s) en erreur."
    out = import_file(tmp_path, text, "--replace")
    assert "0 label(s) ont été créé(s), 1200 remplacé(s), 0 déjà à jour" in out
    rows = {(label.territory.code, label.arobases, label.hors_concours, label.is_demo, tuple(label.mention_slugs)) for label in Label.objects.with_details()}
    assert (codes[0], None, True, False, ("democratie-locale",)) in rows
    assert (codes[1300], 3, False, False, ("numerique-educatif",)) in rows and len(rows) == 1500


def test_a_label_stored_by_someone_else_during_the_import_ends_in_a_message_with_nothing_written(tmp_path, monkeypatch):
    """Another writer stores a label of the file between the command's check and its
    write: the command says so in French, and writes none of the file's labels."""
    from arobase.labels.management.commands import import_palmares

    checked = import_palmares.plan_import

    def meanwhile(*args, **kwargs):
        plan = checked(*args, **kwargs)
        Label.objects.create(territory=Territory.objects.get(code="78356", kind="commune"), edition=Edition.objects.get_or_create(year=2018)[0], arobases=2)
        return plan

    monkeypatch.setattr(import_palmares, "plan_import", meanwhile)
    with pytest.raises(CommandError, match="Un label a été enregistré par ailleurs pendant l'import : rien n'a été importé"):
        call_command("import_palmares", write(tmp_path, CONTRACT_EXAMPLE), stdout=io.StringIO(), stderr=io.StringIO())
    assert not Label.objects.filter(territory__code="59368").exists()
