"""Locations typed the ways officers write them: MGRS, decimal degrees, or DMS."""

from __future__ import annotations

import re

import mgrs
from pydantic import BaseModel, ConfigDict, Field

from missiondesk.domain.errors import InvalidInput

_DECIMAL_RE = re.compile(r"^\s*([-+]?\d{1,3}(?:\.\d+)?)\s*[,;\s]\s*([-+]?\d{1,3}(?:\.\d+)?)\s*$")
_DMS_PART = (
    r"(\d{1,3})\s*[°d:\s]\s*(\d{1,2})?\s*['m:\s]?\s*(\d{1,2}(?:\.\d+)?)?\s*[\"s]?\s*([NSEW])"
)
_DMS_RE = re.compile(rf"^\s*{_DMS_PART}\s*[,;]?\s*{_DMS_PART}\s*$", re.IGNORECASE)
# A hemisphere letter before or after each half: N33.31 E44.36, 33.31N 44.36E,
# 33°18.6'N 44°21.6'E (degrees and decimal minutes, as GPS units show them), N 33 18 36 E 44 21 36.
_ANGLE = r"[\d\s.°:'\"]+?"
_PREFIXED_RE = re.compile(rf"^([NSEW])\s*({_ANGLE})\s*[,;]?\s*([NSEW])\s*({_ANGLE})$")
_SUFFIXED_RE = re.compile(rf"^({_ANGLE})\s*([NSEW])\s*[,;]?\s*({_ANGLE})\s*([NSEW])$")
_ANGLE_PART_RE = re.compile(r"\d+(?:\.\d+)?")
_SYMBOLS = str.maketrans({"º": "°", "˚": "°", "’": "'", "′": "'", "″": '"', "”": '"'})
_MGRS_RE = re.compile(
    r"^\s*(\d{1,2}[C-HJ-NP-X]|[ABYZ])\s*([A-HJ-NP-Z]{2})\s*(\d{1,5})\s*(\d{1,5})?\s*$",
    re.IGNORECASE,
)


class Location(BaseModel):
    """A point with its MGRS rendering and, optionally, a place name."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)
    mgrs: str = ""
    place: str = Field(default="", max_length=200)


def to_mgrs(lat: float, lon: float, precision: int = 5) -> str:
    """MGRS in the spaced form people read aloud, e.g. ``36S XA 12345 67890``; beyond 84°N and
    80°S its polar (UPS) form, a letter for the zone: ``Z AH 00000 00000``."""
    raw = mgrs.MGRS().toMGRS(lat, lon, MGRSPrecision=precision)
    raw = raw.decode() if isinstance(raw, bytes) else raw
    if raw[:1].isalpha():  # polar: A or B (south), Y or Z (north), no zone number
        zone, square, tail = raw[0], raw[1:3], raw[3:]
    else:
        digits = len(raw) - 5 if raw[2].isalpha() else len(raw) - 4
        head, tail = raw[: len(raw) - digits], raw[len(raw) - digits :]
        zone, square = head[:-2], head[-2:]
    half = len(tail) // 2
    return f"{zone} {square} {tail[:half]} {tail[half:]}".strip()


def to_dms(lat: float, lon: float) -> str:
    def part(value: float, pos: str, neg: str) -> str:
        hemi = pos if value >= 0 else neg
        # whole tenths of a second, so 59.95" never shows as 60.0"
        tenths = round(abs(value) * 36000)
        deg, rest = divmod(tenths, 36000)
        minutes, rest = divmod(rest, 600)
        return f"{deg}°{minutes:02d}'{rest / 10:04.1f}\"{hemi}"

    return f"{part(lat, 'N', 'S')} {part(lon, 'E', 'W')}"


def _from_mgrs(text: str) -> tuple[float, float]:
    match = _MGRS_RE.match(text)
    if not match:
        raise ValueError(text)
    zone, square, east, north = match.groups()
    if north is None:  # easting and northing written together: split in half
        if len(east) % 2:
            raise ValueError(text)
        east, north = east[: len(east) // 2], east[len(east) // 2 :]
    if len(east) != len(north):
        raise ValueError(text)
    lat, lon = mgrs.MGRS().toLatLon(f"{zone}{square}{east}{north}".upper())
    return float(lat), float(lon)


def _dms_value(deg: str, minutes: str | None, seconds: str | None, hemi: str) -> float:
    value = int(deg) + int(minutes or 0) / 60 + float(seconds or 0) / 3600
    return -value if hemi.upper() in "SW" else value


def _angle(body: str, hemi: str) -> float | None:
    """Degrees, minutes and seconds (each but the first optional; the last may have decimals)
    with their hemisphere, or None when `body` is not that."""
    if re.search(r"[^\d\s.°:'\"]", body):
        return None
    parts = _ANGLE_PART_RE.findall(body)
    if not 1 <= len(parts) <= 3 or _ANGLE_PART_RE.sub("", body).strip(" °:'\"") != "":
        return None
    if any("." in part for part in parts[:-1]):
        return None  # 33.5°18' is no angle
    values = [float(part) for part in parts]
    if any(v >= 60 for v in values[1:]):
        return None  # minutes and seconds run to 59
    value = values[0] + sum(v / 60.0**i for i, v in enumerate(values[1:], start=1))
    return -value if hemi in "SW" else value


def _minutes_and_seconds_fit(groups: tuple[str | None, ...]) -> bool:
    """DMS's minutes and seconds run to 59 (33°75'N is a typing error, not 34°15')."""
    return all(float(groups[i] or 0) < 60 for i in (1, 2, 5, 6))


