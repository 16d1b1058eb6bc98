"""Writing a backup archive (`arobase backup`).

Written beside its final name, then renamed into place: a failed backup never leaves
a half archive under that name. Readable by its owner only: it holds personal data and
password hashes. The checksum of each member is of the bytes that went into the
archive, read once.
"""

import hashlib
import io
import json
import os
import tarfile
import tempfile
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from . import database
from .contents import MANIFEST, build_manifest
from .media import media_files, media_root
from .wording import quiet


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
