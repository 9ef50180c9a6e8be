"""ChangeSets from the session's ChangeFeed, delivered on the GUI thread.

The feed calls its listeners on whatever thread committed the change (the GUI thread, a task
worker, later the sync thread). The relay turns every call into a queued signal, so views always
refresh on the GUI thread and never in the middle of the code that made the change.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, QTimer, Signal, Slot

from missiondesk.domain.changeset import ChangeSet
from missiondesk.services.changes import ChangeFeed


class ChangeRelay(QObject):
    """Subscribes to a ChangeFeed until stop(); re-emits each ChangeSet as `changed`."""

    changed = Signal(object)  # a ChangeSet, always on the GUI thread
    _arrived = Signal(object)  # emitted from any thread

    def __init__(self, feed: ChangeFeed, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._arrived.connect(self._on_arrived, Qt.ConnectionType.QueuedConnection)
        self._unsubscribe: Callable[[], None] | None = feed.subscribe(self._publish)

    def _publish(self, changes: ChangeSet) -> None:
        if self._unsubscribe is not None:
            self._arrived.emit(changes)

    @Slot(object)
    def _on_arrived(self, changes: ChangeSet) -> None:
        if self._unsubscribe is not None:  # nothing reaches the views after stop()
            self.changed.emit(changes)

    def stop(self) -> None:
        """Stop listening (on lock or close). Safe to call twice."""
        unsubscribe, self._unsubscribe = self._unsubscribe, None
        if unsubscribe is not None:
            unsubscribe()


class RefreshScheduler(QObject):
    """Coalesces a burst of relevant ChangeSets into one refresh at the next event-loop turn."""

    refresh_requested = Signal()

    def __init__(
        self, relay: ChangeRelay, record_types: frozenset[str], parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._types = record_types
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self.refresh_requested)
        relay.changed.connect(self._on_changed)

    def concerns(self, changes: ChangeSet) -> bool:
        if not changes.entities:  # applied operations with no named entity: refresh to be safe
            return bool(changes.applied)
        return any(kind in self._types for kind in changes.entities)

    @Slot(object)
    def _on_changed(self, changes: ChangeSet) -> None:
        if self.concerns(changes) and not self._timer.isActive():
            self._timer.start()
