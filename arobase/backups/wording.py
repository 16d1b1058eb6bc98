"""What the `backup` and `restore` commands say: counts, sizes and dates written as a
French reader expects them, and the few tables a person looks for among all others.
"""

from datetime import datetime
from pathlib import Path
from typing import NamedTuple

from django.apps import apps
from django.utils import timezone

from .contents import MEDIA


class Highlight(NamedTuple):
    app: str
    model: str
    label: str  # what a person calls its rows


# Shown after a backup or a restore.
HIGHLIGHTS = [
    Highlight("territories", "Territory", "territoires"),
    Highlight("labels", "Label", "labels"),
    Highlight("dossiers", "Dossier", "dossiers"),
    Highlight("actions", "Action", "fiches actions"),
    Highlight("auth", "User", "comptes"),
]


def quiet(message):
    pass


def media_count(manifest):
    return sum(1 for name in manifest["files"] if name.startswith(f"{MEDIA}/"))


def summary(rows):
    """'64 tables, 40 123 lignes (territoires : 36 000, …)'."""
    named = []
    for highlight in HIGHLIGHTS:
        try:
            table = apps.get_model(highlight.app, highlight.model)._meta.db_table
        except LookupError:
            continue
        if table in rows:
            named.append(f"{highlight.label} : {number(rows[table])}")
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
