"""A backup archive: one tar.gz with the database dump, the uploaded media and, last, a
manifest (format, date, version of Arobase, database vendor, latest migration per app,
rows per table, SHA-256 and size of every member).

Written beside its final name, then renamed into place: a failed backup never leaves
a half archive under that name. Readable by its owner only: it holds personal data and
password hashes.

Restoring reads it like any file from outside: every member is checked (no absolute
path, no `..`, no link, only the expected names) before anything is extracted, the
extraction uses tarfile's 'data' filter, and every checksum, the vendor and the
migrations are checked before the database or the media are touched. The media are
extracted beside MEDIA_ROOT and swapped in by renaming, so a failure leaves the old ones.
"""

import hashlib
import io
import json
import os
import secrets
import shutil
import subprocess
import tarfile
import tempfile
import zlib
from contextlib import contextmanager
from datetime import datetime
from importlib import metadata
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from . import BackupError, database

FORMAT = "arobase-sauvegarde"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
MEDIA = "media"
CHUNK = 1 << 20
# Shown after a backup or a restore: (app, model, what a person calls its rows).
HIGHLIGHTS = [
    ("territories", "Territory", "territoires"),
    ("labels", "Label", "labels"),
    ("dossiers", "Dossier", "dossiers"),
    ("actions", "Action", "fiches actions"),
    ("auth", "User", "comptes"),
]


def quiet(message):
    pass


# Backup ----------------------------------------------------------------------------


def default_output():
    return Path(settings.VAR_DIR) / "backups" / f"arobase-{timezone.localtime():%Y%m%d-%H%M%S}.tar.gz"


def create(output, progress=quiet):
    """Write the archive to `output`; its manifest."""
    output = Path(output).absolute()
    output.parent.mkdir(parents=True, exist_ok=True)
    vendor = database.vendor()
    dump_name = database.DUMP_NAMES[vendor]
    with tempfile.TemporaryDirectory(prefix=".sauvegarde-", dir=output.parent) as work:
        progress(f"Copie de la base ({database.describe()})…")
        rows, migrations = database.dump(Path(work) / dump_name)
        progress(f"Écriture de l'archive, avec les fichiers envoyés ({media_root()})…")
        fd, partial = tempfile.mkstemp(prefix=f".{output.name}.", suffix=".partiel", dir=output.parent)
        try:
            with os.fdopen(fd, "wb") as stream:
                with tarfile.open(fileobj=stream, mode="w:gz") as tar:
                    files = {dump_name: add_file(tar, Path(work) / dump_name, dump_name)}
                    for name, path in media_files(media_root()):
                        entry = add_file(tar, path, name)
                        if entry is not None:
                            files[name] = entry
                    manifest = build_manifest(vendor, dump_name, rows, migrations, files)
                    add_bytes(tar, MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=2).encode())
                stream.flush()
                os.fsync(stream.fileno())
            os.replace(partial, output)
        except BaseException:
            Path(partial).unlink(missing_ok=True)
            raise
    return manifest


def build_manifest(vendor, dump_name, rows, migrations, files):
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "created_at": timezone.now().isoformat(timespec="seconds"),
        "arobase": app_version(),
        "database": {"vendor": vendor, "file": dump_name},
        "migrations": migrations,
        "rows": rows,
        "files": files,
    }


def app_version():
    """The installed version, and the commit when running from a git checkout."""
    try:
        version = metadata.version("arobase")
    except metadata.PackageNotFoundError:
        version = None
    commit = None
    checkout = Path(settings.BASE_DIR).parent
    if (checkout / ".git").exists() and shutil.which("git"):
        try:
            result = subprocess.run(
                ["git", "-C", str(checkout), "rev-parse", "HEAD"], capture_output=True, text=True, timeout=10,
            )
            commit = result.stdout.strip() or None
        except (OSError, subprocess.SubprocessError):
            pass
    return {"version": version, "commit": commit}


def media_root():
    """MEDIA_ROOT, links resolved: the swap renames the real folder, beside itself."""
    return Path(settings.MEDIA_ROOT).resolve()


def media_files(root):
    """(archive name, path) of each regular file under `root`, in a stable order."""
    if not root.is_dir():
        return
    for folder, dirs, names in os.walk(root):
        dirs.sort()
        for name in sorted(names):
            path = Path(folder, name)
            if path.is_file() and not path.is_symlink():
                yield f"{MEDIA}/{path.relative_to(root).as_posix()}", path


