"""A one-line label that never widens its window: its text is cut with "…" to the width the
layout gives it, and given whole in its tooltip (a channel named in 80 characters, a title)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget

if TYPE_CHECKING:
    from PySide6.QtGui import QResizeEvent

LTR_MARK = "\u200e"  # the line reads left to right from its first mark, whatever the text's script


class ElidedLabel(QLabel):
    """`text()` is the whole text; what is drawn is as much of it as fits."""

    def __init__(self, parent: QWidget | None = None, *, shrinks_to: int | None = None) -> None:
        """`shrinks_to`: ask for the whole text's width and give way down to this many pixels
        (a label among others in a row that has its own size, such as the status bar's);
        without it the label takes only what its layout leaves."""
        super().__init__(parent)
        self._full = ""
        self._shrinks_to = shrinks_to
        self.setTextFormat(Qt.TextFormat.PlainText)
        if shrinks_to is None:
            self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
            self.setMinimumWidth(1)
        else:
            self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        if self._shrinks_to is None:
            return hint
        margins = self.contentsMargins().left() + self.contentsMargins().right()
        whole = self.fontMetrics().horizontalAdvance(LTR_MARK + self._full) + margins + 2
        return QSize(whole, hint.height())

    def minimumSizeHint(self) -> QSize:
        hint = super().minimumSizeHint()
        if self._shrinks_to is None:
            return hint
        return QSize(min(self._shrinks_to, self.sizeHint().width()), hint.height())

    def setText(self, text: str) -> None:
        self._full = text
        self._fit()
        self.updateGeometry()

    def text(self) -> str:
        return self._full

    def clear(self) -> None:
        self.setText("")

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        shown = self.fontMetrics().elidedText(
            self._full, Qt.TextElideMode.ElideRight, max(self.width(), 1)
        )
        self.setToolTip(self._full if shown != self._full else "")
        super().setText(LTR_MARK + shown if shown else "")
