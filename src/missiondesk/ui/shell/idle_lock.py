"""Auto-lock: any key, click, wheel or mouse movement in the app restarts the idle timer; when
it runs out, `idle` is emitted and the app locks."""

from __future__ import annotations

from PySide6.QtCore import QElapsedTimer, QEvent, QObject, Qt, QTimer, Signal

ACTIVITY = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseButtonDblClick,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
        QEvent.Type.TabletPress,
        QEvent.Type.Shortcut,
    }
)


class IdleWatcher(QObject):
    """Watches every event of `source` (the QApplication) until stop().

    Watching every event of the app means a Python call per event. The window's first paint
    alone is thousands of events (~50 ms more with the watcher on), so the app starts watching
    once the first screen is painted (`watching=False`, then `watch()`): the idle time still
    counts from the unlock, and the officer's activity before then is the unlock itself."""

    idle = Signal()

    def __init__(
        self,
        source: QObject,
        timeout_ms: int,
        parent: QObject | None = None,
        *,
        watching: bool = True,
    ) -> None:
        super().__init__(parent)
        self._source: QObject | None = source
        self._watching = False
        self._timer = QTimer(self)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setSingleShot(True)
        self._timer.setInterval(max(1, timeout_ms))
        self._timer.timeout.connect(self.idle)
        self._since = QElapsedTimer()
        self._since.start()
        if watching:
            self.watch()
        self._timer.start()

    def watch(self) -> None:
        """Start watching the activity (once; not after stop())."""
        if self._source is not None and not self._watching:
            self._watching = True
            self._source.installEventFilter(self)

    @property
    def watching(self) -> bool:
        return self._watching

    @property
    def timeout_ms(self) -> int:
        return self._timer.interval()

    def set_timeout(self, timeout_ms: int) -> None:
        self._timer.setInterval(max(1, timeout_ms))
        if self._source is not None:
            self._timer.start()

    def idle_ms(self) -> int:
        """Milliseconds since the last key press, click, wheel or mouse movement."""
        return int(self._since.elapsed())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in ACTIVITY and self._source is not None:
            self._since.restart()
            self._timer.start()
        return False

    def stop(self) -> None:
        """Stop watching (on lock or quit). Safe to call twice."""
        self._timer.stop()
        if self._source is not None:
            if self._watching:
                self._source.removeEventFilter(self)
            self._source = None
            self._watching = False
