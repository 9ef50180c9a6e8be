"""Layer files the tests make themselves: a small MBTiles of solid-colour PNG tiles, and
GeoJSON, KML, KMZ and GPX overlays."""

from __future__ import annotations

import sqlite3
import struct
import zipfile
import zlib
from pathlib import Path

from missiondesk.domain.web_mercator import tms_row

RGB = tuple[int, int, int]
# XYZ tiles (row 0 at the north) and their colours: z=2 and z=3 over Africa and Europe.
TILES: dict[tuple[int, int, int], RGB] = {
    (2, 2, 1): (200, 30, 30),  # north-east of (0, 0): red
    (2, 2, 2): (30, 160, 30),  # south-east: green
    (2, 1, 1): (30, 30, 200),  # north-west: blue
    (3, 4, 3): (230, 200, 20),  # yellow
    (3, 4, 4): (150, 20, 150),  # purple
}


def solid_png(rgb: RGB, size: int = 256) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    row = b"\x00" + bytes(rgb) * size
    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(row * size))
        + chunk(b"IEND", b"")
    )


def make_mbtiles(
    path: Path,
    tiles: dict[tuple[int, int, int], RGB] | None = None,
    *,
    name: str = "Sector tiles",
    fmt: str = "png",
    data: dict[tuple[int, int, int], bytes] | None = None,
) -> Path:
    """An MBTiles file with `tiles` (XYZ rows) stored as the standard says: TMS rows."""
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE metadata (name TEXT, value TEXT)")
    conn.execute(
        "CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER,"
        " tile_data BLOB)"
    )
    meta = {"name": name, "format": fmt, "bounds": "-90,-66,90,66", "minzoom": "2"}
    conn.executemany("INSERT INTO metadata VALUES (?, ?)", meta.items())
    content = {k: solid_png(v) for k, v in (tiles if tiles is not None else TILES).items()}
    content.update(data or {})
    conn.executemany(
        "INSERT INTO tiles VALUES (?, ?, ?, ?)",
        [(z, x, tms_row(y, z), blob) for (z, x, y), blob in content.items()],
    )
    conn.commit()
    conn.close()
    return path


GEOJSON = """{"type": "FeatureCollection", "features": [
 {"type": "Feature", "properties": {"name": "Checkpoint 7"},
  "geometry": {"type": "Point", "coordinates": [30.5, 10.25]}},
 {"type": "Feature", "properties": {"name": "MSR Blue"},
  "geometry": {"type": "LineString", "coordinates": [[30, 10], [31, 10.5], [32, 11]]}},
 {"type": "Feature", "properties": {"name": "Buffer zone"},
  "geometry": {"type": "Polygon", "coordinates": [[[29, 9], [30, 9], [30, 10], [29, 9]]]}}
]}"""

KML = """<?xml version="1.0" encoding="UTF-8"?>
<kml xmlns="http://www.opengis.net/kml/2.2"><Document>
 <Placemark><name>Team site</name><Point><coordinates>30.1,10.2,0</coordinates></Point></Placemark>
 <Placemark><name>Patrol</name><LineString><coordinates>
   30,10 30.5,10.5 31,10.7</coordinates></LineString></Placemark>
 <Placemark><name>No-go</name><Polygon><outerBoundaryIs><LinearRing><coordinates>
   29,9 30,9 30,10 29,9</coordinates></LinearRing></outerBoundaryIs></Polygon></Placemark>
</Document></kml>"""

BROKEN_KML = KML.replace("30.1,10.2,0", "thirty,ten")

GPX = """<?xml version="1.0"?>
<gpx version="1.1" creator="test" xmlns="http://www.topografix.com/GPX/1/1">
 <wpt lat="10.5" lon="30.5"><name>Water point</name></wpt>
 <rte><name>Route A</name><rtept lat="10" lon="30"/><rtept lat="10.2" lon="30.4"/></rte>
 <trk><name>Track 1</name><trkseg>
  <trkpt lat="10" lon="30"/><trkpt lat="10.1" lon="30.1"/><trkpt lat="10.3" lon="30.2"/>
 </trkseg></trk>
</gpx>"""

EMPTY_GPX = """<?xml version="1.0"?>
<gpx version="1.1" creator="test" xmlns="http://www.topografix.com/GPX/1/1"><metadata/></gpx>"""

ENTITY_KML = """<?xml version="1.0"?>
<!DOCTYPE kml [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<kml xmlns="http://www.opengis.net/kml/2.2"><Placemark><name>&x;</name>
<Point><coordinates>1,1</coordinates></Point></Placemark></kml>"""


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def make_kmz(path: Path, kml: str = KML) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("doc.kml", kml)
    return path


def all_overlays(folder: Path) -> list[Path]:
    return [
        write(folder / "sector.geojson", GEOJSON),
        write(folder / "sites.kml", KML),
        make_kmz(folder / "sites.kmz", KML.replace("Team site", "Team site B")),  # not a copy
        write(folder / "patrol.gpx", GPX),
    ]
