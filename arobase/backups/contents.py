"""What a backup archive holds: the names of its members and its manifest.

One tar.gz with the database dump, the uploaded media under `media/` and, last, a
manifest: format, date, version of Arobase, database vendor, latest migration per
app, rows per table, SHA-256 and size of every member. Written by writer.py, checked
by checks.py: the format lives here so that both agree on it.
"""

import shutil
import subprocess
from importlib import metadata
from pathlib import Path

from django.conf import settings
from django.utils import timezone

FORMAT = "arobase-sauvegarde"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
MEDIA = "media"


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
