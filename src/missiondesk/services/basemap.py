"""The world basemap shipped in `resources/basemap/`: countries and populated places.

Read when the map is first shown (never at import time) from the compact file that
`scripts/make_basemap.py` writes from Natural Earth 1:110m: gzip over a magic line, a JSON
header (names, ISO codes, points per ring) and the coordinates as little-endian int32 of
degrees x 10,000. Reading it is one decompress and one `numpy.frombuffer` (a few ms).
"""

from __future__ import annotations

import gzip
import json
import struct
import zlib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from missiondesk.domain.errors import Unavailable
from missiondesk.resources import resource

MAGIC = b"MDBASEMAP1\n"
BASEMAP_FILE = ("basemap", "naturalearth-110m.bin.gz")
Points = npt.NDArray[np.float64]  # shape (n, 2): lon, lat in degrees


@dataclass(frozen=True)
class Country:
    name: str
    iso: str  # ISO 3166-1 alpha-3 (Natural Earth's, e.g. "-99" for Kosovo)
    continent: str
    rings: tuple[Points, ...]  # outer rings and holes alike: drawn with the odd-even rule


@dataclass(frozen=True)
class Place:
    name: str
    lon: float
    lat: float


@dataclass(frozen=True)
class Basemap:
    countries: tuple[Country, ...]
    places: tuple[Place, ...]
    source: str

    @property
    def point_count(self) -> int:
        return sum(len(r) for c in self.countries for r in c.rings)


def _broken(path: Path, problem: str) -> Unavailable:
    return Unavailable(
        f"The world basemap {path} cannot be read ({problem}); reinstall MissionDesk."
    )


def read_basemap(path: Path) -> Basemap:
    """Parse a basemap file; a missing or damaged file is `Unavailable`, naming the file."""
    try:
        data = gzip.decompress(path.read_bytes())
    except OSError as exc:  # missing, unreadable, or not gzip (BadGzipFile is an OSError)
        raise _broken(path, type(exc).__name__) from None
    except (EOFError, zlib.error):
        raise _broken(path, "truncated") from None
    if not data.startswith(MAGIC) or len(data) < len(MAGIC) + 4:
        raise _broken(path, "not a MissionDesk basemap")
    start = len(MAGIC) + 4
    (head_len,) = struct.unpack_from("<I", data, len(MAGIC))
    try:
        header: dict[str, Any] = json.loads(data[start : start + head_len])
        scale = float(header["scale"])
        countries_meta: list[dict[str, Any]] = header["countries"]
        place_names: list[str] = header["places"]
        ring_points = sum(sum(c["rings"]) for c in countries_meta)
    except (ValueError, KeyError, TypeError):
        raise _broken(path, "damaged header") from None
    body = data[start + head_len :]
    expected = (ring_points + len(place_names)) * 8
    if len(body) != expected:
        raise _broken(path, "damaged coordinates")
    coords = np.frombuffer(body, dtype="<i4").astype(np.float64) / scale
    coords = coords.reshape(-1, 2)
    countries: list[Country] = []
    at = 0
    for meta in countries_meta:
        rings: list[Points] = []
        for count in meta["rings"]:
            rings.append(coords[at : at + count])
            at += count
        countries.append(
            Country(str(meta["name"]), str(meta["iso"]), str(meta["continent"]), tuple(rings))
        )
    places = tuple(
        Place(str(name), float(lon), float(lat))
        for name, (lon, lat) in zip(place_names, coords[at:].tolist(), strict=True)
    )
    return Basemap(tuple(countries), places, str(header.get("source", "")))


@cache
def world_basemap() -> Basemap:
    """The shipped basemap, read once per process (it is immutable)."""
    return read_basemap(resource(*BASEMAP_FILE))
