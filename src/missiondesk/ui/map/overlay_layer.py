"""A vector overlay on the map: lines and areas as one path each in projected metres, drawn
with cosmetic pens, and points as dots in screen pixels."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from missiondesk.domain.overlay_geometry import Shape
from missiondesk.domain.web_mercator import project

OVERLAY_Z = 0.0  # over tiles and place names, under the markers (10)
# One colour per layer, in the order they are added (readable on land and water alike).
COLOURS = ("#d9480f", "#5f3dc4", "#0b7285", "#c2255c", "#2b8a3e", "#e67700")
POINT_RADIUS = 4.0


def _point(lon: float, lat: float) -> QPointF:
    x, y = project(lat, lon)
    return QPointF(x, y)


class OverlayItem(QGraphicsItem):
    def __init__(self, layer_id: str, shapes: Sequence[Shape], colour: str) -> None:
        super().__init__()
        self.layer_id = layer_id
        self.colour = QColor(colour)
        self._lines = QPainterPath()
        self._areas = QPainterPath()
        self._areas.setFillRule(Qt.FillRule.OddEvenFill)
        self.points: list[QPointF] = []
        for shape in shapes:
            if shape.type == "Point":
                self.points.append(_point(*shape.parts[0][0]))
                continue
            path = self._lines if shape.type == "LineString" else self._areas
            for part in shape.parts:
                path.moveTo(_point(*part[0]))
                for lon, lat in part[1:]:
                    path.lineTo(_point(lon, lat))
                if shape.type == "Polygon":
                    path.closeSubpath()
        box = self._lines.boundingRect().united(self._areas.boundingRect())
        for point in self.points:
            box = box.united(QRectF(point, point))
        self._box = box.adjusted(-1.0, -1.0, 1.0, 1.0)
        self.setZValue(OVERLAY_Z)

    def boundingRect(self) -> QRectF:
        # Points are drawn in pixels around their place, so the box grows with the zoom out.
        return QRectF(-2.1e7, -2.1e7, 4.2e7, 4.2e7) if self.points else self._box

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionGraphicsItem,
        widget: QWidget | None = None,
    ) -> None:
        pen = QPen(self.colour, 2.0)
        pen.setCosmetic(True)
        painter.setPen(pen)
        fill = QColor(self.colour)
        fill.setAlpha(70)
        painter.setBrush(QBrush(fill))
        painter.drawPath(self._areas)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(self._lines)
        if not self.points:
            return
        to_device = painter.transform()
        painter.save()
        painter.resetTransform()
        painter.setPen(QPen(QColor("#ffffff"), 1.5))
        painter.setBrush(QBrush(self.colour))
        for point in self.points:
            painter.drawEllipse(to_device.map(point), POINT_RADIUS, POINT_RADIUS)
        painter.restore()
