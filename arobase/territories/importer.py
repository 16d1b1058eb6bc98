"""Load the bundled national reference (data/territories.csv.gz) into the database.

Idempotent: rows are matched on (kind, code); a re-run updates what changed and never
duplicates. Populations of EPCI, départements and régions are computed here with the
rules, from their communes. Everything happens in one transaction.
"""

import csv
import gzip
import io
import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from arobase.core import data_version

from . import rules
from .models import Territory

DATA_FILE = Path(__file__).resolve().parent / "data" / "territories.csv.gz"
SCALAR_FIELDS = ["name", "search_name", "population", "postal_codes", "lat", "lon"]
LINK_FIELDS = ["departement_id", "region_id", "epci_id"]
LINKED_KINDS = [rules.DEPARTEMENT, rules.REGION, rules.EPCI]
CREATION_ORDER = [rules.REGION, rules.DEPARTEMENT, rules.EPCI, rules.COMMUNE]
BATCH = 2000


@dataclass
class ImportReport:
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    unchanged: Counter = field(default_factory=Counter)

    def total(self, kind):
        return self.created[kind] + self.updated[kind] + self.unchanged[kind]


def no_progress(iterable, **kwargs):
    return iterable


def read_rows(path=DATA_FILE):
    with gzip.open(path, "rb") as f:
        return list(csv.DictReader(io.TextIOWrapper(f, encoding="utf-8")))


def _float(value):
    number = float(value) if value else None
    return number if number is not None and math.isfinite(number) else None


def prepare(rows):
    """Turn data rows into {(kind, code): fields, links}, aggregates computed."""
    communes = [r for r in rows if r["kind"] == rules.COMMUNE]
    for row in communes:
        row["population"] = int(row["population"]) if row["population"] else None
    by_code = {(r["kind"], r["code"]): r for r in rows}
    groups = defaultdict(list)
    for row in communes:
        for kind in (rules.EPCI, rules.DEPARTEMENT, rules.REGION):
            if row[kind]:
                groups[(kind, row[kind])].append(row)

    prepared = {}
    for row in rows:
        key = (row["kind"], row["code"])
        links = {}
        if row["kind"] == rules.COMMUNE:
            population, place = row["population"], row
            links = {"departement": row["departement"], "region": row["region"], "epci": row["epci"]}
        else:
            members = groups.get(key, [])
            population = rules.aggregate_population(m["population"] for m in members) if members else None
            main = max(members, key=lambda m: (m["population"] or 0, m["code"]), default=None)
            chef_lieu = by_code.get((rules.COMMUNE, row.get("chef_lieu") or ""))
            place = chef_lieu or main or {}
            if row["kind"] == rules.DEPARTEMENT:
                links = {"departement": row["code"], "region": row["region"]}
            elif main:
                links = {"departement": main["departement"], "region": main["region"]}
            if row["kind"] == rules.REGION:
                links["region"] = row["code"]
        prepared[key] = {
            "fields": {
                "name": row["name"],
                "search_name": rules.search_key(row["name"]),
                "population": population,
                "postal_codes": row.get("postal_codes") or "",
                "lat": _float(place.get("lat")),
                "lon": _float(place.get("lon")),
            },
            "links": links,
        }
    return prepared


def import_territories(path=DATA_FILE, progress=no_progress):
    """Read and check the whole file first, then write it in one transaction."""
    return write_territories(prepare(read_rows(path)), progress)


@transaction.atomic
def write_territories(prepared, progress=no_progress):
    """Upsert every territory, then its links; returns what was created or changed.

    Kinds are written from the top of the hierarchy down, so that most links can be
    set as rows are created: one bulk insert per kind instead of a slow bulk update.
    """
    report = ImportReport()
    existing = {(t.kind, t.code): t for t in Territory.objects.all()}
    ids = {key: t.pk for key, t in existing.items()}

    def wanted_links(data):
        return {f: ids.get((k, data["links"].get(k) or "")) for f, k in zip(LINK_FIELDS, LINKED_KINDS)}

    bar = iter(progress(range(len(prepared)), desc="Territoires", total=len(prepared)))
    to_update, links_written = [], {}
    for kind in CREATION_ORDER:
        to_create = []
        for (row_kind, code), data in prepared.items():
            if row_kind != kind:
                continue
            next(bar, None)
            territory = existing.get((kind, code))
            links_written[(kind, code)] = wanted_links(data)
            if territory is None:
                to_create.append(Territory(kind=kind, code=code, **data["fields"], **links_written[(kind, code)]))
                report.created[kind] += 1
                continue
            changes = dict(data["fields"], **links_written[(kind, code)])
            if any(getattr(territory, f) != v for f, v in changes.items()):
                for name, value in changes.items():
                    setattr(territory, name, value)
                to_update.append(territory)
                report.updated[kind] += 1
            else:
                report.unchanged[kind] += 1
        for territory in Territory.objects.bulk_create(to_create, batch_size=BATCH):
            ids[(territory.kind, territory.code)] = territory.pk
    Territory.objects.bulk_update(to_update, SCALAR_FIELDS + LINK_FIELDS, batch_size=BATCH)

    # Links to kinds written later (a région's main département) are set last.
    late_links = [
        Territory(pk=ids[key], **wanted_links(data))
        for key, data in prepared.items()
        if links_written[key] != wanted_links(data)
    ]
    Territory.objects.bulk_update(late_links, LINK_FIELDS, batch_size=BATCH)
    data_version.bump(data_version.TERRITORIES)  # bulk writes send no signal: public pages must refresh
    return report
