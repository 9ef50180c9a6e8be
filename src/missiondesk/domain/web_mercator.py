"""Web Mercator (EPSG:3857) and the slippy-map tile grid, as pure arithmetic.

The map draws in projected metres: x east, y north, the origin where the equator crosses
Greenwich, the world a square of side 2 * HALF_WORLD. Tiles follow the OSM / XYZ scheme
(row 0 at the north); MBTiles store rows in TMS order (row 0 at the south), and `tms_row`
turns one into the other (the flip is its own inverse).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

EARTH_RADIUS = 6_378_137.0  # metres, the WGS 84 semi-major axis EPSG:3857 uses
HALF_WORLD = math.pi * EARTH_RADIUS  # 20,037,508.34 m
MAX_LAT = 85.05112877980659  # where the projected world becomes a square
TILE_SIZE = 256
MAX_ZOOM = 22

Floats = npt.NDArray[np.float64]


def project(lat: float, lon: float) -> tuple[float, float]:
    """(x, y) in metres of a point; latitudes beyond ±MAX_LAT are clamped."""
    lat = max(-MAX_LAT, min(MAX_LAT, lat))
    x = EARTH_RADIUS * math.radians(lon)
    y = EARTH_RADIUS * math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))
    return x, y


def unproject(x: float, y: float) -> tuple[float, float]:
    """(lat, lon) in degrees of projected metres."""
    lon = math.degrees(x / EARTH_RADIUS)
    lat = math.degrees(2 * math.atan(math.exp(y / EARTH_RADIUS)) - math.pi / 2)
    return lat, lon


def project_arrays(lat: npt.ArrayLike, lon: npt.ArrayLike) -> tuple[Floats, Floats]:
    """`project` over arrays (thousands of markers or a country's ring at once)."""
    lat_r = np.radians(np.clip(np.asarray(lat, dtype=np.float64), -MAX_LAT, MAX_LAT))
    x = EARTH_RADIUS * np.radians(np.asarray(lon, dtype=np.float64))
    y = EARTH_RADIUS * np.log(np.tan(np.pi / 4 + lat_r / 2))
    return x, y


@dataclass(frozen=True)
class Tile:
    """A tile of the XYZ grid: column x from the antimeridian east, row y from the north."""

    z: int
    x: int
    y: int

    @property
    def tms_y(self) -> int:
        return tms_row(self.y, self.z)


def tile_count(z: int) -> int:
    if not 0 <= z <= MAX_ZOOM:
        raise ValueError(f"zoom {z} is outside 0..{MAX_ZOOM}")
    return 1 << z


def tile_of(lat: float, lon: float, z: int) -> Tile:
    """The tile holding a point at zoom z (the OSM slippy-map formulas)."""
    n = tile_count(z)
    lat = max(-MAX_LAT, min(MAX_LAT, lat))
    x = int((lon + 180.0) / 360.0 * n)
    lat_r = math.radians(lat)
    y = int((1.0 - math.asinh(math.tan(lat_r)) / math.pi) / 2.0 * n)
    return Tile(z, min(max(x, 0), n - 1), min(max(y, 0), n - 1))


def tms_row(y: int, z: int) -> int:
    """XYZ row <-> TMS row (MBTiles' `tile_row`): the same flip both ways."""
    return tile_count(z) - 1 - y


@dataclass(frozen=True)
class Bounds:
    """A box in degrees."""

    west: float
    south: float
    east: float
    north: float


def tile_bounds(tile: Tile) -> Bounds:
    """The tile's edges in degrees."""
    n = tile_count(tile.z)

    def lat_of(row: int) -> float:
        return math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * row / n))))

    return Bounds(
        west=tile.x / n * 360.0 - 180.0,
        south=lat_of(tile.y + 1),
        east=(tile.x + 1) / n * 360.0 - 180.0,
        north=lat_of(tile.y),
    )


def tile_rect(tile: Tile) -> tuple[float, float, float, float]:
    """The tile's edges in projected metres: (left, bottom, right, top)."""
    side = 2 * HALF_WORLD / tile_count(tile.z)
    left = -HALF_WORLD + tile.x * side
    top = HALF_WORLD - tile.y * side
    return left, top - side, left + side, top


def tiles_covering(left: float, bottom: float, right: float, top: float, z: int) -> list[Tile]:
    """The tiles of zoom z that a box in projected metres touches, row after row."""
    n = tile_count(z)
    side = 2 * HALF_WORLD / n

    def column(x: float) -> int:
        return min(max(int((x + HALF_WORLD) // side), 0), n - 1)

    def row(y: float) -> int:
        return min(max(int((HALF_WORLD - y) // side), 0), n - 1)

    return [
        Tile(z, x, y)
        for y in range(row(top), row(bottom) + 1)
        for x in range(column(left), column(right) + 1)
    ]


def metres_per_pixel(lat: float, z: float, tile_size: int = TILE_SIZE) -> float:
    """Ground metres one pixel covers at a latitude and (fractional) zoom."""
    return 2 * HALF_WORLD * math.cos(math.radians(lat)) / (tile_size * 2**z)


def zoom_for(projected_per_pixel: float, tile_size: int = TILE_SIZE) -> float:
    """The fractional zoom at which one pixel spans `projected_per_pixel` projected metres."""
    return math.log2(2 * HALF_WORLD / (tile_size * projected_per_pixel))


def projected_per_pixel(z: float, tile_size: int = TILE_SIZE) -> float:
    """Projected metres per pixel at zoom z (the inverse of `zoom_for`)."""
    return 2 * HALF_WORLD / (tile_size * 2**z)
