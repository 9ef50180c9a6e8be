"""Drawing on the map: a point, an outpost, a route, an area or a no-go zone, with the mouse
or the keyboard. A click adds a vertex (a point or an outpost is one click), Space adds one at
the centre of the view (pan with the arrows), Backspace removes the last, Enter or a
double-click finishes, Esc cancels. The tool only collects positions: `finished` hands them
on, (lat, lon) each, and the caller names and stores the feature."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QPointF, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPen,
    QPolygonF,
    QTransform,
)

from missiondesk.domain.records.mapping import FeatureKind
from missiondesk.domain.web_mercator import project, unproject
from missiondesk.services.map_features import AREA_KINDS, Position
from missiondesk.ui.map.feature_layer import COLOURS
from missiondesk.ui.map.screen_layer import ScreenLayer
from missiondesk.ui.map.view import MapView

DRAFT_Z = 20.0  # over everything
SAME_PX = 3.0  # a click this close to the last vertex adds none (the second of a double-click)
SINGLE = frozenset({FeatureKind.POINT, FeatureKind.OUTPOST})


class DraftItem(ScreenLayer):
    """What is being drawn: its vertices and the lines between them."""

    def __init__(self) -> None:
        super().__init__()
        self.kind = FeatureKind.ROUTE
        self.points: list[QPointF] = []  # projected metres
        self.setZValue(DRAFT_Z)

    def has_content(self) -> bool:
        return bool(self.points)

    def paint_screen(self, painter: QPainter, to_device: QTransform) -> None:
        screen = [to_device.map(p) for p in self.points]
        colour = QColor(COLOURS[self.kind])
        pen = QPen(colour, 2.0)
        pen.setStyle(Qt.PenStyle.DashLine)
        painter.setPen(pen)
        fill = QColor(colour)
        fill.setAlpha(40)
        if self.kind in AREA_KINDS and len(screen) >= 3:
            painter.setBrush(QBrush(fill))
            painter.drawPolygon(QPolygonF(screen))
        elif len(screen) >= 2:
            painter.drawPolyline(QPolygonF(screen))
        painter.setPen(QPen(colour, 2.0))
        painter.setBrush(QBrush(QColor("#ffffff")))
        for point in screen:
            painter.drawEllipse(point, 4.0, 4.0)


class DrawingTool(QObject):
    """Collects the vertices of one feature at a time on a MapView."""

    finished = Signal(object, list)  # FeatureKind, [(lat, lon), ...]
    changed = Signal()  # started, a vertex added or removed, finished or cancelled

    def __init__(self, view: MapView) -> None:
        super().__init__(view)
        self._view = view
        self.kind: FeatureKind | None = None
        self.draft = DraftItem()
        self.draft.hide()
        view.box.addItem(self.draft, ignoreBounds=True)
        self._pressed = False
        view.installEventFilter(self)
        view.viewport().installEventFilter(self)

    @property
    def active(self) -> bool:
        return self.kind is not None

    @property
    def positions(self) -> list[Position]:
        return [unproject(p.x(), p.y()) for p in self.draft.points]

    def start(self, kind: FeatureKind) -> None:
        self.kind = kind
        self.draft.kind = kind
        self.draft.points = []
        self.draft.show()
        self.draft.update()
        self._view.viewport().setCursor(Qt.CursorShape.CrossCursor)
        self._view.setFocus()
        self.changed.emit()

    def cancel(self) -> None:
        self.kind = None
        self.draft.points = []
        self.draft.hide()
        self._view.viewport().unsetCursor()
        self.changed.emit()

    def add(self, lat: float, lon: float) -> None:
        x, y = project(lat, lon)
        self._add(QPointF(x, y))

    def add_at_centre(self) -> None:
        self.add(*self._view.centre)

    def remove_last(self) -> None:
        if self.draft.points:
            self.draft.points.pop()
            self.draft.update()
            self.changed.emit()

    def finish(self) -> None:
        if self.kind is None:
            return
        kind, positions = self.kind, self.positions
        self.cancel()
        self.finished.emit(kind, positions)

    def _add(self, point: QPointF) -> None:
        if self.kind is None:
            return
        if self.draft.points and self._close_to_last(point):
            return
        self.draft.points.append(point)
        self.draft.update()
        self.changed.emit()
        if self.kind in SINGLE:
            self.finish()

    def _close_to_last(self, point: QPointF) -> bool:
        a, b = self._to_screen(self.draft.points[-1]), self._to_screen(point)
        return abs(a.x() - b.x()) <= SAME_PX and abs(a.y() - b.y()) <= SAME_PX

    def _to_screen(self, point: QPointF) -> QPointF:
        view = self._view
        return QPointF(view.mapFromScene(view.box.mapViewToScene(point)))

    def _at(self, event: QMouseEvent) -> QPointF:
        view = self._view
        scene = view.mapToScene(event.position().toPoint())
        return QPointF(view.box.mapSceneToView(scene))

    # -- events --------------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if self.kind is None:
            return False
        kind = event.type()
        if kind == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            return self._key(event)
        if not isinstance(event, QMouseEvent) or event.button() not in (
            Qt.MouseButton.LeftButton,
            Qt.MouseButton.NoButton,
        ):
            return False
        if kind == QEvent.Type.MouseButtonPress:
            self._pressed = True
            return True
        if kind == QEvent.Type.MouseMove:
            return self._pressed  # no drag-to-pan while a vertex is being placed
        if kind == QEvent.Type.MouseButtonRelease:
            if self._pressed:
                self._pressed = False
                self._add(self._at(event))
            return True
        if kind == QEvent.Type.MouseButtonDblClick:
            self._pressed = False
            self._add(self._at(event))
            self.finish()
            return True
        return False

    def _key(self, event: QKeyEvent) -> bool:
        key = event.key()
        if key == Qt.Key.Key_Escape:
            self.cancel()
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.finish()
        elif key == Qt.Key.Key_Backspace:
            self.remove_last()
        elif key == Qt.Key.Key_Space:
            self.add_at_centre()
        else:
            return False  # arrows, + and - still pan and zoom
        event.accept()
        return True
