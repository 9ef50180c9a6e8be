"""The imported layers on one MapView: tile packages and overlays as graphics items, shown,
hidden and ordered as the layer panel says, tiles fetched as the view needs them.

Layers and their shapes are read on the vault thread (`read_layers`); the tiles the view
needs and the cache lacks are read and decoded there too, a batch at a time, and drawn when
they arrive. In `map render` (no event loop to wait on) `load_tiles_now` reads them directly.
Which layers are shown and their order belong to this view: the panel starts from each
record's order and visible-by-default, and changes nothing in the vault."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QObject, QTimer, Signal

from missiondesk.domain.markings import Sensitivity
from missiondesk.domain.overlay_geometry import Shape
from missiondesk.domain.records.layers import LayerKind
from missiondesk.services.layers import LayerInfo
from missiondesk.services.session import Session
from missiondesk.ui.map.overlay_layer import COLOURS, OVERLAY_Z, OverlayItem
from missiondesk.ui.map.tile_layer import TILES_Z, TileLayerItem
from missiondesk.ui.map.tiles import TileCache, TileKey, decode_tile
from missiondesk.ui.map.view import MapView
from missiondesk.ui.tasks import TaskRunner

LayerItem = TileLayerItem | OverlayItem
Tiles = list[tuple[TileKey, object]]  # (key, QImage or None)


@dataclass(frozen=True)
class LayerEntry:
    info: LayerInfo
    shapes: tuple[Shape, ...] = ()
    problem: str = ""  # why it cannot be drawn here ("" if it can)


def read_layers(session: Session, drawn: frozenset[str] = frozenset()) -> list[LayerEntry]:
    """Every layer bottom to top, with an overlay's shapes unless it is `drawn` already (runs
    on the vault thread)."""
    from missiondesk.domain.errors import MissionDeskError

    entries = []
    for info in session.layers.layers():
        if not info.has_content:
            entries.append(LayerEntry(info, problem="tiles not in this vault"))
            continue
        if info.id in drawn:
            entries.append(LayerEntry(info))
            continue
        try:
            entries.append(LayerEntry(info, tuple(session.layers.shapes(info.id))))
        except MissionDeskError as exc:
            entries.append(LayerEntry(info, problem=exc.message))
    return entries


def read_tiles(session: Session, keys: list[TileKey]) -> Tiles:
    """Tiles read from the vault and decoded (runs on the vault thread)."""
    return [(key, decode_tile(session.layers.tile(*key))) for key in keys]


class MapLayers(QObject):
    changed = Signal()  # the layers, their order or visibility changed

    def __init__(self, view: MapView, session: Session, tasks: TaskRunner | None = None) -> None:
        super().__init__(view)
        self._view = view
        self._session = session
        self._tasks = tasks
        self.cache = TileCache()
        self.entries: list[LayerEntry] = []  # bottom to top, as shown
        self.items: dict[str, LayerItem] = {}
        self.visible: dict[str, bool] = {}
        self._in_flight: set[TileKey] = set()
        self._closed = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(30)
        self._timer.timeout.connect(self.fetch_tiles)
        view.view_changed.connect(self._timer.start)

    # -- layers --------------------------------------------------------------------------------

    def set_layers(self, entries: list[LayerEntry]) -> None:
        """Replace the layers with these (kept in the order the officer set for known ones)."""
        known = [e.info.id for e in self.entries]
        fresh = {e.info.id: e for e in entries}
        ordered = [fresh.pop(i) for i in known if i in fresh]
        ordered += [e for e in entries if e.info.id in fresh]
        kept = {e.info.id for e in ordered}
        for layer_id, old in list(self.items.items()):
            if layer_id not in kept:
                self._view.box.removeItem(old)
                del self.items[layer_id]
                self.visible.pop(layer_id, None)
                self.cache.drop_layer(layer_id)
        for number, entry in enumerate(ordered):
            layer = entry.info.layer
            if entry.info.id in self.items or entry.problem:
                continue
            item: LayerItem
            if layer.kind is LayerKind.TILES:
                zooms = (layer.min_zoom, layer.max_zoom)
                item = TileLayerItem(entry.info.id, layer.bounds, zooms, self.cache)
            else:
                item = OverlayItem(entry.info.id, entry.shapes, COLOURS[number % len(COLOURS)])
            self.items[entry.info.id] = item
            self.visible.setdefault(entry.info.id, layer.visible)
            self._view.box.addItem(item, ignoreBounds=True)
        self.entries = ordered
        self._restack()
        self.fetch_tiles()

    def set_visible(self, layer_id: str, shown: bool) -> None:
        self.visible[layer_id] = shown
        self._restack()
        self.fetch_tiles()

    def move(self, layer_id: str, step: int) -> None:
        """Up (+1, drawn later, on top) or down (-1) one place."""
        ids = [e.info.id for e in self.entries]
        if layer_id not in ids:
            return
        at = ids.index(layer_id)
        to = min(max(at + step, 0), len(ids) - 1)
        entry = self.entries.pop(at)
        self.entries.insert(to, entry)
        self._restack()

    def _restack(self) -> None:
        for number, entry in enumerate(self.entries):
            item = self.items.get(entry.info.id)
            if item is None:
                continue
            base = TILES_Z if isinstance(item, TileLayerItem) else OVERLAY_Z
            item.setZValue(base + number / 1000)
            item.setVisible(self.visible.get(entry.info.id, True))
        self.changed.emit()

    def shown_sensitivity(self) -> Sensitivity:
        """The highest sensitivity of the layers shown (for an export's marking)."""
        levels = [
            e.info.layer.sensitivity
            for e in self.entries
            if e.info.id in self.items and self.visible.get(e.info.id, False)
        ]
        return max(levels, key=lambda s: s.rank, default=Sensitivity.UNCLASSIFIED)

    # -- tiles ---------------------------------------------------------------------------------

    def _wanted(self) -> list[TileKey]:
        box, zoom = self._view.visible_box(), self._view.zoom
        wanted: list[TileKey] = []
        for layer_id, item in self.items.items():
            if isinstance(item, TileLayerItem) and self.visible.get(layer_id, False):
                item.wanted(box, zoom)
                wanted += [k for k in item.missing() if k not in self._in_flight]
        return wanted

    def fetch_tiles(self) -> None:
        """Ask the vault thread for the tiles the view lacks (one batch; more follow)."""
        if self._closed or self._tasks is None:
            return
        keys = self._wanted()
        if not keys:
            self._update_tiles()
            return
        self._in_flight.update(keys)
        session = self._session
        self._tasks.run(
            "read map tiles",
            lambda: read_tiles(session, keys),
            self._on_tiles,
            lambda _failure: self._in_flight.difference_update(keys),
        )
        self._update_tiles()

    def _on_tiles(self, tiles: Tiles) -> None:
        for key, image in tiles:
            self._in_flight.discard(key)
            if not self._closed:
                self.cache.put(key, image)  # type: ignore[arg-type]
        self._update_tiles()

    def load_tiles_now(self) -> None:
        """Read the tiles the view needs on this thread (for `map render`)."""
        keys = self._wanted()
        for key, image in read_tiles(self._session, keys):
            self.cache.put(key, image)  # type: ignore[arg-type]
        self._update_tiles()

    def _update_tiles(self) -> None:
        for item in self.items.values():
            if isinstance(item, TileLayerItem):
                item.update()

    def tiles_pending(self) -> bool:
        return bool(self._in_flight)

    def clear(self) -> None:
        """At lock: nothing more is read, and nothing stays on screen or in memory."""
        self._closed = True
        self._timer.stop()
        for item in self.items.values():
            self._view.box.removeItem(item)
        self.items.clear()
        self.entries = []
        self.cache.clear()
