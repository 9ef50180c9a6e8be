"""Map layers: raster tile packages (MBTiles) and vector overlays (GeoJSON, KML/KMZ, GPX)."""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field

from missiondesk.domain.records.base import Record

# An overlay's content travels like an attachment's bytes (in its operation's body), so it has
# the same ceiling.
MAX_OVERLAY_BYTES = 8 * 1024 * 1024
_WORLD = (-180.0, -85.05112877980659, 180.0, 85.05112877980659)


class LayerKind(StrEnum):
    TILES = "tiles"  # an MBTiles raster package; its tiles stay in the vault that imported it
    OVERLAY = "overlay"  # points, lines and areas drawn over the map


class MapLayer(Record):
    name: str = Field(min_length=1, max_length=200)
    kind: LayerKind
    source: str = Field(default="", max_length=255)  # the imported file's name
    format: str = Field(default="", max_length=16)  # mbtiles, geojson, kml, kmz, gpx
    bounds: tuple[float, float, float, float] = _WORLD  # west, south, east, north (degrees)
    min_zoom: int = Field(default=0, ge=0, le=22)
    max_zoom: int = Field(default=22, ge=0, le=22)
    order: int = 0  # drawn bottom to top by order
    visible: bool = True  # shown when a map first shows it
    tile_format: str = Field(default="", max_length=8)  # tiles: png or jpg
    tiles: int = Field(default=0, ge=0)  # tiles: how many the package holds
    origin: str = Field(default="", max_length=64)  # tiles: the device whose vault holds them
    features: int = Field(default=0, ge=0)  # overlays: how many points, lines and areas
    sha256: str = Field(default="", pattern=r"^([0-9a-f]{64})?$")  # overlays: their content
    size: int = Field(default=0, ge=0)  # overlays: bytes of that content
