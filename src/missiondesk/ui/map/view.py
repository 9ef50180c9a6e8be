"""`MapView`: the world in Web Mercator metres on a pyqtgraph ViewBox (no web engine).

Drag to pan and the wheel to zoom (pyqtgraph's own), or the keyboard: arrows pan by a quarter
of the view, + and - zoom by two. The view keeps its centre and zoom when resized. Incident
markers are one ScatterPlotItem (shape by category, colour and size by severity); a click on
one emits `marker_clicked(id)`. The scale bar and the credit are drawn over the viewport in
`drawForeground`, so a grab of the widget (the PNG export) carries them.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QKeyEvent, QPainter, QPen, QResizeEvent
from PySide6.QtWidgets import QWidget

from missiondesk.domain.scale_bar import ScaleBar, nice_scale
from missiondesk.domain.web_mercator import (
    HALF_WORLD,
    MAX_ZOOM,
    project,
    projected_per_pixel,
    unproject,
    zoom_for,
)
from missiondesk.services.basemap import Basemap
from missiondesk.ui.map.basemap_layer import LandItem, PlaceLabels
from missiondesk.ui.map.markers import Markers
from missiondesk.ui.map.style import MARKER_OUTLINE, WATER, colour_for, size_for, symbol_for

MIN_ZOOM = 0.5
TOP_ZOOM = 19.0  # a street; beyond it the basemap and markers say nothing more
SCALE_BAR_PX = 120
FIT_MAX_ZOOM = 10.0  # one incident alone is shown with its district around it
CREDIT = "Natural Earth"


class MapView(pg.GraphicsView):  # type: ignore[misc]  # pyqtgraph has no type hints
    """The map canvas. Give it a basemap and markers; ask it to show a place at a zoom."""

    marker_clicked = Signal(str)  # an incident id
    cursor_moved = Signal(float, float)  # lat, lon under the mouse
    view_changed = Signal()  # panned or zoomed

    def __init__(self, parent: QWidget | None = None) -> None:
        self._ready = False
        super().__init__(parent, background=WATER)
        self.setAccessibleName("Map")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.box = pg.ViewBox(enableMenu=False, defaultPadding=0.0)
        self.box.setAspectLocked(True, ratio=1.0)
        self.box.setLimits(minXRange=100.0, maxXRange=2.4 * HALF_WORLD)
        self.setCentralItem(self.box)
        self.land: LandItem | None = None
        self.places: PlaceLabels | None = None
        self.markers = pg.ScatterPlotItem(pxMode=True, pen=pg.mkPen(MARKER_OUTLINE, width=1))
        self.markers.setZValue(10)
        self.markers.sigClicked.connect(self._on_markers_clicked)
        self.box.addItem(self.markers)
        self.marker_ids: tuple[str, ...] = ()
        self._centre = (0.0, 0.0)  # projected metres
        self._zoom = 1.0
        self._applying = False
        self.box.sigRangeChanged.connect(self._on_range_changed)
        self.scene().sigMouseMoved.connect(self._on_mouse_moved)
        self._ready = True

    # -- content -------------------------------------------------------------------------------

    def set_basemap(self, basemap: Basemap) -> None:
        for item in (self.land, self.places):
            if item is not None:
                self.box.removeItem(item)
        self.land = LandItem(basemap)
        self.places = PlaceLabels(basemap)
        self.places.zoom = self._zoom
        self.box.addItem(self.land, ignoreBounds=True)
        self.box.addItem(self.places, ignoreBounds=True)

    def set_markers(self, markers: Markers) -> None:
        """Replace every incident marker at once."""
        self.marker_ids = markers.ids
        if not len(markers):
            self.markers.clear()
            return
        styles: dict[tuple[str, int], tuple[Any, float]] = {}
        brushes: list[Any] = []
        sizes = np.empty(len(markers))
        symbols: list[str] = []
        for i, (category, severity) in enumerate(
            zip(markers.categories, markers.severities, strict=True)
        ):
            key = (category, severity)
            if key not in styles:
                styles[key] = (pg.mkBrush(colour_for(severity)), size_for(severity))
            brush, size = styles[key]
            brushes.append(brush)
            sizes[i] = size
            symbols.append(symbol_for(category))
        self.markers.setData(
            x=markers.x,
            y=markers.y,
            data=np.arange(len(markers)),
            brush=brushes,
            size=sizes,
            symbol=symbols,
        )

    # -- where the view is ---------------------------------------------------------------------

    @property
    def zoom(self) -> float:
        return self._zoom

    @property
    def centre(self) -> tuple[float, float]:
        """(lat, lon) at the middle of the view."""
        return unproject(*self._centre)

    def visible_box(self) -> tuple[float, float, float, float]:
        """(left, bottom, right, top) of the view in projected metres."""
        (left, right), (bottom, top) = self.box.viewRange()
        return float(left), float(bottom), float(right), float(top)

    def projected_per_pixel(self) -> float:
        return projected_per_pixel(self._zoom)

    def ground_metres_per_pixel(self) -> float:
        lat, _lon = self.centre
        return self.projected_per_pixel() * math.cos(math.radians(lat))

    def show_place(self, lat: float, lon: float, zoom: float | None = None) -> None:
        """Centre on a point, at `zoom` (the present zoom if None)."""
        self._centre = project(lat, lon)
        if zoom is not None:
            self._zoom = min(max(zoom, MIN_ZOOM), TOP_ZOOM, MAX_ZOOM)
        self._apply()

    def show_box(self, left: float, bottom: float, right: float, top: float) -> None:
        """Fit a box of projected metres (the markers' extent), at most at FIT_MAX_ZOOM."""
        width, height = self._pixels()
        span = max((right - left) / width, (top - bottom) / height, 1e-9)
        self._centre = ((left + right) / 2, (bottom + top) / 2)
        self._zoom = min(max(zoom_for(span * 1.2), MIN_ZOOM), FIT_MAX_ZOOM)
        self._apply()

    def fit_world(self) -> None:
        width, _height = self._pixels()
        self._centre = (0.0, 0.0)
        self._zoom = max(zoom_for(2 * HALF_WORLD / width), MIN_ZOOM)
        self._apply()

    def scale_bar(self) -> ScaleBar | None:
        try:
            return nice_scale(SCALE_BAR_PX, self.ground_metres_per_pixel())
        except ValueError:
            return None

    def _pixels(self) -> tuple[float, float]:
        size = self.box.size()  # the ViewBox fills the viewport
        return max(size.width(), 1.0), max(size.height(), 1.0)

    def _apply(self) -> None:
        width, height = self._pixels()
        ppp = projected_per_pixel(self._zoom)
        x, y = self._centre
        self._applying = True
        try:
            self.box.setRange(
                xRange=(x - width * ppp / 2, x + width * ppp / 2),
                yRange=(y - height * ppp / 2, y + height * ppp / 2),
                padding=0.0,
            )
        finally:
            self._applying = False
        self._after_change()

    def _on_range_changed(self, *_args: object) -> None:
        if self._applying:
            return
        (left, right), (bottom, top) = self.box.viewRange()
        width, _height = self._pixels()
        self._centre = ((left + right) / 2, (bottom + top) / 2)
        self._zoom = zoom_for((right - left) / width)
        self._after_change()

    def _after_change(self) -> None:
        if self.places is not None:
            self.places.zoom = self._zoom
        self.viewport().update()
        self.view_changed.emit()

    def resizeEvent(self, event: QResizeEvent | None) -> None:
        self._applying = True  # the ViewBox's own adjustment to the new size is not a pan
        try:
            super().resizeEvent(event)
        finally:
            self._applying = False
        if self._ready:  # pyqtgraph resizes while __init__ is still building
            self._apply()  # keep the centre and the zoom

    # -- keyboard and mouse --------------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        width, height = self._pixels()
        step = projected_per_pixel(self._zoom) / 4
        moves = {
            Qt.Key.Key_Left: (-width * step, 0.0),
            Qt.Key.Key_Right: (width * step, 0.0),
            Qt.Key.Key_Up: (0.0, height * step),
            Qt.Key.Key_Down: (0.0, -height * step),
        }
        if key in moves:
            dx, dy = moves[Qt.Key(key)]
            self._centre = (self._centre[0] + dx, self._centre[1] + dy)
            self._apply()
        elif key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            self.show_place(*self.centre, zoom=self._zoom + 1)
        elif key in (Qt.Key.Key_Minus, Qt.Key.Key_Underscore):
            self.show_place(*self.centre, zoom=self._zoom - 1)
        else:
            super().keyPressEvent(event)
            return
        event.accept()

    def _on_mouse_moved(self, scene_pos: QPointF) -> None:
        point = self.box.mapSceneToView(scene_pos)
        lat, lon = unproject(point.x(), point.y())
        if -90 <= lat <= 90 and -180 <= lon <= 180:
            self.cursor_moved.emit(lat, lon)

    def _on_markers_clicked(self, _item: object, points: Any, _event: object) -> None:
        if len(points):
            index = int(points[-1].data())  # the one drawn on top
            self.marker_clicked.emit(self.marker_ids[index])

    def screen_point(self, lat: float, lon: float) -> QPointF:
        """Where a place is drawn, in the viewport's pixels (tests click there)."""
        x, y = project(lat, lon)
        return QPointF(self.mapFromScene(self.box.mapViewToScene(QPointF(x, y))))

    # -- overlay and export --------------------------------------------------------------------

    def drawForeground(self, painter: QPainter, rect: QRectF | Any) -> None:
        super().drawForeground(painter, rect)
        painter.save()
        painter.resetTransform()
        height = self.viewport().height()
        width = self.viewport().width()
        bar = self.scale_bar()
        ink = QColor("#202020")
        if bar is not None:
            length = bar.pixels(self.ground_metres_per_pixel())
            x0, y0 = 12.0, height - 14.0
            painter.setPen(QPen(QColor(255, 255, 255, 200), 5))
            painter.drawLine(QPointF(x0, y0), QPointF(x0 + length, y0))
            painter.setPen(QPen(ink, 2))
            painter.drawLine(QPointF(x0, y0), QPointF(x0 + length, y0))
            painter.drawLine(QPointF(x0, y0 - 5), QPointF(x0, y0 + 2))
            painter.drawLine(QPointF(x0 + length, y0 - 5), QPointF(x0 + length, y0 + 2))
            painter.drawText(QPointF(x0, y0 - 7), bar.label)
        painter.setPen(QPen(QColor("#505050")))
        metrics = painter.fontMetrics()
        painter.drawText(
            QPointF(width - metrics.horizontalAdvance(CREDIT) - 8, height - 6.0), CREDIT
        )
        painter.restore()

    def png_bytes(self) -> bytes:
        """The view as it is now, with its scale bar, as PNG (in memory: nothing on disk)."""
        image = self.grab()
        data = QByteArray()
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        image.save(buffer, "PNG")
        buffer.close()
        return bytes(data.data())
