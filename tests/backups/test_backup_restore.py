"""`arobase backup` and `arobase restore` on the test run's database, SQLite or
PostgreSQL: a round trip gives back identical rows and uploaded files, and every
refusal (damaged archive, member escaping the folder, other database vendor, newer
migrations, no confirmation) leaves the database and the files as they were.

A restore replaces the whole database, which a test transaction cannot roll back: the
round trips run on committed data (as tests/dossiers/test_membership.py does) and
put the test database back as it was with a backup taken first."""

import hashlib
import io
import json
import os
import subprocess
import sys
import tarfile

import pytest
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import override_settings

from arobase.backups import contents, database, wording

# Helpers ---------------------------------------------------------------------------


def table_rows():
    """Every row of every table, in a stable order: equal means identical data."""
    rows = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            rows[table] = sorted(map(repr, cursor.fetchall()))
    return rows


def media_files(root):
    return {path.relative_to(root).as_posix(): path.read_bytes() for path in sorted(root.rglob("*")) if path.is_file()}


def png(colour):
    from PIL import Image

    stream = io.BytesIO()
    Image.new("RGB", (4, 4), colour).save(stream, "PNG")
    return stream.getvalue()


def members(path):
    """(TarInfo, bytes) of each member, in order."""
    with tarfile.open(path, "r:gz") as tar:
        return [(m, tar.extractfile(m).read() if m.isfile() else b"") for m in tar.getmembers()]


def manifest_of(path):
    return json.loads(dict((m.name, data) for m, data in members(path))[contents.MANIFEST])


def rewrite(source, target, edit_manifest=None, replace=None, rename=None, add=()):
    """A copy of the archive: the manifest edited, members' bytes replaced by name
    (`replace`) or renamed (`rename`), (TarInfo, bytes) members added (`add`)."""
    entries = members(source)
    manifest = json.loads(entries.pop()[1])
    if edit_manifest:
        edit_manifest(manifest)
    with tarfile.open(target, "w:gz") as tar:
        for info, data in entries + list(add):
            data = (replace or {}).get(info.name, data)
            info.name = (rename or {}).get(info.name, info.name)
            info.size = len(data) if info.isreg() else 0
            tar.addfile(info, io.BytesIO(data) if info.isreg() else None)
        text = json.dumps(manifest).encode()
        info = tarfile.TarInfo(contents.MANIFEST)
        info.size = len(text)
        tar.addfile(info, io.BytesIO(text))
    return target


def listed(manifest, name, data):
    manifest["files"][name] = {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}


def refused(path, media, yes=True):
    """Restore `path`, expect a refusal and nothing changed; the refusal's text."""
    before = database.current_rows(), media_files(media)
    with pytest.raises(CommandError) as error:
        call_command("restore", str(path), yes=yes, stdout=io.StringIO())
    assert (database.current_rows(), media_files(media)) == before
    assert sorted(p.name for p in media.parent.iterdir()) == ["media"]  # no staging or old folder left
    return str(error.value)


# Fixtures --------------------------------------------------------------------------


@pytest.fixture
def media(settings, tmp_path):
    """MEDIA_ROOT in this test's folder, with one file already uploaded."""
    settings.MEDIA_ROOT = tmp_path / "var" / "media"
    (settings.MEDIA_ROOT / "actions" / "0").mkdir(parents=True)
    (settings.MEDIA_ROOT / "actions" / "0" / "avant.png").write_bytes(png("blue"))
    return settings.MEDIA_ROOT


@pytest.fixture
def committed(django_db_setup, django_db_blocker, media, tmp_path):
    """Committed writes allowed; the test database restored afterwards from a backup
    taken first (the national reference and whatever it held)."""
    with django_db_blocker.unblock():
        before = tmp_path / "avant-le-test.tar.gz"
        call_command("backup", output=str(before), verbosity=0)
        yield
        call_command("restore", str(before), yes=True, verbosity=0)


@pytest.fixture(scope="module")
def saved(django_db_setup, django_db_blocker, tmp_path_factory):
    """A backup of the test database as it stands, with two uploaded files."""
    folder = tmp_path_factory.mktemp("sauvegarde")
    (folder / "media" / "actions" / "1").mkdir(parents=True)
    (folder / "media" / "actions" / "1" / "photo.png").write_bytes(png("red"))
    (folder / "media" / "actions" / "1" / "vignette.png").write_bytes(png("green"))
    path = folder / "arobase.tar.gz"
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=folder / "media"):
        call_command("backup", output=str(path), verbosity=0)
    return path


@pytest.fixture
def cli_env(django_db_setup, tmp_path):
    """`arobase` in a subprocess, on the test database, with its data folder here."""
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        url = f"sqlite:///{settings['NAME']}"
    else:
        host, port = settings["HOST"] or "127.0.0.1", settings["PORT"] or 5432
        url = f"postgres://{settings['USER']}@{host}:{port}/{settings['NAME']}"
    return {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "arobase.settings",
            "AROBASE_VAR_DIR": str(tmp_path / "var")}


