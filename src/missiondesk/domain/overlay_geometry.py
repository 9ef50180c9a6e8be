"""Checks of overlay geometry: positions in range, lines with two points, closed rings.

Pure functions over plain tuples; a refusal is a `ValueError` whose message says what is wrong
(the caller adds the file and the feature)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

Position = tuple[float, float]  # (lon, lat), as GeoJSON has them
GeometryType = Literal["Point", "LineString", "Polygon"]


@dataclass(frozen=True)
class Shape:
    """One point, line or area of an overlay, with the name it was given (may be empty)."""

    type: GeometryType
    # Point: one position; LineString: the line's positions; Polygon: one ring per entry.
    parts: tuple[tuple[Position, ...], ...]
    name: str = ""

    def as_json(self) -> dict[str, object]:
        if self.type == "Point":
            coordinates: object = list(self.parts[0][0])
        elif self.type == "LineString":
            coordinates = [list(p) for p in self.parts[0]]
        else:
            coordinates = [[list(p) for p in ring] for ring in self.parts]
        return {"type": self.type, "coordinates": coordinates, "name": self.name}


def position(value: object) -> Position:
    """(lon, lat) from [lon, lat] or [lon, lat, altitude]; refuses anything else."""
    if not isinstance(value, Sequence) or isinstance(value, str) or not 2 <= len(value) <= 4:
        raise ValueError("a position must be [longitude, latitude]")
    lon, lat = value[0], value[1]
    if isinstance(lon, bool) or isinstance(lat, bool):
        raise ValueError("a position must be [longitude, latitude]")
    if not isinstance(lon, int | float) or not isinstance(lat, int | float):
        raise ValueError("a position must be [longitude, latitude] as numbers")
    if not (math.isfinite(lon) and math.isfinite(lat)):
        raise ValueError("a position is not a finite number")
    if not -180.0 <= lon <= 180.0:
        raise ValueError(f"longitude {lon} is outside -180..180")
    if not -90.0 <= lat <= 90.0:
        raise ValueError(f"latitude {lat} is outside -90..90")
    return float(lon), float(lat)


def line(values: Sequence[object]) -> tuple[Position, ...]:
    points = tuple(position(v) for v in values)
    if len(points) < 2:
        raise ValueError(f"a line needs at least 2 points, this one has {len(points)}")
    if len(set(points)) < 2:
        raise ValueError("a line needs at least 2 distinct points")
    return points


def ring(values: Sequence[object]) -> tuple[Position, ...]:
    """A closed ring (closed here if its last point is not its first)."""
    points = tuple(position(v) for v in values)
    if points and points[0] != points[-1]:
        points = (*points, points[0])
    if len(points) < 4 or len(set(points)) < 3:
        raise ValueError("an area's ring needs at least 3 distinct points")
    return points


def point_shape(value: object, name: str = "") -> Shape:
    return Shape("Point", ((position(value),),), name)


def line_shape(values: Sequence[object], name: str = "") -> Shape:
    return Shape("LineString", (line(values),), name)


def area_shape(rings: Sequence[Sequence[object]], name: str = "") -> Shape:
    if not rings:
        raise ValueError("an area needs an outer ring")
    return Shape("Polygon", tuple(ring(r) for r in rings), name)


def bounds_of(shapes: Sequence[Shape]) -> tuple[float, float, float, float]:
    """(west, south, east, north) around every position."""
    lons = [p[0] for s in shapes for part in s.parts for p in part]
    lats = [p[1] for s in shapes for part in s.parts for p in part]
    return min(lons), min(lats), max(lons), max(lats)
