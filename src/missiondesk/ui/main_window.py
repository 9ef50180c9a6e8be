"""The main window: a header, the section list and the section pages. It routes; pages work.

Lock closes the session and throws away every widget that shows data; the window is then
spent, and the application shows the unlock dialog (and a fresh window after it).
"""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import QSize, Qt, Signal, Slot
from PySide6.QtGui import QAction, QCloseEvent, QFont, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QSizePolicy,
    QStackedWidget,
    QToolBar,
    QWidget,
)

from missiondesk.domain.ids import fingerprint
from missiondesk.services.session import Session
from missiondesk.ui.changes import ChangeRelay
from missiondesk.ui.header import OfficerHeader
from missiondesk.ui.incidents_page import IncidentsPage
from missiondesk.ui.messages_page import MessagesPage
from missiondesk.ui.pages import LaterPage
from missiondesk.ui.theme import MUTED

LATER_SECTIONS: tuple[tuple[str, str], ...] = (
    (
        "Checklists",
        "Run the mission's standard checklists (patrol departure, radio check, relocation) "
        "and record who completed each step and when.",
    ),
    (
        "Personnel",
        "See who is in the mission: names, callsigns, roles, outposts and their devices.",
    ),
    ("Map", "Show incidents and mission features on an offline map, with MGRS grid lines."),
    (
        "Sync",
        "Exchange messages and reports with other MissionDesk computers when they are in reach, "
        "and see when each outpost was last heard from.",
    ),
)
SECTIONS: tuple[str, ...] = ("Messages", "Incidents", *(name for name, _ in LATER_SECTIONS))


class MainWindow(QMainWindow):
    """Shows one unlocked session. Emits `locked` after Lock, `closed` after the window closed."""

    locked = Signal()
    closed = Signal()

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._session: Session | None = session
        self._relay = ChangeRelay(session.changes, self)
        me = session.people.me()
        name = me.name if me else "Unknown officer"
        callsign = me.callsign if me else ""
        self.setWindowTitle(f"MissionDesk: {name}" + (f" ({callsign})" if callsign else ""))
        self._fit_to_screen(1280, 760)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.PreventContextMenu)

        self.lock_action = QAction("Lock", self)
        self.lock_action.setShortcut(QKeySequence("Ctrl+L"))
        self.lock_action.setToolTip("Lock (Ctrl+L): close the vault and hide everything")
        self.lock_action.triggered.connect(self._on_lock_triggered)
        self.addAction(self.lock_action)

        self.header = OfficerHeader(name, callsign, fingerprint(session.device_id), self)
        toolbar = QToolBar("Officer", self)
        toolbar.setObjectName("header")
        toolbar.setMovable(False)
        toolbar.setFloatable(False)
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        toolbar.setIconSize(QSize(16, 16))
        self.header.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        toolbar.addWidget(self.header)
        toolbar.addAction(self.lock_action)
        lock_button = toolbar.widgetForAction(self.lock_action)
        lock_button.setObjectName("lockButton")
        lock_button.setStyleSheet(
            "QToolButton { padding: 5px 18px; font-weight: bold; border: 1px solid #9aa3ad;"
            " border-radius: 4px; background: #ffffff; margin-right: 8px; }"
            " QToolButton:hover { background: #e8eef7; }"
            " QToolButton:pressed { background: #d0dcec; }"
        )
        lock_button.setAccessibleName("Lock")
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, toolbar)
        self._toolbar = toolbar

        self.nav = QListWidget(self)
        self.nav.setAccessibleName("Sections")
        self.nav.setFixedWidth(190)
        self.nav.setStyleSheet(
            "QListWidget { outline: 0; } QListWidget::item { padding: 7px 10px; }"
        )
        self.stack = QStackedWidget(self)
        self.messages_page = MessagesPage(session.messaging, self._relay, parent=self.stack)
        self.incidents_page = IncidentsPage(session.incidents, self._relay, parent=self.stack)
        self.stack.addWidget(self.messages_page)
        self.stack.addWidget(self.incidents_page)
        for title in SECTIONS[:2]:
            self.nav.addItem(QListWidgetItem(title))
        for title, purpose in LATER_SECTIONS:
            self.stack.addWidget(LaterPage(title, purpose, self.stack))
            item = QListWidgetItem(f"{title}  (later)")
            item.setForeground(MUTED)
            font = QFont(self.nav.font())
            font.setItalic(True)
            item.setFont(font)
            item.setToolTip("Coming in a later release")
            self.nav.addItem(item)
        self.nav.currentRowChanged.connect(self._on_section_chosen)

        body = QWidget(self)
        layout = QHBoxLayout(body)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.nav)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(body)

        unlocked_at = datetime.now(UTC).strftime("%H%MZ")
        self.status_label = QLabel(
            f"Vault unlocked at {unlocked_at}. "
            "Press Ctrl+L to lock it when you leave the computer.",
            self,
        )
        self.status_label.setStyleSheet("padding-left: 4px;")
        self.statusBar().addWidget(self.status_label, 1)
        vault_label = QLabel(f"Vault: {session.vault.layout.root}", self)
        vault_label.setStyleSheet(f"color: {MUTED.name()}; padding-right: 6px;")
        self.statusBar().addPermanentWidget(vault_label)
        self._vault_label = vault_label
        self.nav.setCurrentRow(0)
        self.nav.setFocus()

    def _fit_to_screen(self, width: int, height: int) -> None:
        screen = self.screen()
        if screen is not None:
            room = screen.availableGeometry()
            width = min(width, int(room.width() * 0.95))
            height = min(height, int(room.height() * 0.9))
        self.resize(width, height)

    @property
    def is_locked(self) -> bool:
        return self._session is None

    @property
    def sections(self) -> tuple[str, ...]:
        return SECTIONS

    def show_section(self, title: str) -> None:
        self.nav.setCurrentRow(SECTIONS.index(title))

    def current_section(self) -> str:
        return SECTIONS[self.stack.currentIndex()]

    @Slot(int)
    def _on_section_chosen(self, row: int) -> None:
        if row >= 0:
            self.stack.setCurrentIndex(row)

    @Slot()
    def _on_lock_triggered(self) -> None:
        self.lock()

    def lock(self) -> None:
        """Close the vault, drop every widget holding data, hide, and emit `locked`."""
        if self._end_session():
            self.hide()
            self.locked.emit()

    def _end_session(self) -> bool:
        session, self._session = self._session, None
        if session is None:
            return False
        self._relay.stop()
        self.lock_action.setEnabled(False)
        self.messages_page.clear()
        self.incidents_page.clear()
        self.header.clear()
        self._vault_label.clear()
        self.removeToolBar(self._toolbar)
        self._toolbar.deleteLater()  # later: Lock may have been clicked on this very toolbar
        self.statusBar().clearMessage()
        self.statusBar().removeWidget(self._vault_label)
        self._vault_label.deleteLater()
        central = self.takeCentralWidget()
        if central is not None:
            central.deleteLater()
        self.setCentralWidget(QLabel("Locked.", self))
        self.setWindowTitle("MissionDesk: locked")
        session.close()
        return True

    def closeEvent(self, event: QCloseEvent) -> None:
        self._end_session()
        super().closeEvent(event)
        self.closed.emit()
