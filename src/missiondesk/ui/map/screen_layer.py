"""A map layer over the whole world that paints in screen pixels at projected positions.

The view's transform is taken from the painter and applied by hand, so line widths, dots and
labels keep their size in pixels at every zoom. Subclasses say whether they hold anything
(`has_content`) and paint with the transform reset (`paint_screen`), antialiased.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF
from PySide6.QtGui import QFont, QPainter, QTransform
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from missiondesk.domain.web_mercator import HALF_WORLD


def label_font() -> QFont:
    """The bold small font of names drawn on the map (features, callsigns)."""
    font = QFont()
    font.setPointSizeF(8.5)
    font.setBold(True)
    return font


def world_rect() -> QRectF:
    """The whole projected world: the bounds of a layer that can paint anywhere."""
    return QRectF(-HALF_WORLD, -HALF_WORLD, 2 * HALF_WORLD, 2 * HALF_WORLD)


class ScreenLayer(QGraphicsItem):
    def boundingRect(self) -> QRectF:
        return world_rect()

    def has_content(self) -> bool:
        raise NotImplementedError

    def paint_screen(self, painter: QPainter, to_device: QTransform) -> None:
        """Paint with the painter in device pixels; `to_device` maps projected metres there."""
        raise NotImplementedError

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionGraphicsItem,
        widget: QWidget | None = None,
    ) -> None:
        if not self.has_content():
            return
        to_device = painter.transform()
        painter.save()
        painter.resetTransform()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.paint_screen(painter, to_device)
        painter.restore()
