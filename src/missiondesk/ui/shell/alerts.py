"""Desktop notifications for FLASH and IMMEDIATE traffic from peers, while a session is open.

The notification says who and where, never what: its text can be read on a locked screen.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtWidgets import QWidget

from missiondesk.domain.changeset import ChangeSet, Origin
from missiondesk.domain.markings import Precedence
from missiondesk.services.messaging import MessageView, MessagingService
from missiondesk.ui.changes import ChangeRelay
from missiondesk.ui.shell.tray import Tray
from missiondesk.ui.tasks import TaskRunner

if TYPE_CHECKING:
    from missiondesk.services.settings import Settings


def alert_text(message: MessageView) -> tuple[str, str]:
    """(title, body) of a notification: who and where, not what."""
    level = message.precedence.value.upper()
    return (
        f"{level} message from {message.author_name}",
        f"In {message.channel} at {message.dtg}. Open MissionDesk to read and acknowledge it.",
    )


class MessageAlerts(QObject):
    """While a session is open: FLASH/IMMEDIATE messages from peers raise a notification."""

    alerted = Signal(object)  # the MessageView

    def __init__(
        self,
        relay: ChangeRelay,
        messaging: MessagingService,
        tasks: TaskRunner,
        tray: Tray,
        settings: Settings | None,
        window: QWidget,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._messaging = messaging
        self._tasks = tasks
        self._tray = tray
        self._settings = settings
        self._window = window
        self._seen: set[str] = set()
        self._active = True
        relay.changed.connect(self._on_changed)

    def set_settings(self, settings: Settings) -> None:
        """The settings in force (None until they have loaded, after the first screen: both
        kinds of traffic are notified then, as by default)."""
        self._settings = settings

    def stop(self) -> None:
        self._active = False

    def _wanted(self, message: MessageView) -> bool:
        if message.mine or message.acked_by_me or not message.addressed_to_me:
            return False
        settings = self._settings
        if message.precedence is Precedence.FLASH:
            return settings is None or settings.notify_flash
        if message.precedence is Precedence.IMMEDIATE:
            return settings is None or settings.notify_immediate
        return False

    @Slot(object)
    def _on_changed(self, changes: ChangeSet) -> None:
        if not self._active or changes.origin is not Origin.PEER:
            return
        fresh = [m for m in changes.ids_of("message") if m not in self._seen]
        if fresh:
            self._seen.update(fresh)
            self._tasks.run(
                "check new messages", lambda: self._messaging.views_of(fresh), self._on_views
            )

    @Slot(object)
    def _on_views(self, views: list[MessageView]) -> None:
        if not self._active:
            return
        for message in sorted(views, key=lambda v: v.precedence.rank):
            if self._wanted(message):
                title, text = alert_text(message)
                self._tray.notify(title, text, self._window)
                self.alerted.emit(message)
