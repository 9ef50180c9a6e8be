"""Reading an MBTiles package: an SQLite file (not the vault) opened read-only.

The file is opened with the standard `sqlite3` module through a `mode=ro` URI and
`query_only`, never written. Its `metadata` and `tiles` tables are checked, each tile must be
PNG or JPEG by its first bytes, and rows are turned from TMS (row 0 at the south, as MBTiles
stores them) to XYZ. A refusal is an `MBTilesError` saying what is wrong."""

from __future__ import annotations

import math
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from missiondesk.domain.web_mercator import MAX_LAT, MAX_ZOOM, tile_count, tms_row

SQLITE_MAGIC = b"SQLite format 3\x00"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
JPEG_MAGIC = b"\xff\xd8\xff"
MAX_TILE_BYTES = 4 * 1024 * 1024
WORLD = (-180.0, -MAX_LAT, 180.0, MAX_LAT)


class MBTilesError(ValueError):
    """What is wrong with a tile package (the caller adds the file's name)."""


@dataclass(frozen=True)
class PackageInfo:
    name: str
    tile_format: str  # png or jpg
    bounds: tuple[float, float, float, float]  # west, south, east, north
    min_zoom: int
    max_zoom: int
    tiles: int
    xyz_rows: bool  # the package says scheme=xyz (not the standard TMS)


def tile_format_of(data: bytes) -> str | None:
    if data.startswith(PNG_MAGIC):
        return "png"
    if data.startswith(JPEG_MAGIC):
        return "jpg"
    return None


def _bounds(text: str | None) -> tuple[float, float, float, float]:
    if not text:
        return WORLD
    try:
        west, south, east, north = (float(v) for v in text.split(","))
    except ValueError:
        raise MBTilesError(f"its bounds '{text[:60]}' are not west,south,east,north") from None
    if not all(math.isfinite(v) for v in (west, south, east, north)) or not (
        -180 <= west < east <= 180 and -90 <= south < north <= 90
    ):
        raise MBTilesError(f"its bounds '{text[:60]}' are not west,south,east,north in degrees")
    return west, max(south, -MAX_LAT), east, min(north, MAX_LAT)


class MBTilesReader:
    """An open package; use as a context manager."""

    def __init__(self, path: Path) -> None:
        try:
            with open(path, "rb") as handle:
                head = handle.read(len(SQLITE_MAGIC))
        except FileNotFoundError:
            raise MBTilesError("the file does not exist") from None
        except IsADirectoryError:
            raise MBTilesError("it is a folder, not a file") from None
        except OSError as exc:
            raise MBTilesError(f"it cannot be read ({exc.strerror})") from None
        if head != SQLITE_MAGIC:
            raise MBTilesError("it is not an MBTiles package (not an SQLite file)")
        try:
            self._conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        except sqlite3.Error:
            raise MBTilesError("it cannot be opened as an SQLite file") from None
        try:
            self._conn.execute("PRAGMA query_only = 1")
            self.info = self._read_info()
        except sqlite3.DatabaseError:
            self._conn.close()
            raise MBTilesError("it is damaged (SQLite could not read it)") from None
        except BaseException:
            self._conn.close()
            raise

    def __enter__(self) -> MBTilesReader:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._conn.close()

    def _read_info(self) -> PackageInfo:
        names = {
            row[0]
            for row in self._conn.execute(
                "SELECT name FROM sqlite_master WHERE type IN ('table', 'view')"
            )
        }
        missing = [t for t in ("metadata", "tiles") if t not in names]
        if missing:
            raise MBTilesError(f"it is not an MBTiles package (no {' or '.join(missing)} table)")
        try:
            metadata = {
                str(k): str(v)
                for k, v in self._conn.execute("SELECT name, value FROM metadata")
                if k is not None and v is not None
            }
            count, low, high = self._conn.execute(
                "SELECT count(*), min(zoom_level), max(zoom_level) FROM tiles"
            ).fetchone()
        except sqlite3.OperationalError:
            raise MBTilesError(
                "it is not an MBTiles package (its metadata or tiles table lacks the "
                "standard columns)"
            ) from None
        if not count:
            raise MBTilesError("it holds no tiles")
        declared = metadata.get("format", "").lower()
        if declared not in ("png", "jpg", "jpeg"):
            raise MBTilesError(
                f"its tiles are '{declared or 'of no stated format'}'; PNG and JPEG tiles "
                "can be drawn"
            )
        if not (isinstance(low, int) and isinstance(high, int) and 0 <= low <= high <= MAX_ZOOM):
            raise MBTilesError(f"its zoom levels are outside 0..{MAX_ZOOM}")
        return PackageInfo(
            name=metadata.get("name", "").strip()[:200],
            tile_format="jpg" if declared == "jpeg" else declared,
            bounds=_bounds(metadata.get("bounds")),
            min_zoom=low,
            max_zoom=high,
            tiles=int(count),
            xyz_rows=metadata.get("scheme", "tms").lower() == "xyz",
        )

    def tiles(self) -> Iterator[tuple[int, int, int, bytes]]:
        """Every tile as (z, x, y with XYZ rows, data), each checked."""
        try:
            rows = self._conn.execute(
                "SELECT zoom_level, tile_column, tile_row, tile_data FROM tiles"
            )
            for z, x, row, data in rows:
                yield self._checked(z, x, row, data)
        except sqlite3.DatabaseError:
            raise MBTilesError("it is damaged (SQLite could not read its tiles)") from None

    def _checked(
        self, z: object, x: object, row: object, data: object
    ) -> tuple[int, int, int, bytes]:
        where = f"tile z={z} x={x} row={row}"
        if not (isinstance(z, int) and isinstance(x, int) and isinstance(row, int)):
            raise MBTilesError(f"{where}: its zoom, column and row are not whole numbers")
        if not 0 <= z <= MAX_ZOOM or not 0 <= x < tile_count(z) or not 0 <= row < tile_count(z):
            raise MBTilesError(f"{where}: it is outside the tile grid of zoom {z}")
        if not isinstance(data, bytes) or not data:
            raise MBTilesError(f"{where}: it has no image data")
        if len(data) > MAX_TILE_BYTES:
            raise MBTilesError(f"{where}: it is larger than {MAX_TILE_BYTES // (1024 * 1024)} MB")
        if tile_format_of(data) is None:
            raise MBTilesError(f"{where}: it is neither PNG nor JPEG")
        y = row if self.info.xyz_rows else tms_row(row, z)
        return z, x, y, data
