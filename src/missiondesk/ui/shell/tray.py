"""The tray icon, and the desktop notifications shown through it (`shell/alerts.py` decides
which FLASH and IMMEDIATE traffic raises one).

A notification names the precedence, the sender and the channel, never the text: a popup on a
screen can be read by anyone standing near it. Where the desktop has no tray, the in-window
banner and the taskbar alert still tell the officer.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QMenu, QSystemTrayIcon, QWidget

from missiondesk.ui.icons import icon

NOTIFY_MS = 15_000


class Tray(QObject):
    """The icon in the system tray, kept for the whole run (locked or not)."""

    show_requested = Signal()
    lock_requested = Signal()
    quit_requested = Signal()

    def __init__(self, parent: QObject | None = None, *, start: bool = True) -> None:
        """`start` False: the icon is put in the tray by `start()`. Asking the desktop whether
        it has a tray and showing the icon there are calls over D-Bus on Linux desktops, which
        the app makes once its first window is on screen, not before."""
        super().__init__(parent)
        self.icon: QSystemTrayIcon | None = None
        self.shown: list[tuple[str, str]] = []  # every notification, also without a tray
        self._started = False
        self._locked = False
        if start:
            self.start()

    def start(self) -> None:
        """Put the icon in the tray, if the desktop has one; once."""
        if self._started:
            return
        self._started = True
        if not QSystemTrayIcon.isSystemTrayAvailable():
            return
        tray = QSystemTrayIcon(icon("missiondesk"), self)
        tray.setToolTip(self._tip())
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

    @property
    def started(self) -> bool:
        return self._started

    def _tip(self) -> str:
        return "MissionDesk (locked)" if self._locked else "MissionDesk"

    @Slot(QSystemTrayIcon.ActivationReason)
    def _on_activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason == QSystemTrayIcon.ActivationReason.Trigger:
            self.show_requested.emit()

    def set_locked(self, locked: bool) -> None:
        self._locked = locked
        if self.icon is not None:
            self.icon.setToolTip(self._tip())

    def notify(self, title: str, text: str, window: QWidget | None) -> None:
        self.shown.append((title, text))
        if self.icon is not None:
            self.icon.showMessage(title, text, QSystemTrayIcon.MessageIcon.Warning, NOTIFY_MS)
        if window is not None:
            QApplication.alert(window, 0)

    def hide(self) -> None:
        if self.icon is not None:
            self.icon.hide()
