"""The status bar's permanent part: sync state, peers last seen, what waits to go out, Lock."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QHBoxLayout, QLabel, QToolButton, QWidget

from missiondesk.domain.dtg import format_dtg
from missiondesk.ui.changes import ChangeRelay, RefreshScheduler
from missiondesk.ui.elided_label import ElidedLabel
from missiondesk.ui.icons import icon
from missiondesk.ui.tasks import TaskRunner
from missiondesk.ui.theme import MUTED_STYLE

if TYPE_CHECKING:  # the sync service is made at the status bar's first read, after the first paint
    from missiondesk.services.sync_service import SyncSummary

REFRESH_MS = 30_000  # "12 min ago" must keep counting while nothing changes
STATUS_TYPES = frozenset({"message", "incident", "membership", "device", "person", "peer"})


def ago(ms: int, now_ms: int) -> str:
    minutes = max(0, now_ms - ms) // 60_000
    if minutes < 1:
        return "just now"
    if minutes < 60:
        return f"{minutes} min ago"
    hours = minutes // 60
    if hours < 48:
        return f"{hours} h ago"
    return f"{hours // 24} days ago"


def describe(summary: SyncSummary, now_ms: int) -> tuple[str, str, str]:
    """(peers text, waiting text, tooltip of the peers)."""
    if not summary.peers:
        peers = "No peer met yet" if summary.in_mission else "Not in a mission"
        tip = (
            "This laptop has not synced with another yet."
            if summary.in_mission
            else "Create or join a mission in the Sync section to exchange data with others."
        )
    else:
        newest = summary.peers[0]
        peers = f"Last peer: {newest.label}, {ago(newest.last_seen_ms, now_ms)}"
        tip = "\n".join(
            f"{p.label}: {format_dtg_ms(p.last_seen_ms)} ({ago(p.last_seen_ms, now_ms)})"
            + (f", {p.last_result}" if p.last_result else "")
            for p in summary.peers[:10]
        )
    if summary.waiting and summary.in_mission:
        noun = "change" if summary.waiting == 1 else "changes"
        waiting = f"{summary.waiting:,} {noun} waiting to go out"
    else:
        waiting = "Nothing waiting to go out" if summary.peers else ""
    return peers, waiting, tip


def format_dtg_ms(ms: int) -> str:
    return format_dtg(datetime.fromtimestamp(ms / 1000, tz=UTC))


STATE_MIN_PX = 160


class StatusPanel(QWidget):
    lock_clicked = Signal()

    def __init__(
        self,
        load: Callable[[], SyncSummary],
        tasks: TaskRunner,
        changes: ChangeRelay,
        lock_action: QAction,
        parent: QWidget | None = None,
        *,
        start: bool = True,
    ) -> None:
        """`start=False`: the first read waits for `refresh()` (the window calls it once the
        first screen has painted); the timer and live changes read as usual."""
        super().__init__(parent)
        self._load = load
        self._tasks = tasks
        self._closed = False
        self.summary: SyncSummary | None = None
        # a long phrase (a refusal's reason) gives way rather than widen the window; whole in
        # its tooltip and in the Sync section
        self.sync_state = ElidedLabel(self, shrinks_to=STATE_MIN_PX)
        self.sync_state.setText("Sync: off")
        self.sync_state.setAccessibleName("Sync state")
        self.peers = QLabel(self)
        self.peers.setAccessibleName("Peers last seen")
        self.waiting = QLabel(self)
        self.waiting.setAccessibleName("Waiting to go out")
        for label in (self.sync_state, self.peers, self.waiting):
            label.setStyleSheet(MUTED_STYLE + " padding: 0 8px;")
        self.lock_button = QToolButton(self)
        self.lock_button.setDefaultAction(lock_action)
        self.lock_button.setIcon(icon("lock"))
        self.lock_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.lock_button.setObjectName("statusLockButton")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 4, 0)
        layout.setSpacing(2)
        layout.addWidget(self.sync_state)
        layout.addWidget(self.peers)
        layout.addWidget(self.waiting)
        layout.addWidget(self.lock_button)
        self._scheduler = RefreshScheduler(changes, STATUS_TYPES, self)
        self._scheduler.refresh_requested.connect(self.refresh)
        self._timer = QTimer(self)
        self._timer.setInterval(REFRESH_MS)
        self._timer.timeout.connect(self.refresh)
        self._timer.start()
        if start:
            self.refresh()

    def set_sync_state(self, text: str) -> None:
        self.sync_state.setText(f"Sync: {text}")

    @Slot()
    def refresh(self) -> None:
        if not self._closed:
            self._tasks.run("sync summary", self._load, self._on_summary)

    @Slot(object)
    def _on_summary(self, summary: SyncSummary) -> None:
        if self._closed:
            return
        self.summary = summary
        peers, waiting, tip = describe(summary, time.time_ns() // 1_000_000)
        self.peers.setText(peers)
        self.peers.setToolTip(tip)
        self.waiting.setText(waiting)
        self.waiting.setVisible(bool(waiting))
        self.waiting.setToolTip(
            "Changes made on this laptop that no peer is known to hold yet; they leave with "
            "the next sync or bundle."
        )

    def clear(self) -> None:
        self._closed = True
        self._timer.stop()
        for label in (self.sync_state, self.peers, self.waiting):
            label.clear()
