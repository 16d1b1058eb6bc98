"""The workbook, kept on disk: writing it takes seconds for the whole country, so it is
written once per data version (and demo flag, and host for its absolute URLs) into the
data folder, then served from there."""

import hashlib
import os
import tempfile
from contextlib import contextmanager

from django.conf import settings

from .schema import LAYOUT_VERSION
from .workbook import write_xlsx

XLSX_KEPT = 8  # workbooks kept on disk: the current version's, with and without demo, a few hosts


def xlsx_file(demo, base_url, version, changed_at):
    """The workbook of this data version, as an open binary file. A new file is written
    beside and renamed into place, so a reader never sees half of one; one process
    writes at a time; the oldest files are removed."""
    folder = settings.VAR_DIR / "opendata"
    folder.mkdir(parents=True, exist_ok=True)
    key = hashlib.sha256(f"{LAYOUT_VERSION}|{version}|{changed_at.isoformat()}|{demo}|{base_url}".encode()).hexdigest()[:32]
    path = folder / f"arobase-{key}.xlsx"
    try:
        return path.open("rb")
    except FileNotFoundError:
        pass
    with one_at_a_time(folder / ".verrou"):  # requests arriving meanwhile wait, then read it
        try:
            return path.open("rb")
        except FileNotFoundError:
            pass
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".en-cours-", suffix=".xlsx", delete=False) as target:
            try:
                write_xlsx(target, demo, base_url)
            except BaseException:
                os.unlink(target.name)
                raise
        os.replace(target.name, path)
        opened = path.open("rb")
        prune(folder)
    return opened


@contextmanager
def one_at_a_time(lock_path):
    """An exclusive lock between processes (the server's workers) where the system has one."""
    try:
        import fcntl
    except ImportError:  # not POSIX: workers may write the same file twice, harmlessly
        yield
        return
    with open(lock_path, "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def prune(folder):
    """Keep the XLSX_KEPT most recent workbooks (an open one stays readable once removed)."""
    files = sorted(folder.glob("arobase-*.xlsx"), key=lambda f: f.stat().st_mtime if f.exists() else 0, reverse=True)
    for old in files[XLSX_KEPT:]:
        old.unlink(missing_ok=True)
