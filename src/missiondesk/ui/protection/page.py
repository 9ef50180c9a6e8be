"""The Personnel section: tabs Movements (the board), Headcount, Alerts and Roster.

Each tab reads on the vault thread and again on ChangeSets of its own record types. `clear()`
(at lock) stops every timer, closes every dialog the tabs opened and empties every widget;
nothing is read after it. `raise_panic()` is the Alerts tab's, for the shell's menu.
"""

from __future__ import annotations

from PySide6.QtCore import Slot
from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from missiondesk.services.session import Session
from missiondesk.ui.changes import ChangeRelay
from missiondesk.ui.protection.alerts_tab import AlertsTab
from missiondesk.ui.protection.headcount_tab import HeadcountTab
from missiondesk.ui.protection.movement_board import REFRESH_MS, MovementBoard
from missiondesk.ui.protection.roster_tab import RosterTab
from missiondesk.ui.tasks import TaskRunner


class PersonnelPage(QWidget):
    def __init__(
        self,
        session: Session,
        tasks: TaskRunner,
        relay: ChangeRelay,
        parent: QWidget | None = None,
        *,
        refresh_ms: int = REFRESH_MS,
    ) -> None:
        super().__init__(parent)
        self.movements = MovementBoard(session, tasks, relay, refresh_ms=refresh_ms, parent=self)
        self.headcount = HeadcountTab(session, tasks, relay, self)
        self.alerts = AlertsTab(session, tasks, relay, self)
        self.roster = RosterTab(session, tasks, relay, self)
        self.tabs = QTabWidget(self)
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.movements, "&Movements")
        self.tabs.addTab(self.headcount, "&Headcount")
        self.tabs.addTab(self.alerts, "A&lerts")
        self.tabs.addTab(self.roster, "&Roster")
        self.tabs.setAccessibleName("Personnel")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)

    @Slot()
    def raise_panic(self) -> None:
        """Show the Alerts tab and ask to confirm the panic alarm (FLASH to the mission)."""
        self.tabs.setCurrentWidget(self.alerts)
        self.alerts.raise_panic()

    def clear(self) -> None:
        """The vault is locking: drop what is shown, close the dialogs, stop the timers, and
        read nothing more."""
        self.movements.close_page()
        self.headcount.clear()
        self.alerts.close_page()
        self.roster.close_page()
