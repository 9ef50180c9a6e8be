"""Python's cyclic garbage collector in the desktop app: on the GUI thread only, and paused
for the start.

Only the GUI thread. Left automatic, a collection runs on whichever thread's allocation trips
it: the vault thread, the sync loop, zeroconf's threads (measured on the GUI test suite: about
40 collections of 1,800 on other threads). A cycle it frees there can hold a Qt object the
Python side owns (a dialog with no parent, a lambda's widget), and a QObject destroyed on a
thread that does not own it crashes the process, at once or later: the way the pyqtgraph
authors and Qt's own advice go. So automatic collection is off for the life of the window,
and a timer on the GUI thread collects, generation by generation, when the counts pass the
thresholds Python would have used (the pattern of pyqtgraph's GarbageCollector).

Paused for the start. The start makes hundreds of thousands of objects that live as long as
the process (modules, classes, functions, pydantic's validators, PySide6's types), and each
full collection scans them all: ~30 ms each. Almost nothing the start makes is cyclic garbage
(reference counting frees the rest). So nothing is collected from the start of the app until
the session's code has loaded; then what is loaded is frozen (`gc.freeze()`: left out of
every later collection) and the GUI thread's collector goes to work.
"""

from __future__ import annotations

import gc
import threading

from PySide6.QtCore import QObject, QTimer, Slot

CHECK_EVERY_MS = 500

_PAUSED = threading.Event()  # set from the start of the app until the session's code loaded


def pause() -> None:
    """Stop all collection (the start of the app, before Qt)."""
    gc.disable()
    _PAUSED.set()


def resume() -> None:
    """Freeze what is loaded and let the GUI thread's collector collect again. Safe from any
    thread. Does nothing if collection was not paused."""
    if _PAUSED.is_set():
        gc.freeze()
        _PAUSED.clear()


def paused() -> bool:
    return _PAUSED.is_set()


class GuiThreadCollector(QObject):
    """Collects cyclic garbage on the thread it was made on (the GUI thread) and nowhere else.

    Made after the QApplication; `stop()` gives collection back to Python (automatic, on any
    thread), for code that runs after the window (and in tests, after each one)."""

    def __init__(self, parent: QObject | None = None, *, every_ms: int = CHECK_EVERY_MS) -> None:
        super().__init__(parent)
        self._thresholds = gc.get_threshold()
        self._collections = 0
        gc.disable()
        self._timer = QTimer(self)
        self._timer.setInterval(every_ms)
        self._timer.timeout.connect(self.check)
        self._timer.start()

    @property
    def collections(self) -> int:
        """How many collections this collector has run."""
        return self._collections

    @Slot()
    def check(self) -> None:
        """Collect the generations whose counts have passed their thresholds, as Python would."""
        if _PAUSED.is_set():
            return
        young, middle, old = gc.get_count()
        first, second, third = self._thresholds
        if young <= first:
            return
        generation = 0
        if middle > second:
            generation = 2 if old > third else 1
        gc.collect(generation)
        self._collections += 1

    def stop(self) -> None:
        """Collect once more, here, and hand collection back to Python."""
        self._timer.stop()
        if not _PAUSED.is_set():
            gc.collect()
            gc.enable()
