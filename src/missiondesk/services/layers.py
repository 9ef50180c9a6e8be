"""Map layers: importing MBTiles packages and GeoJSON / KML / KMZ / GPX overlays into the
vault, listing and removing them, and reading their tiles and shapes back.

A layer is a `map_layer` record (it syncs). An overlay's shapes travel in the record's create
operation, as an attachment's bytes do, and are kept once in `blobs`. An MBTiles package's
tiles stay in this vault (`layer_tiles`), written in the same transaction as the record; the
record names the device that holds them (see docs/map.md). Each import is all or nothing, and
a refusal names the file and the problem."""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from missiondesk.domain.errors import InvalidInput
from missiondesk.domain.ids import uuid7
from missiondesk.domain.markings import Sensitivity
from missiondesk.domain.overlay_formats import (
    FORMATS,
    OverlayError,
    read_overlay,
    shapes_from_json,
    shapes_to_json,
)
from missiondesk.domain.overlay_geometry import Shape, bounds_of
from missiondesk.domain.records.layers import MAX_OVERLAY_BYTES, LayerKind, MapLayer
from missiondesk.services.audit import AuditEvent, AuditService
from missiondesk.services.records import RecordService, type_name, validate
from missiondesk.services.writer import OperationWriter
from missiondesk.store.connection import Connection
from missiondesk.store.layer_tiles import has_tiles, read_tile, write_tiles
from missiondesk.store.mbtiles import MBTilesError, MBTilesReader
from missiondesk.store.vault import Vault

MAX_OVERLAY_FILE = 64 * 1024 * 1024  # a GeoJSON / KML / GPX file read into memory
KINDS_TEXT = ".mbtiles, .geojson (or .json), .kml, .kmz and .gpx"


@dataclass(frozen=True)
class LayerInfo:
    id: str
    layer: MapLayer
    tiles_here: int  # tiles of a package held by this vault (0 for overlays and elsewhere)

    @property
    def name(self) -> str:
        return self.layer.name

    @property
    def has_content(self) -> bool:
        """Whether this vault can draw it: an overlay always, a package if its tiles are here."""
        return self.layer.kind is LayerKind.OVERLAY or self.tiles_here > 0

    def as_json(self) -> dict[str, Any]:
        layer = self.layer
        return {
            "id": self.id,
            "name": layer.name,
            "kind": layer.kind.value,
            "format": layer.format,
            "source": layer.source,
            "bounds": list(layer.bounds),
            "min_zoom": layer.min_zoom,
            "max_zoom": layer.max_zoom,
            "order": layer.order,
            "visible": layer.visible,
            "sensitivity": layer.sensitivity.value,
            "tiles": layer.tiles,
            "tiles_here": self.tiles_here,
            "features": layer.features,
            "drawable_here": self.has_content,
        }


