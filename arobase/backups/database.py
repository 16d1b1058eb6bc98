"""The database part of a backup, per engine: a consistent dump with the row counts and
migrations it holds, and its restore into the configured database.

- SQLite: the online backup API copies the database page by page under a read lock, a
  consistent copy even while the site writes (copying the file is not); it restores
  the same way, in one transaction on the target.
- PostgreSQL: `pg_dump --format=custom` inside an exported snapshot, so that the row
  counts of the manifest are those of the dump; restored by `pg_restore`'s script
  through `psql --single-transaction`, after dropping the tables that the backup does
  not have (a newer migration's, whose foreign keys would block the clean-up): all
  or nothing.
"""

import os
import shutil
import sqlite3
import subprocess
from contextlib import closing
from pathlib import Path

from django.db import connection, connections
from django.db.backends.postgresql.client import DatabaseClient
from django.db.migrations.loader import MigrationLoader

from . import BackupError

VENDORS = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
DUMP_NAMES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
LOCK_TIMEOUT = "30s"  # a restore waiting on a running site's lock fails instead of hanging


def vendor():
    if connection.vendor not in VENDORS:
        raise BackupError(f"Base « {connection.vendor} » non prise en charge : SQLite ou PostgreSQL seulement.")
    return connection.vendor


def describe():
    """The configured database, as a person would recognise it."""
    settings = connection.settings_dict
    if vendor() == "sqlite":
        return f"SQLite {settings['NAME']}"
    return f"PostgreSQL « {settings['NAME']} » sur {settings['HOST'] or 'localhost'}:{settings['PORT'] or 5432}"


def dump(target):
    """Write the dump to `target`; (rows per table, applied migrations) of that dump."""
    return dump_sqlite(target) if vendor() == "sqlite" else dump_postgresql(target)


def restore(dump_file, archived_tables):
    """Replace the configured database's content with the dump's, all or nothing."""
    connections.close_all()  # nothing of ours may hold a lock or an old schema
    if vendor() == "sqlite":
        restore_sqlite(dump_file)
    else:
        restore_postgresql(dump_file, archived_tables)


def current_rows():
    """Rows per table of the configured database, as counted for the manifest."""
    if vendor() == "sqlite":
        with closing(sqlite3.connect(sqlite_path())) as db:
            return sqlite_rows(db)
    with connection.cursor() as cursor:
        return postgresql_rows(cursor)


# Migrations ------------------------------------------------------------------------


def latest_migrations(applied):
    """The latest applied migration of each app (Django numbers them in order)."""
    latest = {}
    for app, name in applied:
        latest[app] = max(name, latest.get(app, name))
    return dict(sorted(latest.items()))


def unknown_migrations(archived):
    """The archive's migrations that this code does not have: a newer version wrote it."""
    disk = MigrationLoader(None, ignore_no_migrations=True).disk_migrations
    known = set(disk) | {replaced for migration in disk.values() for replaced in migration.replaces}
    return [f"{app}.{name}" for app, name in sorted(archived.items()) if (app, name) not in known]


def apps_behind(archived):
    """Apps whose code has migrations that the archive's database lacks (`migrate` after)."""
    graph = MigrationLoader(None, ignore_no_migrations=True).graph
    code = latest_migrations(graph.leaf_nodes())
    return [app for app, name in code.items() if archived.get(app, "") < name]


# SQLite ------------------------------------------------------------------------


def sqlite_path():
    if connection.is_in_memory_db():
        raise BackupError("La base SQLite est en mémoire : il n'y a rien à sauvegarder ni à restaurer.")
    return str(connection.settings_dict["NAME"])


def dump_sqlite(target):
    source_uri = Path(sqlite_path()).resolve().as_uri() + "?mode=ro"
    try:
        with closing(sqlite3.connect(source_uri, uri=True)) as source, closing(sqlite3.connect(target)) as copy:
            source.backup(copy)
            return sqlite_rows(copy), copy_migrations(copy)
    except sqlite3.Error as error:
        raise BackupError(f"Copie de la base SQLite impossible ({error}).") from None


def restore_sqlite(dump_file):
    try:
        with closing(sqlite3.connect(dump_file)) as source, closing(sqlite3.connect(sqlite_path(), timeout=30)) as target:
            source.backup(target)
    except sqlite3.Error as error:
        raise BackupError(
            f"Restauration de la base SQLite impossible ({error}) : arrêtez l'application et recommencez. "
            "La base n'a pas été modifiée."
        ) from None


