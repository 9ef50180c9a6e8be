"""What the incident list is filtered and sorted by, and the MGRS grid-square keys it matches.

A filter is plain data: the store turns it into SQL, the desktop app keeps it in a form, and a
saved filter is its JSON. An MGRS grid square is matched through a key in which the easting and
northing digits are interleaved (``38SMB`` + e1 n1 e2 n2 ...), so every square, 100 km down to
1 m, is a prefix of the keys of the points inside it: one indexed range per square.
"""

from __future__ import annotations

import re
from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from missiondesk.domain.errors import InvalidInput
from missiondesk.domain.record_enums import IncidentStatus, SortKey

_SQUARE_RE = re.compile(r"^(\d{1,2}[C-HJ-NP-X]|[ABYZ])([A-HJ-NP-Z]{2})?(\d*)$")  # UPS: A, B, Y, Z


def grid_key(mgrs_text: str) -> str:
    """The sortable key of a full MGRS reference (``38S MB 44845 36965`` -> ``38SMB4348...``);
    empty when the text is no MGRS reference."""
    compact = mgrs_text.replace(" ", "").upper()
    match = _SQUARE_RE.match(compact)
    if not match or not match.group(2):
        return ""
    zone, square, digits = match.groups()
    if len(digits) % 2:
        return ""
    half = len(digits) // 2
    east, north = digits[:half], digits[half:]
    return zone + square + "".join(e + n for e, n in zip(east, north, strict=True))


def grid_prefix(text: str) -> str:
    """The key prefix of a grid square typed as ``38S``, ``38SMB``, ``38S MB 4 3``, ``38SMB4436``.
    Raises InvalidInput with what is accepted."""
    compact = text.replace(" ", "").upper()
    match = _SQUARE_RE.match(compact)
    if not match or (match.group(3) and not match.group(2)) or len(match.group(3)) % 2:
        raise InvalidInput(
            f"'{text}' is not an MGRS grid square; write a grid zone (38S), a 100 km square "
            "(38S MB) or a square with as many easting as northing digits (38S MB 44 36)."
        )
    if len(match.group(3)) > 10:
        raise InvalidInput(f"'{text}' has more than five digits each of easting and northing.")
    zone, square, digits = match.groups()
    if not square:
        return zone
    return grid_key(zone + square + digits)


class CountsBy(StrEnum):
    """Which series of chart counts a read needs: by category, by severity (or both, None)."""

    CATEGORY = "category"
    SEVERITY = "severity"


class BoundingBox(BaseModel):
    """South, west, north, east in decimal degrees; west > east crosses the antimeridian."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    south: float = Field(ge=-90, le=90)
    west: float = Field(ge=-180, le=180)
    north: float = Field(ge=-90, le=90)
    east: float = Field(ge=-180, le=180)

    @model_validator(mode="after")
    def _ordered(self) -> BoundingBox:
        if self.south > self.north:
            raise ValueError("the south edge is north of the north edge")
        return self

    def contains(self, lat: float, lon: float) -> bool:
        """Whether the point is inside, edges included (across the antimeridian too), as the
        incident list's area matches incidents."""
        if not self.south <= lat <= self.north:
            return False
        if self.west <= self.east:
            return self.west <= lon <= self.east
        return lon >= self.west or lon <= self.east

    @classmethod
    def parse(cls, text: str) -> BoundingBox:
        parts = [p for p in re.split(r"[,;\s]+", text.strip()) if p]
        try:
            south, west, north, east = (float(p) for p in parts)
            return cls(south=south, west=west, north=north, east=east)
        except ValueError:
            raise InvalidInput(
                f"'{text}' is not an area; give south,west,north,east in decimal degrees "
                "(e.g. 33.0,44.0,33.5,44.6)."
            ) from None


class IncidentFilter(BaseModel):
    """Every criterion is optional; the ones given must all hold."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    occurred_from: datetime | None = None  # inclusive
    occurred_to: datetime | None = None  # exclusive
    categories: tuple[str, ...] = ()
    severities: tuple[int, ...] = ()
    statuses: tuple[IncidentStatus, ...] = ()
    area: BoundingBox | None = None
    grid: str = Field(default="", max_length=20)  # an MGRS grid square, as typed
    text: str = Field(default="", max_length=200)  # full-text search words
    sort: SortKey = SortKey.OCCURRED
    descending: bool = True

    @field_validator("severities")
    @classmethod
    def _severities(cls, value: tuple[int, ...]) -> tuple[int, ...]:
        if any(not 1 <= s <= 5 for s in value):
            raise ValueError("severities are from 1 to 5")
        return tuple(sorted(set(value)))

    @field_validator("grid")
    @classmethod
    def _grid(cls, value: str) -> str:
        if value.strip():
            try:
                grid_prefix(value)
            except InvalidInput as exc:
                raise ValueError(exc.message) from None
        return value.strip()

    @model_validator(mode="after")
    def _period(self) -> IncidentFilter:
        if self.occurred_from and self.occurred_to and self.occurred_from >= self.occurred_to:
            raise ValueError("the period ends before it starts")
        return self

    @property
    def grid_prefix(self) -> str:
        return grid_prefix(self.grid) if self.grid else ""


# IncidentStatus and SortKey live in domain/record_enums.py (no pydantic); they are kept
# importable from here.
__all__ = [
    "BoundingBox",
    "CountsBy",
    "IncidentFilter",
    "IncidentStatus",
    "SortKey",
    "grid_key",
    "grid_prefix",
]
