"""The world basemap as graphics items: every country in one filled path, and the populated
places as dots with names drawn at screen size (only from a zoom where they fit, and never
one name over another)."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetricsF, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QGraphicsItem, QGraphicsPathItem, QStyleOptionGraphicsItem, QWidget

from missiondesk.domain.web_mercator import project_arrays
from missiondesk.services.basemap import Basemap
from missiondesk.ui.map.screen_layer import world_rect
from missiondesk.ui.map.style import BORDER, LAND, PLACE

PLACES_FROM_ZOOM = 3.0  # the world 2,048 px wide: names of a region's cities fit
DOT = 2.5


def land_path(basemap: Basemap) -> QPainterPath:
    """All countries' rings in one path (odd-even fill: holes such as Lesotho stay holes)."""
    rings = [ring for country in basemap.countries for ring in country.rings]
    points = np.concatenate(rings)
    x, y = project_arrays(points[:, 1], points[:, 0])
    connect = np.ones(len(points), dtype=np.int32)
    ends = np.cumsum([len(r) for r in rings]) - 1
    connect[ends] = 0  # no line from one ring's last point to the next ring's first
    path: QPainterPath = pg.arrayToQPath(x, y, connect=connect)
    path.setFillRule(Qt.FillRule.OddEvenFill)
    return path


class LandItem(QGraphicsPathItem):
    def __init__(self, basemap: Basemap) -> None:
        super().__init__(land_path(basemap))
        pen = QPen(QColor(BORDER), 1.0)
        pen.setCosmetic(True)  # one pixel at every zoom
        self.setPen(pen)
        self.setBrush(QBrush(QColor(LAND)))
        self.setZValue(-10)


class PlaceLabels(QGraphicsItem):
    """The populated places: dots and names in screen pixels over projected positions."""

    def __init__(self, basemap: Basemap) -> None:
        super().__init__()
        lat = [p.lat for p in basemap.places]
        lon = [p.lon for p in basemap.places]
        x, y = project_arrays(lat, lon)
        self._places = [
            (QPointF(float(px), float(py)), place.name)
            for px, py, place in zip(x, y, basemap.places, strict=True)
        ]
        self.zoom = 0.0  # set by the view as it zooms
        self._font = QFont()
        self._font.setPointSizeF(8.0)
        self._metrics = QFontMetricsF(self._font)
        self.setZValue(-5)
        self.drawn: list[str] = []  # the names painted last time (tests read it)

    def boundingRect(self) -> QRectF:
        return world_rect()

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionGraphicsItem,
        widget: QWidget | None = None,
    ) -> None:
        self.drawn = []
        if self.zoom < PLACES_FROM_ZOOM:
            return
        to_device = painter.transform()
        device = painter.viewport() if widget is None else QRectF(widget.rect()).toRect()
        area = QRectF(device)
        painter.save()
        painter.resetTransform()
        painter.setFont(self._font)
        painter.setPen(QPen(QColor(PLACE)))
        painter.setBrush(QBrush(QColor(PLACE)))
        taken: list[QRectF] = []
        height = self._metrics.height()
        for position, name in self._places:
            at = to_device.map(position)
            if not area.contains(at):
                continue
            box = QRectF(at.x() + DOT + 2, at.y() - height / 2, 0, height)
            box.setWidth(self._metrics.horizontalAdvance(name))
            if any(box.intersects(other) for other in taken):
                painter.drawEllipse(at, DOT / 2, DOT / 2)  # the place, without its name
                continue
            taken.append(box)
            painter.drawEllipse(at, DOT, DOT)
            painter.drawText(box, Qt.AlignmentFlag.AlignVCenter, name)
            self.drawn.append(name)
        painter.restore()
