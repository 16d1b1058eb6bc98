"""The uploaded files (MEDIA_ROOT) on disk: which go into an archive, and how a restore
puts the archive's in their place.

The archive's media are extracted beside MEDIA_ROOT, on the same file system, and
swapped in by renaming: never copied over the live folder, so a failure leaves the old
files where they were.
"""

import os
import secrets
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings

from . import BackupError
from .contents import MEDIA


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
