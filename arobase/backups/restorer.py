"""Restoring a backup archive (`arobase restore`), in two steps the command separates
so that a person confirms in between.

`read` checks the archive (checks.py) and extracts it into a staging folder, with
tarfile's 'data' filter; nothing outside that folder is written. `restore` then
replaces the database, then the media by a swap (media.py): every check has passed
before either is touched.
"""

import tarfile
import zlib

from django.core.cache import cache

from . import BackupError, database
from .checks import check_checksums, check_compatible, check_listing, check_member, check_unique, load_manifest
from .contents import MANIFEST, MEDIA
from .media import media_root, swap_media
from .wording import quiet


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
