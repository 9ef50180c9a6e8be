"""An MBTiles layer on the map: the tiles of the zoom that fits the view, drawn from the
in-memory cache. Which tiles the view needs is asked with `wanted`; the layer's owner fetches
the missing ones (on the vault thread) and calls `update()` when they are cached."""

from __future__ import annotations

import math

from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from missiondesk.domain.web_mercator import HALF_WORLD, Tile, project, tile_rect, tiles_covering
from missiondesk.ui.map.tiles import TileCache, TileKey

TILES_Z = -8.0  # over the land (-10), under place names (-5), overlays and markers
MAX_TILES_IN_VIEW = 160  # far below the package's zooms, it is not drawn


class TileLayerItem(QGraphicsItem):
    def __init__(
        self,
        layer_id: str,
        bounds: tuple[float, float, float, float],
        zooms: tuple[int, int],
        cache: TileCache,
    ) -> None:
        super().__init__()
        self.layer_id = layer_id
        west, south, east, north = bounds
        self._left, self._bottom = project(south, west)
        self._right, self._top = project(north, east)
        self._zooms = zooms
        self._cache = cache
        self._shown: list[TileKey] = []  # what the view needs now (set by `wanted`)
        self.drawn: list[TileKey] = []  # the tiles painted last time (tests read it)

    def zoom_for(self, view_zoom: float) -> int:
        """The package's zoom to draw at a view zoom: the nearest, within its range."""
        low, high = self._zooms
        return min(max(math.floor(view_zoom + 0.5), low), high)

    def wanted(self, box: tuple[float, float, float, float], view_zoom: float) -> list[TileKey]:
        """The tiles a view of `box` (left, bottom, right, top in projected metres) needs."""
        left, bottom, right, top = box
        left, right = max(left, self._left), min(right, self._right)
        bottom, top = max(bottom, self._bottom), min(top, self._top)
        if left >= right or bottom >= top:
            self._shown = []
            return []
        z = self.zoom_for(view_zoom)
        side = 2 * HALF_WORLD / (1 << z)
        count = math.ceil((right - left) / side + 1) * math.ceil((top - bottom) / side + 1)
        if count > MAX_TILES_IN_VIEW:
            self._shown = []
            return []
        self._shown = [
            (self.layer_id, t.z, t.x, t.y) for t in tiles_covering(left, bottom, right, top, z)
        ]
        return list(self._shown)

    def missing(self) -> list[TileKey]:
        return [key for key in self._shown if key not in self._cache]

    def boundingRect(self) -> QRectF:
        return QRectF(
            QPointF(self._left, self._bottom), QPointF(self._right, self._top)
        ).normalized()

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionGraphicsItem,
        widget: QWidget | None = None,
    ) -> None:
        self.drawn = []
        to_device = painter.transform()
        painter.save()
        painter.resetTransform()
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
        for key in self._shown:
            image = self._cache.get(key)
            if image is None:
                continue
            left, bottom, right, top = tile_rect(Tile(key[1], key[2], key[3]))
            target = to_device.mapRect(QRectF(QPointF(left, bottom), QPointF(right, top)))
            painter.drawImage(target, image)
            self.drawn.append(key)
        painter.restore()