# Round trips -----------------------------------------------------------------------


def test_restore_gives_back_identical_rows_and_files(committed, media, tmp_path):
    from django.contrib.auth.models import User

    from arobase.actions.models import Action, Image
    from arobase.territories.models import Territory

    call_command("demo", actions=50, verbosity=0, stdout=io.StringIO())
    action = Action.objects.order_by("pk").first()
    Image.objects.create(
        action=action, alt="Le tiers-lieu", width=4, height=4,
        file=ContentFile(png("red"), name="tiers-lieu.png"), thumbnail=ContentFile(png("green"), name="vignette.png"),
    )
    rows, files = table_rows(), media_files(media)
    assert f"actions/{action.pk}/tiers-lieu.png" in files

    output = io.StringIO()
    call_command("backup", output=str(tmp_path / "sauvegarde.tar.gz"), stdout=output)
    path = tmp_path / "sauvegarde.tar.gz"
    assert f"Sauvegarde écrite : {path}" in output.getvalue()
    actions = Action.objects.count()
    assert f"fiches actions : {wording.number(actions)}" in output.getvalue()
    assert os.stat(path).st_mode & 0o777 == 0o600  # personal data, password hashes

    manifest = manifest_of(path)
    assert manifest["database"]["vendor"] == connection.vendor
    assert manifest["rows"] == {table: len(rows[table]) for table in manifest["rows"]}
    assert manifest["rows"]["actions_action"] == actions
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM django_migrations WHERE app = 'actions'")
        assert manifest["migrations"]["actions"] == max(name for (name,) in cursor.fetchall())
    assert {name for name in manifest["files"] if name.startswith("media/")} == {f"media/{name}" for name in files}
    for member, data in members(path):
        if member.name != contents.MANIFEST:
            assert manifest["files"][member.name]["sha256"] == hashlib.sha256(data).hexdigest()

    # Then the site lives on: rows deleted, changed and added, a table from a newer
    # migration, files deleted, changed and added.
    Action.objects.filter(pk__in=Action.objects.order_by("pk").values("pk")[:10]).delete()
    Territory.objects.filter(kind="commune", code__startswith="59").update(name="Changée")
    User.objects.create_user("apres@example.fr")
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE backups_future (id integer PRIMARY KEY, user_id integer REFERENCES auth_user (id))")
    (media / "actions" / str(action.pk) / "tiers-lieu.png").unlink()
    (media / "actions" / "0" / "avant.png").write_bytes(png("black"))
    (media / "nouveau.txt").write_bytes(b"ajout")
    assert table_rows() != rows and media_files(media) != files

    output = io.StringIO()
    call_command("restore", str(path), yes=True, stdout=output)
    assert "Restauration terminée" in output.getvalue()
    assert table_rows() == rows
    assert media_files(media) == files
    assert [p.name for p in media.parent.iterdir()] == ["media"]  # no staging or old folder left
    # The sequences came back too: new rows get fresh keys.
    highest = max(User.objects.values_list("pk", flat=True))
    assert User.objects.create_user("encore@example.fr").pk > highest


def test_command_line(cli_env, django_db_blocker, settings, tmp_path):
    """The documented commands: default archive name, exit codes, confirmation."""
    def run(*args):
        return subprocess.run(
            [sys.executable, "-m", "arobase", *args],
            env=cli_env, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=120,
        )

    settings.VAR_DIR = tmp_path / "var"  # as AROBASE_VAR_DIR in cli_env
    media = settings.MEDIA_ROOT = tmp_path / "var" / "media"
    media.mkdir(parents=True)
    (media / "logo.png").write_bytes(png("red"))
    output = io.StringIO()
    with django_db_blocker.unblock():
        call_command("backup", stdout=output)
    [path] = (tmp_path / "var" / "backups").glob("arobase-*.tar.gz")
    assert len(path.name) == len("arobase-AAAAMMJJ-HHMMSS.tar.gz")
    assert f"Sauvegarde écrite : {path}" in output.getvalue()
    (media / "logo.png").unlink()

    refused = run("restore", str(path))  # no terminal, no --yes
    assert refused.returncode == 1
    assert "Relancez avec --yes" in refused.stderr and "Traceback" not in refused.stderr
    assert not (media / "logo.png").exists()

    restored = run("restore", str(path), "--yes")
    assert restored.returncode == 0, restored.stderr
    assert "Restauration terminée" in restored.stdout
    assert (media / "logo.png").read_bytes() == png("red")


# Refusals: nothing changed ---------------------------------------------------------


