"""Every check a restore makes on an archive before it touches anything.

An archive is read like any file from outside: every member is checked (no absolute
path, no `..`, no link, only the names a backup writes) before anything is extracted;
then the manifest, the vendor, the migrations and every checksum. A refusal says so
and that nothing was changed.
"""

import hashlib
import json
from pathlib import PurePosixPath

from . import BackupError, database
from .contents import FORMAT, FORMAT_VERSION, MANIFEST, MEDIA

CHUNK = 1 << 20


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
