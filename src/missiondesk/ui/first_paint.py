"""Run something once a widget has first been painted: the work that can wait for the screen."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget


class AfterFirstPaint(QObject):
    """Calls `then()` once: from the event loop right after `widget`'s first paint (the whole
    window is painted in that same pass), or after `latest_ms` if no paint came by then (the
    window hidden or minimised). Lives and dies with the widget."""

    def __init__(self, widget: QWidget, then: Callable[[], None], *, latest_ms: int) -> None:
        super().__init__(widget)
        self._widget = widget
        self._then = then
        self._fired = False
        widget.installEventFilter(self)
        QTimer.singleShot(latest_ms, self, self._run)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if not self._fired and event.type() == QEvent.Type.Paint:
            QTimer.singleShot(0, self, self._run)
        return False

    def _run(self) -> None:
        if self._fired:
            return
        self._fired = True
        self._widget.removeEventFilter(self)
        self._then()