def test_a_damaged_file_is_refused(db, saved, media, tmp_path):
    damaged = rewrite(saved, tmp_path / "abimee.tar.gz", replace={"media/actions/1/photo.png": png("black")})
    assert "ne correspond pas à sa somme de contrôle" in refused(damaged, media)


def test_a_damaged_database_dump_is_refused(db, saved, media, tmp_path):
    dump_name = database.DUMP_NAMES[connection.vendor]
    data = dict((m.name, d) for m, d in members(saved))[dump_name]
    damaged = rewrite(saved, tmp_path / "abimee.tar.gz", replace={dump_name: data[:-1] + bytes([data[-1] ^ 1])})
    assert f"« {dump_name} » ne correspond pas à sa somme de contrôle" in refused(damaged, media)


@pytest.mark.parametrize("name, kind, target", [
    ("../evil.txt", tarfile.REGTYPE, ""),
    ("media/../../evil.txt", tarfile.REGTYPE, ""),
    ("{tmp}/evil-absolu.txt", tarfile.REGTYPE, ""),
    ("media/evil-lien", tarfile.SYMTYPE, "../../evil.txt"),
    ("media/evil-dur", tarfile.LNKTYPE, contents.MANIFEST),
])
def test_a_member_out_of_the_folder_or_a_link_is_refused(db, saved, media, tmp_path, name, kind, target):
    info = tarfile.TarInfo(name.format(tmp=tmp_path))
    info.type, info.linkname = kind, target
    data = b"pirate"
    hostile = rewrite(saved, tmp_path / "hostile.tar.gz", add=[(info, data)],
                      edit_manifest=lambda manifest: listed(manifest, info.name, data))
    assert "Archive refusée" in refused(hostile, media)
    assert not list(tmp_path.rglob("evil*")) and not (tmp_path.parent / "evil.txt").exists()


def test_another_database_vendor_is_refused(db, saved, media, tmp_path):
    other = "postgresql" if connection.vendor == "sqlite" else "sqlite"
    ours, theirs = database.DUMP_NAMES[connection.vendor], database.DUMP_NAMES[other]

    def as_other(manifest):
        manifest["database"] = {"vendor": other, "file": theirs}
        manifest["files"][theirs] = manifest["files"].pop(ours)

    foreign = rewrite(saved, tmp_path / "autre.tar.gz", edit_manifest=as_other, rename={ours: theirs})
    assert f"Sauvegarde d'une base {database.VENDORS[other]}" in refused(foreign, media)


def test_newer_migrations_are_refused(db, saved, media, tmp_path):
    def from_the_future(manifest):
        manifest["migrations"]["labels"] = "9999_futur"

    newer = rewrite(saved, tmp_path / "future.tar.gz", edit_manifest=from_the_future)
    message = refused(newer, media)
    assert "version plus récente d'Arobase" in message and "labels.9999_futur" in message


def test_without_yes_a_restore_needs_a_terminal_and_a_oui(db, saved, media, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO("oui\n"))  # not a terminal: refused even so
    assert "Relancez avec --yes" in refused(saved, media, yes=False)

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    monkeypatch.setattr(sys, "stdin", Terminal("non\n"))
    assert "Restauration annulée" in refused(saved, media, yes=False)


def test_what_is_not_a_backup_is_refused(db, saved, media, tmp_path):
    assert "Archive introuvable" in refused(tmp_path / "absente.tar.gz", media)

    garbage = tmp_path / "rien.tar.gz"
    garbage.write_bytes(b"ceci n'est pas une archive")
    assert "Archive illisible" in refused(garbage, media)

    no_manifest = tmp_path / "sans-manifeste.tar.gz"
    with tarfile.open(no_manifest, "w:gz") as tar:
        info = tarfile.TarInfo("media/a.txt")
        tar.addfile(info, io.BytesIO(b""))
    assert "pas de manifest.json" in refused(no_manifest, media)

    unlisted = rewrite(saved, tmp_path / "en-trop.tar.gz", add=[(tarfile.TarInfo("media/en-trop.txt"), b"")])
    assert "fichiers absents du manifeste" in refused(unlisted, media)


def test_migrations_of_an_older_or_newer_backup():
    """Older: restored, then `migrate` is asked for; newer: unknown migrations refuse it."""
    from django.db.migrations.loader import MigrationLoader

    code = database.latest_migrations(MigrationLoader(None, ignore_no_migrations=True).graph.leaf_nodes())
    assert database.apps_behind(code) == [] and database.unknown_migrations(code) == []
    older = {**code, "labels": "0001_initial"}
    del older["actions"]
    assert database.apps_behind(older) == ["actions", "labels"] and database.unknown_migrations(older) == []
    assert database.unknown_migrations({**code, "labels": "9999_futur"}) == ["labels.9999_futur"]
