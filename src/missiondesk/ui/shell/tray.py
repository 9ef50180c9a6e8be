"""The tray icon and desktop notifications for FLASH and IMMEDIATE traffic.

A notification names the precedence, the sender and the channel, never the text: a popup on a
screen can be read by anyone standing near it. Where the desktop has no tray, the in-window
banner and the taskbar alert still tell the officer.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QMenu, QSystemTrayIcon, QWidget

from missiondesk.domain.changeset import ChangeSet, Origin
from missiondesk.domain.records.messaging import Precedence
from missiondesk.services.messaging import MessageView, MessagingService
from missiondesk.services.settings import Settings
from missiondesk.ui.changes import ChangeRelay
from missiondesk.ui.icons import icon
from missiondesk.ui.tasks import TaskRunner

NOTIFY_MS = 15_000


def alert_text(message: MessageView) -> tuple[str, str]:
    """(title, body) of a notification: who and where, not what."""
    level = message.precedence.value.upper()
    return (
        f"{level} message from {message.author_name}",
        f"In {message.channel} at {message.dtg}. Open MissionDesk to read and acknowledge it.",
    )


class Tray(QObject):
    """The icon in the system tray, kept for the whole run (locked or not)."""

    show_requested = Signal()
    lock_requested = Signal()
    quit_requested = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.icon: QSystemTrayIcon | None = None
        self.shown: list[tuple[str, str]] = []  # every notification, also without a tray
        if not QSystemTrayIcon.isSystemTrayAvailable():
            return
        tray = QSystemTrayIcon(icon("missiondesk"), self)
        tray.setToolTip("MissionDesk")
        menu = QMenu()
        for text, signal in (
            ("Show MissionDesk", self.show_requested),
            ("Lock now", self.lock_requested),
            ("Quit", self.quit_requested),
        ):
            action = QAction(text, menu)
            action.triggered.connect(signal)
            menu.addAction(action)
        tray.setContextMenu(menu)
        self._menu = menu
        tray.activated.connect(self._on_activated)
        tray.show()
        self.icon = tray

    @Slot(QSystemTrayIcon.ActivationReason)
    def _on_activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason == QSystemTrayIcon.ActivationReason.Trigger:
            self.show_requested.emit()

    def set_locked(self, locked: bool) -> None:
        if self.icon is not None:
            self.icon.setToolTip("MissionDesk (locked)" if locked else "MissionDesk")

    def notify(self, title: str, text: str, window: QWidget | None) -> None:
        self.shown.append((title, text))
        if self.icon is not None:
            self.icon.showMessage(title, text, QSystemTrayIcon.MessageIcon.Warning, NOTIFY_MS)
        if window is not None:
            QApplication.alert(window, 0)

    def hide(self) -> None:
        if self.icon is not None:
            self.icon.hide()


class MessageAlerts(QObject):
    """While a session is open: FLASH/IMMEDIATE messages from peers raise a notification."""

    alerted = Signal(object)  # the MessageView

    def __init__(
        self,
        relay: ChangeRelay,
        messaging: MessagingService,
        tasks: TaskRunner,
        tray: Tray,
        settings: Settings,
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
        self._settings = settings

    def stop(self) -> None:
        self._active = False

    def _wanted(self, message: MessageView) -> bool:
        if message.mine or message.acked_by_me or not message.addressed_to_me:
            return False
        if message.precedence is Precedence.FLASH:
            return self._settings.notify_flash
        if message.precedence is Precedence.IMMEDIATE:
            return self._settings.notify_immediate
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