def format_of(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix == ".mbtiles":
        return "mbtiles"
    fmt = FORMATS.get(suffix)
    if fmt is None:
        raise InvalidInput(
            f"{path.name} was not imported: MissionDesk imports {KINDS_TEXT} files as layers."
        )
    return fmt


def _refused(path: Path, problem: str) -> InvalidInput:
    return InvalidInput(f"{path.name} was not imported: {problem}. Nothing was added to the vault.")


class LayerService:
    def __init__(
        self, vault: Vault, records: RecordService, writer: OperationWriter, audit: AuditService
    ) -> None:
        self._vault = vault
        self._records = records
        self._writer = writer
        self._audit = audit

    # -- import -------------------------------------------------------------------------------

    def import_file(
        self,
        path: Path,
        *,
        name: str | None = None,
        sensitivity: Sensitivity = Sensitivity.UNCLASSIFIED,
    ) -> LayerInfo:
        """A layer from a file; `name` blank or None: the package's own name, else the file's."""
        name = (name or "").strip() or None
        fmt = format_of(path)
        if fmt == "mbtiles":
            info = self._import_package(path, name, sensitivity)
        else:
            info = self._import_overlay(path, fmt, name, sensitivity)
        self._audit.record(
            AuditEvent.IMPORTED,
            what="map layer",
            id=info.id,
            format=fmt,
            sensitivity=sensitivity.value,
        )
        return info

    def _next_order(self) -> int:
        return max((info.layer.order for info in self.layers()), default=-1) + 1

    def _import_package(self, path: Path, name: str | None, sensitivity: Sensitivity) -> LayerInfo:
        entity = uuid7()
        try:
            with MBTilesReader(path) as package:
                info = package.info
                layer = self._layer(
                    name or info.name or path.stem,
                    kind=LayerKind.TILES,
                    source=path.name,
                    format="mbtiles",
                    bounds=info.bounds,
                    min_zoom=info.min_zoom,
                    max_zoom=info.max_zoom,
                    tile_format=info.tile_format,
                    tiles=info.tiles,
                    origin=self._writer.author,
                    sensitivity=sensitivity,
                )

                def store_tiles(conn: Connection) -> None:
                    write_tiles(conn, entity, package.tiles())

                self._writer.submit_many([self._create(entity, layer)], alongside=store_tiles)
        except MBTilesError as exc:
            raise _refused(path, str(exc)) from None
        return LayerInfo(entity, layer, info.tiles)

    def _import_overlay(
        self, path: Path, fmt: str, name: str | None, sensitivity: Sensitivity
    ) -> LayerInfo:
        data = _read(path)
        try:
            shapes = read_overlay(fmt, data)
        except OverlayError as exc:
            raise _refused(path, str(exc)) from None
        content = shapes_to_json(shapes)
        if len(content) > MAX_OVERLAY_BYTES:
            raise _refused(
                path, f"its shapes take {len(content) // (1024 * 1024)} MB; a layer may hold 8 MB"
            )
        digest = hashlib.sha256(content).hexdigest()
        same = [i for i in self.layers() if i.layer.sha256 == digest]
        if same:
            raise _refused(path, f"its shapes are already the layer '{same[0].name}'")
        west, south, east, north = bounds_of(shapes)
        layer = self._layer(
            name or path.stem,
            kind=LayerKind.OVERLAY,
            source=path.name,
            format=fmt,
            bounds=(west, south, east, north),
            features=len(shapes),
            sha256=digest,
            size=len(content),
            sensitivity=sensitivity,
        )
        entity = uuid7()
        change = self._create(entity, layer)
        change[2]["data"] = base64.b64encode(content).decode("ascii")
        self._writer.submit_many([change])
        return LayerInfo(entity, layer, 0)

    def _layer(self, name: str, **fields: Any) -> MapLayer:
        return validate(
            MapLayer,
            {"name": name.strip()[:200] or "layer", "order": self._next_order(), **fields},
        )

    @staticmethod
    def _create(entity: str, layer: MapLayer) -> tuple[str, str, dict[str, Any]]:
        return f"{type_name(MapLayer)}.create", entity, {"fields": layer.model_dump(mode="json")}

    # -- reading ------------------------------------------------------------------------------

    def layers(self) -> list[LayerInfo]:
        """Every layer, bottom to top (by order, then oldest first)."""
        found = [
            LayerInfo(stored.id, layer, self._tiles_here(stored.id, layer))
            for stored, layer in self._records.list(MapLayer)
        ]
        return sorted(found, key=lambda info: info.layer.order)

    def _tiles_here(self, entity: str, layer: MapLayer) -> int:
        if layer.kind is not LayerKind.TILES:
            return 0
        return layer.tiles if has_tiles(self._vault.conn, entity) else 0

    def find(self, ref: str) -> LayerInfo:
        """A layer by id, by the start of its id (at least 8 characters) or by its name."""
        ref = ref.strip()
        layers = self.layers()
        matches = [i for i in layers if i.id == ref]
        by = "are called"
        if not matches and len(ref) >= 8:
            matches = [i for i in layers if i.id.startswith(ref)]
            by = "have ids starting with"
        if not matches:
            matches = [i for i in layers if i.name.casefold() == ref.casefold()]
            by = "are called"
        if not matches:
            raise InvalidInput(f"There is no map layer '{ref}'; `layer list` shows them.")
        if len(matches) > 1:
            raise InvalidInput(
                f"{len(matches)} map layers {by} '{ref}'; give more of the id (`layer list`)."
            )
        return matches[0]

    def tile(self, layer_id: str, z: int, x: int, y: int) -> bytes | None:
        """A tile's image bytes (XYZ row), or None where the package has none."""
        return read_tile(self._vault.conn, layer_id, z, x, y)

    def shapes(self, layer_id: str) -> list[Shape]:
        layer = self._records.get(MapLayer, layer_id)
        if layer.kind is not LayerKind.OVERLAY:
            return []
        data = self._vault.reads.blob(layer.sha256)
        if data is None:
            raise InvalidInput(f"The content of the layer {layer.name} has not arrived yet.")
        if hashlib.sha256(data).hexdigest() != layer.sha256:
            raise InvalidInput(f"The content of the layer {layer.name} is damaged in this vault.")
        try:
            return shapes_from_json(data)
        except OverlayError:
            raise InvalidInput(
                f"The content of the layer {layer.name} is damaged in this vault."
            ) from None

    # -- removing -----------------------------------------------------------------------------

    def remove(self, ref: str) -> LayerInfo:
        """Delete the layer (the record, for every laptop); folding the delete removes its
        tiles in the same commit, here and in every vault that holds them."""
        info = self.find(ref)
        self._writer.submit(f"{type_name(MapLayer)}.delete", info.id, {})
        return info


def _read(path: Path) -> bytes:
    try:
        if path.is_dir():
            raise _refused(path, "it is a folder, not a file")
        if path.stat().st_size > MAX_OVERLAY_FILE:
            raise _refused(path, f"it is larger than {MAX_OVERLAY_FILE // (1024 * 1024)} MB")
        return path.read_bytes()
    except FileNotFoundError:
        raise InvalidInput(f"{path} does not exist.") from None
    except PermissionError:
        raise _refused(path, "it cannot be read (permission denied)") from None
    except OSError as exc:
        raise _refused(path, f"it cannot be read ({exc.strerror})") from None
