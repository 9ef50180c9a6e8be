"""Run something once a widget has first been painted: the reads that can wait for the screen."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget


class AfterFirstPaint(QObject):
    """Calls `then()` once, from the event loop right after `widget`'s first paint (the whole
    window is painted in that same pass), then stops watching the widget."""

    def __init__(self, widget: QWidget, then: Callable[[], None]) -> None:
        super().__init__(widget)
        self._widget = widget
        self._then = then
        self._fired = False
        widget.installEventFilter(self)

    @property
    def fired(self) -> bool:
        return self._fired

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if not self._fired and event.type() == QEvent.Type.Paint:
            self._fired = True
            QTimer.singleShot(0, self, self._run)
        return False

    def _run(self) -> None:
        self._widget.removeEventFilter(self)
        self._then()