class _Hashing:
    """A file read through: the checksum is of the bytes that went into the archive."""

    def __init__(self, stream):
        self.stream, self.sha256 = stream, hashlib.sha256()

    def read(self, size=-1):
        data = self.stream.read(size)
        self.sha256.update(data)
        return data


def add_file(tar, path, name):
    """Add one file; its manifest entry, or None if it vanished meanwhile (a deleted upload)."""
    try:
        stream = open(path, "rb")
    except FileNotFoundError:
        return None
    with stream:
        info = tar.gettarinfo(arcname=name, fileobj=stream)
        info.uid = info.gid = 0
        info.uname = info.gname = ""
        reader = _Hashing(stream)
        tar.addfile(info, reader)
    return {"sha256": reader.sha256.hexdigest(), "size": info.size}


def add_bytes(tar, name, data):
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = len(data), int(timezone.now().timestamp()), 0o600
    tar.addfile(info, io.BytesIO(data))


# Restore ---------------------------------------------------------------------------


@contextmanager
def staging_folder():
    """A temporary folder beside MEDIA_ROOT (same file system: the media are renamed
    into place, never copied), removed afterwards whatever happens."""
    root = media_root()
    if os.path.ismount(root):
        raise BackupError(
            f"{root} est un point de montage : il ne peut pas être remplacé d'un bloc. "
            "Montez plutôt le dossier de données (AROBASE_VAR_DIR) qui le contient."
        )
    root.parent.mkdir(parents=True, exist_ok=True)
    path = Path(tempfile.mkdtemp(prefix=".restauration-", dir=root.parent))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def read(path, staging):
    """Check the archive at `path` and extract it into `staging`; its manifest, once
    every check has passed. Nothing outside `staging` is written."""
    try:
        with tarfile.open(path, "r:gz") as tar:
            members = tar.getmembers()
            for member in members:
                check_member(member)
            check_unique(members)
            manifest = load_manifest(tar)
            check_listing(members, manifest)
            check_compatible(manifest)
            tar.extractall(staging, members=[m for m in members if m.name != MANIFEST], filter="data")
    except FileNotFoundError:
        raise BackupError(f"Archive introuvable : {path}") from None
    except (tarfile.TarError, EOFError, zlib.error, OSError) as error:
        raise BackupError(f"Archive illisible ou tronquée : {path} ({error}). Rien n'a été modifié.") from None
    check_checksums(staging, manifest)
    return manifest


def refuse(reason):
    raise BackupError(f"Archive refusée : {reason}. Rien n'a été modifié.")


def check_member(member):
    """Only plain names under which a backup writes: no way out of the staging folder."""
    name = member.name
    path = PurePosixPath(name)
    if name.startswith("/") or "\\" in name or path.is_absolute():
        refuse(f"chemin absolu « {name} »")
    if ".." in path.parts or "." in name.split("/") or "" in name.split("/"):
        refuse(f"chemin non normalisé « {name} » (« .. » ou « . »)")
    if not (member.isfile() or member.isdir()):
        refuse(f"« {name} » est un lien ou un fichier spécial")
    top = path.parts[0]
    if member.isdir() and top != MEDIA:
        refuse(f"dossier inattendu « {name} »")
    expected = name == MANIFEST or name in database.DUMP_NAMES.values() or (top == MEDIA and len(path.parts) > 1)
    if member.isfile() and not expected:
        refuse(f"fichier inattendu « {name} »")


def check_unique(members):
    seen = set()
    for member in members:
        if member.name in seen:
            refuse(f"« {member.name} » y figure deux fois")
        seen.add(member.name)


def load_manifest(tar):
    try:
        manifest = json.load(tar.extractfile(MANIFEST))
    except KeyError:
        refuse(f"pas de {MANIFEST}, ce n'est pas une sauvegarde Arobase")
    except (ValueError, UnicodeDecodeError):
        refuse(f"{MANIFEST} illisible")
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        refuse("ce n'est pas une sauvegarde Arobase")
    if manifest.get("format_version") != FORMAT_VERSION:
        refuse(f"format {manifest.get('format_version')!r}, cette version d'Arobase lit le format {FORMAT_VERSION}")
    if not well_formed(manifest):
        refuse(f"{MANIFEST} incomplet ou mal formé")
    return manifest


def well_formed(manifest):
    """The fields a restore reads, of the types it expects."""
    def mapping(value, kind):
        return isinstance(value, dict) and all(isinstance(k, str) and isinstance(v, kind) for k, v in value.items())

    files = manifest.get("files")
    return (
        isinstance(manifest.get("created_at"), str)
        and mapping(manifest.get("database"), str)
        and mapping(manifest.get("migrations"), str)
        and mapping(manifest.get("rows"), int)
        and mapping(files, dict)
        and all(isinstance(e.get("sha256"), str) and isinstance(e.get("size"), int) for e in files.values())
    )