def _from_hemispheres(text: str) -> tuple[float, float] | None:
    """One half with N or S, the other with E or W, in either order, the letters before or
    after the numbers."""
    cleaned = text.translate(_SYMBOLS).upper().strip()
    if match := _PREFIXED_RE.match(cleaned):
        first_hemi, first, second_hemi, second = match.groups()
    elif match := _SUFFIXED_RE.match(cleaned):
        first, first_hemi, second, second_hemi = match.groups()
    else:
        return None
    if {first_hemi in "NS", second_hemi in "NS"} != {True, False}:
        return None  # one latitude and one longitude
    a, b = _angle(first, first_hemi), _angle(second, second_hemi)
    if a is None or b is None:
        return None
    return (a, b) if first_hemi in "NS" else (b, a)


def parse_location(text: str, place: str = "") -> Location:
    """Parse MGRS, ``lat,lon`` in decimal degrees, or DMS; the error says what is accepted."""
    cleaned = text.strip()
    lat: float | None = None
    lon: float | None = None
    if match := _DECIMAL_RE.match(cleaned):
        lat, lon = float(match.group(1)), float(match.group(2))
    elif (match := _DMS_RE.match(cleaned)) and _minutes_and_seconds_fit(match.groups()):
        g = match.groups()
        first, second = _dms_value(*g[:4]), _dms_value(*g[4:])
        if g[3].upper() in "EW":
            first, second = second, first
        lat, lon = first, second
    elif found := _from_hemispheres(cleaned):
        lat, lon = found
    else:
        try:
            lat, lon = _from_mgrs(cleaned)
        except Exception:  # noqa: BLE001 - the mgrs library raises its own error types
            lat = lon = None
    if lat is None or lon is None:
        raise InvalidInput(
            f"'{text}' is not a location; use MGRS (36S XA 12345 67890), "
            "decimal degrees (33.31, 44.36 or N33.31 E44.36) or DMS (33°18'36\"N 44°21'36\"E)"
        )
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise InvalidInput(f"'{text}' is outside the globe (latitude ±90, longitude ±180)")
    try:
        grid = to_mgrs(lat, lon)
    except Exception:  # noqa: BLE001 - MGRS is undefined only at the very poles
        grid = ""
    return Location(lat=round(lat, 6), lon=round(lon, 6), mgrs=grid, place=place)
