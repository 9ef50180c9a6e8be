"""Map features drawn on the map, styled by kind: a point as a dot, an outpost as a square
flag with its name, a route as a line, an area translucent blue and a no-go zone red,
translucent and hatched. All in one item, painted in screen pixels over projected positions;
the selected feature is drawn thicker with its vertices. `hit` finds what a click is on."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import pairwise

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QPainter, QPainterPath, QPen, QPolygonF, QTransform

from missiondesk.domain.records.mapping import FeatureKind
from missiondesk.domain.web_mercator import project
from missiondesk.services.map_features import AREA_KINDS, FeatureInfo
from missiondesk.ui.map.screen_layer import ScreenLayer, label_font

FEATURE_Z = 5.0  # over overlays (0), under incident markers (10)
HIT_PX = 8.0  # a click this close to a point or a line is on it
KIND_LABELS = {
    FeatureKind.POINT: "Point",
    FeatureKind.OUTPOST: "Outpost",
    FeatureKind.ROUTE: "Route",
    FeatureKind.AREA: "Area",
    FeatureKind.NO_GO: "No-go zone",
}
COLOURS = {
    FeatureKind.POINT: "#1864ab",
    FeatureKind.OUTPOST: "#087f5b",
    FeatureKind.ROUTE: "#5f3dc4",
    FeatureKind.AREA: "#1971c2",
    FeatureKind.NO_GO: "#e03131",
}

ToScreen = Callable[[QPointF], QPointF]


@dataclass(frozen=True)
class Shape:
    """Something drawn: its id, label, kind and projected positions (an area's ring open)."""

    id: str
    name: str
    kind: FeatureKind
    points: tuple[QPointF, ...]

    @property
    def closed(self) -> bool:
        return self.kind in AREA_KINDS

    @property
    def is_point(self) -> bool:
        return len(self.points) == 1


def projected(lat: float, lon: float) -> QPointF:
    x, y = project(lat, lon)
    return QPointF(x, y)


def shape_of(info: FeatureInfo) -> Shape:
    points = tuple(projected(lat, lon) for lat, lon in info.positions())
    return Shape(info.id, info.name, info.kind, points)


def _distance(p: QPointF, a: QPointF, b: QPointF) -> float:
    """From a point to a segment, in the units they are given in."""
    dx, dy = b.x() - a.x(), b.y() - a.y()
    length = dx * dx + dy * dy
    t = ((p.x() - a.x()) * dx + (p.y() - a.y()) * dy) / length if length else 0.0
    t = max(0.0, min(1.0, t))
    return math.hypot(p.x() - (a.x() + t * dx), p.y() - (a.y() + t * dy))


def hit(shapes: Sequence[Shape], to_screen: ToScreen, at: QPointF) -> str | None:
    """The id of the shape a click at `at` (viewport pixels) is on: the nearest point within
    HIT_PX, else the nearest line or outline within it, else the last area it is inside."""
    points: list[tuple[float, str]] = []
    lines: list[tuple[float, str]] = []
    inside: str | None = None
    for shape in shapes:
        screen = [to_screen(p) for p in shape.points]
        if shape.is_point:
            points.append((math.hypot(screen[0].x() - at.x(), screen[0].y() - at.y()), shape.id))
            continue
        ring = [*screen, screen[0]] if shape.closed else screen
        lines.append((min(_distance(at, a, b) for a, b in pairwise(ring)), shape.id))
        if shape.closed and QPolygonF(screen).containsPoint(at, Qt.FillRule.OddEvenFill):
            inside = shape.id
    for found in (points, lines):
        near = [f for f in found if f[0] <= HIT_PX]
        if near:
            return min(near)[1]
    return inside


class FeaturesItem(ScreenLayer):
    """Every map feature, drawn in pixels so lines, hatching and names stay crisp."""

    def __init__(self) -> None:
        super().__init__()
        self.shapes: list[Shape] = []
        self.selected: str | None = None
        self._font = label_font()
        self.setZValue(FEATURE_Z)

    def set_shapes(self, shapes: Sequence[Shape]) -> None:
        self.shapes = list(shapes)
        if self.selected not in {s.id for s in self.shapes}:
            self.selected = None
        self.update()

    def select(self, feature_id: str | None) -> None:
        self.selected = feature_id
        self.update()

    def has_content(self) -> bool:
        return bool(self.shapes)

    def paint_screen(self, painter: QPainter, to_device: QTransform) -> None:
        painter.setFont(self._font)
        # areas under lines under points, the selected one over its kind
        order = sorted(self.shapes, key=lambda s: (s.is_point, not s.closed, s.id == self.selected))
        for shape in order:
            draw_shape(
                painter, shape, [to_device.map(p) for p in shape.points], shape.id == self.selected
            )


def draw_shape(painter: QPainter, shape: Shape, screen: list[QPointF], selected: bool) -> None:
    colour = QColor(COLOURS[shape.kind])
    pen = QPen(colour, 3.5 if selected else 2.0)
    if shape.is_point:
        at = screen[0]
        painter.setPen(QPen(QColor("#ffffff"), 2.0 if selected else 1.5))
        painter.setBrush(QBrush(colour))
        if shape.kind is FeatureKind.OUTPOST:
            size = 7.0 if selected else 6.0
            painter.drawRect(QRectF(at.x() - size, at.y() - size, 2 * size, 2 * size))
            painter.setPen(QPen(QColor("#ffffff"), 2.0))
            painter.drawLine(QPointF(at.x() - 3, at.y()), QPointF(at.x() + 3, at.y()))
            painter.drawLine(QPointF(at.x(), at.y() - 3), QPointF(at.x(), at.y() + 3))
        else:
            painter.drawEllipse(at, 6.0 if selected else 5.0, 6.0 if selected else 5.0)
        label(painter, QPointF(at.x() + 9, at.y() + 4), shape.name, colour)
        return
    path = QPainterPath()
    path.addPolygon(QPolygonF(screen))
    if shape.closed:
        path.closeSubpath()
        fill = QColor(colour)
        fill.setAlpha(60 if shape.kind is FeatureKind.NO_GO else 45)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QBrush(fill))
        painter.drawPath(path)
        if shape.kind is FeatureKind.NO_GO:
            hatch = QBrush(colour, Qt.BrushStyle.BDiagPattern)
            painter.setBrush(hatch)
            painter.drawPath(path)
    else:
        pen.setStyle(Qt.PenStyle.DashLine)
    painter.setPen(pen)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawPath(path)
    if selected:
        painter.setPen(QPen(colour, 1.5))
        painter.setBrush(QBrush(QColor("#ffffff")))
        for point in screen:
            painter.drawEllipse(point, 3.5, 3.5)
    centre = path.boundingRect().center() if shape.closed else screen[len(screen) // 2]
    label(painter, QPointF(centre.x() + 6, centre.y() - 6), shape.name, colour)


def label(painter: QPainter, at: QPointF, text: str, colour: QColor) -> None:
    """A name with a white halo, readable over land, water and tiles."""
    path = QPainterPath()
    path.addText(at, painter.font(), text)
    painter.setPen(QPen(QColor(255, 255, 255, 220), 3.0))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawPath(path)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QBrush(colour.darker(130)))
    painter.drawPath(path)