def check_listing(members, manifest):
    """The members are exactly the manifest's files, the database dump among them."""
    present = {m.name for m in members if m.isfile() and m.name != MANIFEST}
    listed = set(manifest["files"])
    if present - listed:
        refuse(f"fichiers absents du manifeste : {', '.join(sorted(present - listed)[:5])}")
    if listed - present:
        refuse(f"fichiers manquants : {', '.join(sorted(listed - present)[:5])}")
    dump_name = database.DUMP_NAMES.get(manifest["database"].get("vendor"))
    if manifest["database"].get("file") != dump_name or dump_name not in present:
        refuse("la base de données manque")


def check_compatible(manifest):
    """Same database vendor as configured, and no migration this code does not know."""
    archived, configured = manifest["database"]["vendor"], database.vendor()
    if archived != configured:
        raise BackupError(
            f"Sauvegarde d'une base {database.VENDORS.get(archived, archived)}, or la base configurée est "
            f"{database.VENDORS[configured]} : une sauvegarde se restaure dans le même type de base "
            "(voir DATABASE_URL). Rien n'a été modifié."
        )
    unknown = database.unknown_migrations(manifest["migrations"])
    if unknown:
        raise BackupError(
            "Sauvegarde faite par une version plus récente d'Arobase (migrations inconnues de ce code : "
            f"{', '.join(unknown[:5])}). Installez cette version ou une plus récente, puis recommencez. "
            "Rien n'a été modifié."
        )


def check_checksums(staging, manifest):
    for name, entry in sorted(manifest["files"].items()):
        path = staging / name
        digest = hashlib.sha256()
        with open(path, "rb") as stream:
            while chunk := stream.read(CHUNK):
                digest.update(chunk)
        if digest.hexdigest() != entry.get("sha256") or path.stat().st_size != entry.get("size"):
            refuse(f"« {name} » ne correspond pas à sa somme de contrôle (archive abîmée ou modifiée)")


def restore(manifest, staging, progress=quiet):
    """Replace the database, then the media, with the archive's (extracted by `read`)."""
    progress(f"Restauration de la base ({database.describe()})…")
    database.restore(staging / manifest["database"]["file"], manifest["rows"])
    cache.clear()  # cached pages are keyed by a data version that the restore rewound
    progress(f"Remise en place des fichiers envoyés ({media_root()})…")
    try:
        swap_media(staging / MEDIA, media_root())
    except OSError as error:
        raise BackupError(
            f"La base est restaurée, mais le dossier des fichiers envoyés n'a pas pu être remplacé ({error}) : "
            "les anciens fichiers sont en place. Corrigez puis relancez la restauration."
        ) from None


def swap_media(staged, root):
    """Rename the extracted folder into place, the old one aside first, then delete it."""
    staged.mkdir(exist_ok=True)
    old = None
    if root.exists():
        old = root.with_name(f".{root.name}-avant-restauration-{secrets.token_hex(4)}")
        os.rename(root, old)
    try:
        os.rename(staged, root)
    except OSError:
        if old is not None:
            os.rename(old, root)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


# What to say -----------------------------------------------------------------------


def media_count(manifest):
    return sum(1 for name in manifest["files"] if name.startswith(f"{MEDIA}/"))


def summary(rows):
    """'64 tables, 40 123 lignes (territoires : 36 000, …)'."""
    named = []
    for app, model, label in HIGHLIGHTS:
        try:
            table = apps.get_model(app, model)._meta.db_table
        except LookupError:
            continue
        if table in rows:
            named.append(f"{label} : {number(rows[table])}")
    detail = f" ({', '.join(named)})" if named else ""
    return f"{number(len(rows))} tables, {number(sum(rows.values()))} lignes{detail}"


def number(value):
    return f"{value:,}".replace(",", " ")


def size(path):
    octets = Path(path).stat().st_size
    for unit, scale in (("Go", 1 << 30), ("Mo", 1 << 20), ("ko", 1 << 10)):
        if octets >= scale:
            return f"{octets / scale:.1f} {unit}".replace(".", ",")
    return f"{octets} octets"


def created_at(manifest):
    try:
        moment = timezone.localtime(datetime.fromisoformat(manifest["created_at"]))
    except (ValueError, TypeError):
        return manifest["created_at"]
    return f"{moment:%d/%m/%Y à %H:%M:%S}"