def sqlite_rows(db):
    tables = [name for (name,) in db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name"
    )]
    return {table: db.execute(f"SELECT count(*) FROM {quote(table)}").fetchone()[0] for table in tables}


def copy_migrations(db):
    try:
        return latest_migrations(db.execute("SELECT app, name FROM django_migrations"))
    except sqlite3.OperationalError:  # a database never migrated
        return {}


# PostgreSQL ------------------------------------------------------------------------

TABLES_SQL = """
    SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind IN ('r', 'p') AND n.nspname = current_schema() ORDER BY c.relname
"""


def dump_postgresql(target):
    """pg_dump reads the snapshot of a transaction held open here, where the rows are
    counted: the manifest describes exactly the dump, whatever the site writes meanwhile."""
    command, env = client_command("pg_dump", ["--format=custom", "--no-owner", "--no-acl", f"--file={target}"])
    raw = connection.get_new_connection(connection.get_connection_params())
    try:
        raw.autocommit = True
        with raw.cursor() as cursor:
            cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            rows = postgresql_rows(cursor)
            cursor.execute("SELECT to_regclass('django_migrations') IS NOT NULL")
            migrated = cursor.fetchone()[0]
            applied = []
            if migrated:
                cursor.execute("SELECT app, name FROM django_migrations")
                applied = cursor.fetchall()
            run([command[0], f"--snapshot={snapshot}", *command[1:]], env, "pg_dump")
            cursor.execute("COMMIT")
    finally:
        raw.close()
    return rows, latest_migrations(applied)


def restore_postgresql(dump_file, archived_tables):
    """pg_restore writes its script to a file first: were it streamed to psql and cut
    short (a dump from a newer pg_dump, a killed process), psql would commit half of it."""
    with connection.cursor() as cursor:
        cursor.execute(TABLES_SQL)
        live = [name for (name,) in cursor.fetchall()]
    connection.close()
    work = Path(dump_file).parent
    (work / "prologue.sql").write_text(prologue(live, archived_tables))
    pg_restore = [program("pg_restore"), "--clean", "--if-exists", "--no-owner", "--no-acl", f"--file={work / 'restore.sql'}"]
    run([*pg_restore, str(dump_file)], dict(os.environ), "pg_restore")
    psql, env = client_command("psql", ["--no-psqlrc", "--quiet", "--single-transaction", "--set=ON_ERROR_STOP=1"])
    env["PGOPTIONS"] = f"{env.get('PGOPTIONS', '')} -c client_min_messages=warning -c lock_timeout={LOCK_TIMEOUT}".strip()
    try:
        run([psql[0], f"--file={work / 'prologue.sql'}", f"--file={work / 'restore.sql'}", *psql[1:]], env, "psql")
    except BackupError as error:
        raise BackupError(
            f"Restauration PostgreSQL en échec, la base n'a pas été modifiée. {error}\n"
            "(Si une autre connexion bloque les tables, arrêtez l'application et recommencez.)"
        ) from None


def prologue(live, archived_tables):
    """Every table locked first, while our lock_timeout holds (pg_restore's script then
    sets it to 0); then the tables that the backup does not have dropped."""
    extra = [table for table in live if table not in archived_tables]
    lock = f"LOCK TABLE {', '.join(quote(table) for table in live)} IN ACCESS EXCLUSIVE MODE;\n" if live else ""
    return lock + "".join(f"DROP TABLE {quote(table)} CASCADE;\n" for table in extra)


def postgresql_rows(cursor):
    cursor.execute(TABLES_SQL)
    rows = {}
    for (table,) in cursor.fetchall():
        cursor.execute(f"SELECT count(*) FROM {quote(table)}")
        rows[table] = cursor.fetchone()[0]
    return rows


def client_command(name, parameters):
    """A PostgreSQL client's command line and environment for the configured database,
    as Django's dbshell builds them: the password goes in PGPASSWORD, never in argv."""
    args, env = DatabaseClient.settings_to_cmd_args_env(connection.settings_dict, parameters)
    return [program(name), *args[1:]], {**os.environ, **(env or {})}


def program(name):
    path = shutil.which(name)
    if path is None:
        raise BackupError(
            f"{name} est introuvable : installez le client PostgreSQL (paquet postgresql-client), "
            "de la version du serveur ou plus récente."
        )
    return path


def run(command, env, name):
    result = subprocess.run(command, env=env, capture_output=True)
    if result.returncode:
        raise BackupError(f"{name} a échoué :\n{result.stderr.decode(errors='replace').strip()}")


def quote(identifier):
    return '"{}"'.format(identifier.replace('"', '""'))
