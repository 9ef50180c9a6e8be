"""The movement board: active movements with their next check-in, escalation state and the
Check in / Arrived buttons; the watch ticks from here (on the vault thread).

Built like the other sections: every vault call runs through the `TaskRunner` (the vault
thread), the board reads again when a ChangeSet concerns movements, check-ins or alerts
(`ChangeRelay`), and a timer asks the watch to tick every `tick_ms` (tests call `tick()`).
"""

from __future__ import annotations

from typing import Any, ClassVar

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QWidget

from missiondesk.domain.dtg import format_dtg
from missiondesk.domain.escalation import State
from missiondesk.services.movements import MovementView
from missiondesk.services.session import Session
from missiondesk.ui.changes import ChangeRelay, RefreshScheduler
from missiondesk.ui.pages import TablePage
from missiondesk.ui.rows_model import Index, RowsModel
from missiondesk.ui.tasks import Failure, TaskRunner

WATCHED = frozenset({"movement", "movement_checkin", "alert"})
TICK_MS = 30_000


class MovementRowsModel(RowsModel[MovementView]):
    COLUMNS: ClassVar[tuple[str, ...]] = ("State", "Next check-in", "Last", "Movement", "People")

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole or not index.isValid():
            return None
        v = self.row_at(index.row())
        return (
            v.state.value.upper(),
            format_dtg(v.next_due) if v.next_due else "-",
            format_dtg(v.last_checkin) if v.last_checkin else "-",
            v.movement.title,
            ", ".join(v.people),
        )[index.column()]


class MovementBoard(TablePage):
    def __init__(
        self,
        session: Session,
        tasks: TaskRunner,
        changes: ChangeRelay,
        *,
        tick_ms: int = TICK_MS,
        parent: QWidget | None = None,
    ) -> None:
        self.model = MovementRowsModel()
        super().__init__(
            "Movements",
            self.model,
            tasks,
            empty_text="No active movement. Planned movements appear here with their next "
            "check-in.",
            stretch_column=3,
            parent=parent,
        )
        self.model.setParent(self)
        self._session = session
        self.check_in_button = QPushButton("&Check in", self)
        self.arrived_button = QPushButton("&Arrived", self)
        self.check_in_button.clicked.connect(self.check_in)
        self.arrived_button.clicked.connect(self.arrive)
        QShortcut(QKeySequence("Ctrl+K"), self, self.check_in)
        row = QHBoxLayout()
        row.addWidget(self.check_in_button)
        row.addWidget(self.arrived_button)
        row.addStretch(1)
        layout = self.layout()
        assert layout is not None
        layout.addItem(row)
        self._scheduler = RefreshScheduler(changes, WATCHED, self)
        self._scheduler.refresh_requested.connect(self.refresh)
        self._timer = QTimer(self)
        self._timer.setInterval(tick_ms)
        self._timer.timeout.connect(self.tick)
        if tick_ms > 0:
            self._timer.start()
        self.refresh()

    def read(self) -> list[MovementView]:
        return self._session.movements.active()

    def show_rows(self, rows: list[MovementView]) -> None:
        self.model.set_rows(rows)
        overdue = sum(1 for v in rows if v.state is not State.ON_TIME)
        self.set_summary(f"{len(rows)} active, {overdue} not on time", rows=len(rows))
        if rows and not self.table.selectionModel().hasSelection():
            self.table.selectRow(0)

    def selected(self) -> MovementView | None:
        picked = self.table.selectionModel().selectedRows()
        return self.model.row_at(picked[0].row()) if picked else None

    def tick(self) -> None:
        """Ask the watch to raise what is due (on the vault thread)."""
        self._tasks.run("watch tick", self._session.watch.tick, None, self._on_failed)

    def check_in(self) -> None:
        view = self.selected()
        if view is not None:
            movements = self._session.movements
            self._tasks.run("check in", lambda: movements.check_in(view.id), None, self._failed)

    def arrive(self) -> None:
        view = self.selected()
        if view is not None:
            movements = self._session.movements
            self._tasks.run("arrive", lambda: movements.arrive(view.id), None, self._failed)

    def _failed(self, failure: Failure) -> None:
        self._on_failed(failure)

    def close_page(self) -> None:
        self._timer.stop()
        super().close_page()
