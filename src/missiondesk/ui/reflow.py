"""A row of parts that stacks when the width cannot hold them side by side.

The window's minimum width is the widest minimum of its sections, and a row of controls or
panels side by side adds up. On a small screen, or a high-DPI one at 150-200 % (a 1920-pixel
panel at 200 % is 960 points wide), that pushed the window past the screen's edge. A
`Reflowing` row asks only for its widest part; given less room than its parts side by side
need, it lays them out top to bottom.
"""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QBoxLayout, QLayout, QWidget

SIDE_BY_SIDE = QBoxLayout.Direction.LeftToRight
STACKED = QBoxLayout.Direction.TopToBottom


class Reflowing(QWidget):
    def __init__(self, parent: QWidget | None = None, *, spacing: int = 8) -> None:
        super().__init__(parent)
        self.row = QBoxLayout(SIDE_BY_SIDE, self)
        self.row.setContentsMargins(0, 0, 0, 0)
        self.row.setSpacing(spacing)
        # The row's own minimum is its parts side by side; this widget says its own (below).
        self.row.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)

    def add_widget(self, widget: QWidget, stretch: int = 0) -> None:
        self.row.addWidget(widget, stretch)  # side by side until a resize says otherwise

    def add_layout(self, layout: QLayout, stretch: int = 0) -> None:
        self.row.addLayout(layout, stretch)

    @property
    def stacked(self) -> bool:
        return self.row.direction() is STACKED

    def side_by_side_width(self) -> int:
        widths = self._part_widths()
        return sum(widths) + self.row.spacing() * max(0, len(widths) - 1)

    def minimumSizeHint(self) -> QSize:
        return QSize(max(self._part_widths(), default=0), self.row.minimumSize().height())

    def resizeEvent(self, event: QResizeEvent) -> None:
        self._reflow(event.size().width())
        super().resizeEvent(event)

    def update_parts(self) -> None:
        """A part's minimum changed (a label's text): side by side or stacked again."""
        self._reflow(self.width())

    def _part_widths(self) -> list[int]:
        items = (self.row.itemAt(i) for i in range(self.row.count()))
        return [item.minimumSize().width() for item in items if item is not None]

    def _reflow(self, width: int) -> None:
        direction = SIDE_BY_SIDE if width >= self.side_by_side_width() else STACKED
        if self.row.direction() is not direction:
            self.row.setDirection(direction)
            self.updateGeometry()  # the height it needs changed
