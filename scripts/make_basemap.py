"""Write the shipped world basemap from Natural Earth's 1:110m shapefiles.

    /work/main/.venv/bin/python scripts/make_basemap.py [--source DIR] [--out FILE]

The source is the ``geopandas/datasets`` folder of the geopandas 0.14.4 wheel (public-domain
Natural Earth 1:110m ``naturalearth_lowres`` countries and ``naturalearth_cities`` populated
places; ``pip download --no-deps geopandas==0.14.4`` and unzip it). pyshp reads the
shapefiles (a dev-only tool: the app reads the file this writes, never a shapefile).

The format (``missiondesk/services/basemap.py`` reads it) is gzip over:

    b"MDBASEMAP1\\n"
    uint32 LE   length of the JSON header that follows
    JSON        {"scale": 10000, "source": ..., "countries": [{"name", "iso", "continent",
                "rings": [points per ring, ...]}, ...], "places": ["name", ...]}
    int32 LE    every country ring's points as (lon, lat) * scale, country after country
    int32 LE    every place's (lon, lat) * scale

Coordinates are rounded to 1e-4 degree (about 11 m, far below what 1:110m resolves).
"""

from __future__ import annotations

import argparse
import gzip
import json
import struct
import sys
from array import array
from itertools import pairwise
from pathlib import Path

import shapefile

MAGIC = b"MDBASEMAP1\n"
SCALE = 10_000
REPO = Path(__file__).resolve().parents[1]
DEFAULT_SOURCE = Path("/tmp/gpd/x/geopandas/datasets")
# The shapefile's ISO-8859-1 lost the letters Latin-1 has not; Natural Earth's own names.
RESTORED = {"Chi?in?u": "Chișinău", "?saka": "Ōsaka"}
DEFAULT_OUT = REPO / "resources" / "basemap" / "naturalearth-110m.bin.gz"


def scaled(value: float) -> int:
    return round(value * SCALE)


def read_countries(path: Path, coords: array) -> list[dict[str, object]]:
    reader = shapefile.Reader(str(path))  # the .cpg says ISO-8859-1
    names = [f[0] for f in reader.fields[1:]]
    countries: list[dict[str, object]] = []
    for shape_record in reader.iterShapeRecords():
        record = dict(zip(names, shape_record.record, strict=True))
        shape = shape_record.shape
        bounds = [*shape.parts, len(shape.points)]
        rings: list[int] = []
        for start, end in pairwise(bounds):
            ring = [(scaled(x), scaled(y)) for x, y in shape.points[start:end]]
            deduped = [p for i, p in enumerate(ring) if i == 0 or p != ring[i - 1]]
            if len(deduped) < 4:  # a ring closes on its first point: 3 corners at least
                continue
            rings.append(len(deduped))
            for x, y in deduped:
                coords.extend((x, y))
        countries.append(
            {
                "name": str(record["name"]),
                "iso": str(record["iso_a3"]),
                "continent": str(record["continent"]),
                "rings": rings,
            }
        )
    return countries


def read_places(path: Path, coords: array) -> list[str]:
    reader = shapefile.Reader(str(path))  # the .cpg says ISO-8859-1
    places: list[str] = []
    for shape_record in reader.iterShapeRecords():
        (x, y) = shape_record.shape.points[0]
        coords.extend((scaled(x), scaled(y)))
        name = str(shape_record.record[0])
        places.append(RESTORED.get(name, name))
    return places


def build(source: Path) -> bytes:
    ring_coords = array("i")
    place_coords = array("i")
    countries = read_countries(source / "naturalearth_lowres" / "naturalearth_lowres", ring_coords)
    places = read_places(source / "naturalearth_cities" / "naturalearth_cities", place_coords)
    header = {
        "scale": SCALE,
        "source": "Natural Earth 1:110m admin-0 countries and populated places, v5 "
        "(as shipped in geopandas 0.14.4); public domain",
        "countries": countries,
        "places": places,
    }
    if sys.byteorder != "little":
        ring_coords.byteswap()
        place_coords.byteswap()
    head = json.dumps(header, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    body = MAGIC + struct.pack("<I", len(head)) + head
    body += ring_coords.tobytes() + place_coords.tobytes()
    return gzip.compress(body, compresslevel=9, mtime=0)  # mtime 0: the same bytes every run


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="write resources/basemap from Natural Earth")
    p.add_argument("--source", type=Path, default=DEFAULT_SOURCE, help="geopandas/datasets")
    p.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = p.parse_args(argv)
    data = build(args.source)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_bytes(data)
    print(f"wrote {args.out} ({len(data):,} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
