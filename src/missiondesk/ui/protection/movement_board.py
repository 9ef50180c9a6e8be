"""The movement board: active movements with their next check-in, how long until it is due
and the escalation state; the selected movement's route, vehicles, check-ins and alerts;
Plan movement… (Ctrl+N), Check in (Ctrl+K, with an optional position), Arrived, Revise… (a new
ETA or check-in interval) and Cancel movement… (after a question) for one called off, so it
raises no more alerts.

Built like the other sections: every vault call runs through the `TaskRunner` (the vault
thread) and the board reads again when a ChangeSet concerns movements, check-ins, alerts or
the roster (`ChangeRelay`). It does not tick the watch (the shell does, whatever section is
shown): the escalation alerts the tick writes arrive here as ChangeSets. A display timer reads
again every `refresh_ms` so "due in" stays true while nothing changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar

from PySide6.QtCore import QItemSelection, Qt, QTimer, Slot
from PySide6.QtGui import QBrush, QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from missiondesk.domain.dtg import format_dtg
from missiondesk.domain.escalation import State
from missiondesk.domain.markings import Precedence
from missiondesk.domain.records.movements import Waypoint
from missiondesk.services.movements import MovementDetail, MovementService, MovementView
from missiondesk.services.roster import RosterEntry
from missiondesk.services.session import Session
from missiondesk.ui.changes import ChangeRelay, RefreshScheduler
from missiondesk.ui.choosers import Confirmer, ask_yes_no
from missiondesk.ui.pages import TablePage
from missiondesk.ui.protection.fields import OpenDialogs
from missiondesk.ui.protection.movement_dialog import PlanMovementDialog, ReviseMovementDialog
from missiondesk.ui.rows_model import Index, RowsModel
from missiondesk.ui.tasks import TaskRunner
from missiondesk.ui.theme import precedence_bold, precedence_colour, precedence_row

WATCHED = frozenset({"movement", "movement_checkin", "alert", "person"})
REFRESH_MS = 30_000
# The precedence whose colours a state borrows (the step's own precedence).
STATE_PRECEDENCE = {
    State.PAST_ETA: Precedence.PRIORITY,
    State.DUE: Precedence.PRIORITY,
    State.WARNING: Precedence.PRIORITY,
    State.ALARM: Precedence.IMMEDIATE,
    State.FLASH: Precedence.FLASH,
}


def due_in(view: MovementView, now: datetime) -> str:
    """ "in 25 min", "overdue 10 min" or "-" (closed)."""
    if view.next_due is None:
        return "-"
    minutes = int((view.next_due - now).total_seconds() // 60)
    if minutes >= 0:
        return (
            f"in {minutes // 60} h {minutes % 60:02d} min"
            if minutes >= 60
            else (f"in {minutes} min")
        )
    late = -minutes
    return f"overdue {late // 60} h {late % 60:02d} min" if late >= 60 else f"overdue {late} min"


def _point(point: Waypoint) -> str:
    where = point.location
    if where is None or where.mgrs in ("", point.name):
        return point.name
    return f"{point.name} ({where.mgrs})"


def describe(detail: MovementDetail, now: datetime) -> str:
    """The selected movement in plain text, for the details pane."""
    view, movement = detail.view, detail.view.movement
    lines = [
        movement.title,
        f"People: {', '.join(view.people)}",
        f"Route: {' → '.join(_point(p) for p in movement.route)}",
        f"Vehicles: {', '.join(movement.vehicles) or 'none given'}",
        f"Departure {format_dtg(movement.depart)} · ETA {format_dtg(movement.eta)} · "
        f"check in every {movement.interval} min",
        f"State: {view.state.value.upper()}"
        + (f" · next check-in {format_dtg(view.next_due)} ({due_in(view, now)})"
           if view.next_due else "")
        + (f" · next step at {format_dtg(view.escalate_at)}" if view.escalate_at else ""),
        "",
        f"Check-ins ({len(detail.checkins)}):" if detail.checkins else "Check-ins: none yet",
    ]  # fmt: skip
    for checkin in detail.checkins:
        where = checkin.position.mgrs if checkin.position else "no position"
        note = f" · {checkin.note}" if checkin.note else ""
        who = f" · by {checkin.by}" if checkin.by else ""
        lines.append(f"  {format_dtg(checkin.at)}  {where}{who}{note}")
    lines.append("")
    lines.append(
        f"Alerts raised ({len(detail.alerts)}):" if detail.alerts else "Alerts raised: none"
    )
    for alert in detail.alerts:
        seen = alert.alert.acknowledged
        state = (f"acknowledged by {alert.alert.acknowledged_by or 'someone'} {format_dtg(seen)}"
                 if seen else "open")  # fmt: skip
        lines.append(
            f"  {format_dtg(alert.alert.raised)}  {alert.alert.step.value.upper()}  "
            f"{alert.alert.text} ({state})"
        )
    return "\n".join(lines)


@dataclass(frozen=True)
class BoardRead:
    now: datetime
    views: list[MovementView]
    detail: MovementDetail | None


def read_board(movements: MovementService, shown: str | None) -> BoardRead:
    views = movements.active()
    if shown is not None and shown not in {v.id for v in views}:
        shown = views[0].id if views else None
    elif shown is None and views:
        shown = views[0].id
    detail = movements.detail(shown) if shown else None
    return BoardRead(movements.now(), views, detail)


class MovementRowsModel(RowsModel[MovementView]):
    COLUMNS: ClassVar[tuple[str, ...]] = (
        "State", "Due", "Next check-in", "Last", "Movement", "People",
    )  # fmt: skip

    def __init__(self) -> None:
        super().__init__()
        self.now: datetime | None = None

    def show(self, views: list[MovementView], now: datetime) -> None:
        self.now = now
        self.set_rows(views)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        v = self.row_at(index.row())
        precedence = STATE_PRECEDENCE.get(v.state)
        if role == Qt.ItemDataRole.DisplayRole:
            return (
                v.state.value.upper(),
                due_in(v, self.now) if self.now else "-",
                format_dtg(v.next_due) if v.next_due else "-",
                format_dtg(v.last_checkin) if v.last_checkin else "-",
                v.movement.title,
                ", ".join(v.people),
            )[index.column()]
        if precedence is None:
            return None
        if role == Qt.ItemDataRole.BackgroundRole:
            fill = precedence_row(precedence)
            return QBrush(fill) if fill is not None else None
        if role == Qt.ItemDataRole.ForegroundRole and index.column() == 0:
            colour = precedence_colour(precedence)
            return QBrush(colour) if colour is not None else None
        if role == Qt.ItemDataRole.FontRole and (
            index.column() == 0 or precedence_bold(precedence)
        ):
            font = QFont()
            font.setBold(True)
            return font
        return None


class MovementBoard(TablePage):
    def __init__(
        self,
        session: Session,
        tasks: TaskRunner,
        changes: ChangeRelay,
        *,
        refresh_ms: int = REFRESH_MS,
        confirm: Confirmer = ask_yes_no,
        parent: QWidget | None = None,
    ) -> None:
        """`confirm`: asks before a movement is cancelled (tests answer it)."""
        self.model = MovementRowsModel()
        super().__init__(
            "Movements",
            self.model,
            tasks,
            empty_text="No active movement. Plan movement… (Ctrl+N) plans one; active "
            "movements appear here with their next check-in.",
            stretch_column=4,
            parent=parent,
        )
        self.model.setParent(self)
        self._session = session
        self._confirm = confirm
        self.shown: str | None = None  # the movement whose details show
        self.detail: MovementDetail | None = None
        self.dialogs: OpenDialogs[PlanMovementDialog] = OpenDialogs()
        self.revisions: OpenDialogs[ReviseMovementDialog] = OpenDialogs()

        self.plan_button = QPushButton("&Plan movement…", self)
        self.plan_button.setToolTip("Plan a movement (Ctrl+N)")
        self.plan_button.clicked.connect(self.plan_movement)
        self.check_in_button = QPushButton("&Check in", self)
        self.check_in_button.setToolTip("Check the selected movement in now (Ctrl+K)")
        self.position_edit = QLineEdit(self)
        self.position_edit.setPlaceholderText("position (optional): MGRS or decimal degrees")
        self.position_edit.setAccessibleName("Check-in position")
        self.position_edit.returnPressed.connect(self.check_in)
        position_label = QLabel("P&osition:", self)
        position_label.setBuddy(self.position_edit)
        self.arrived_button = QPushButton("&Arrived", self)
        self.revise_button = QPushButton("Rev&ise…", self)
        self.revise_button.setToolTip(
            "A new ETA or check-in interval for the selected movement (planners)"
        )
        self.cancel_button = QPushButton("Ca&ncel movement…", self)
        self.cancel_button.setToolTip(
            "Call off the selected movement: no more check-ins are expected, no more alerts"
        )
        self.check_in_button.clicked.connect(self.check_in)
        self.arrived_button.clicked.connect(self.arrive)
        self.revise_button.clicked.connect(self.revise_movement)
        self.cancel_button.clicked.connect(self.cancel_movement)
        QShortcut(QKeySequence("Ctrl+K"), self, self.check_in)
        QShortcut(QKeySequence("Ctrl+N"), self, self.plan_movement)
        row = QHBoxLayout()
        row.addWidget(self.plan_button)
        row.addSpacing(12)
        row.addWidget(position_label)
        row.addWidget(self.position_edit, 1)
        row.addWidget(self.check_in_button)
        row.addWidget(self.arrived_button)
        row.addWidget(self.revise_button)
        row.addWidget(self.cancel_button)

        self.details = QPlainTextEdit(self)
        self.details.setReadOnly(True)
        self.details.setTabChangesFocus(True)
        self.details.setAccessibleName("Movement details")
        self.details.setPlaceholderText("Select a movement to see its route and check-ins.")
        box = QGroupBox("Selected movement", self)
        inner = QVBoxLayout(box)
        inner.addWidget(self.details)
        layout = self.layout()
        assert isinstance(layout, QVBoxLayout)
        layout.addLayout(row)
        layout.addWidget(box, 1)

        self.table.selectionModel().selectionChanged.connect(self._on_selection)
        self._scheduler = RefreshScheduler(changes, WATCHED, self)
        self._scheduler.refresh_requested.connect(self.refresh)
        self.clock = QTimer(self)
        self.clock.setInterval(refresh_ms)
        self.clock.timeout.connect(self.refresh)
        if refresh_ms > 0:
            self.clock.start()
        self.refresh()

    # -- reading ------------------------------------------------------------------------------

    def read(self) -> BoardRead:
        return read_board(self._session.movements, self.shown)

    def show_rows(self, rows: BoardRead) -> None:
        views = rows.views
        self.model.show(views, rows.now)
        overdue = sum(1 for v in views if v.state is not State.ON_TIME)
        self.set_summary(f"{len(views)} active, {overdue} not on time", rows=len(views))
        self.detail = rows.detail
        self.shown = rows.detail.view.id if rows.detail else None
        ids = [v.id for v in views]
        if self.shown in ids:
            self.table.selectRow(ids.index(self.shown))
        self.details.setPlainText(describe(rows.detail, rows.now) if rows.detail else "")

    @Slot(QItemSelection, QItemSelection)
    def _on_selection(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        view = self.selected()
        if view is not None and view.id != self.shown:
            self.shown = view.id
            self.refresh()

    def selected(self) -> MovementView | None:
        picked = self.table.selectionModel().selectedRows()
        return self.model.row_at(picked[0].row()) if picked else None

    # -- acting -------------------------------------------------------------------------------

    @Slot()
    def plan_movement(self) -> None:
        """Open Plan movement… once the roster (its people to choose from) is read."""
        if self._closed:
            return
        session = self._session
        self._tasks.run(
            "read roster for a movement",
            lambda: (session.roster.entries(), session.movements.now()),
            self._open_plan,
            self._on_failed,
        )

    def _open_plan(self, answer: tuple[list[RosterEntry], datetime]) -> None:
        if self._closed:
            return
        if self.dialogs.bring_to_front():
            return
        people, now = answer
        dialog = PlanMovementDialog(self._session.movements, self._tasks, people, now, self)
        dialog.planned.connect(self._show_movement)
        self.dialogs.open(dialog)

    def _show_movement(self, movement_id: str) -> None:
        self.shown = movement_id
        self.refresh()

    @Slot()
    def check_in(self) -> None:
        view = self.selected()
        if view is None or self._closed:
            return
        movements, where = self._session.movements, self.position_edit.text().strip() or None
        self._tasks.run(
            "check in",
            lambda: movements.check_in(view.id, position=where),
            lambda _result: self.position_edit.clear(),
            self._on_failed,
        )

    @Slot()
    def arrive(self) -> None:
        view = self.selected()
        if view is None or self._closed:
            return
        movements, where = self._session.movements, self.position_edit.text().strip() or None
        self._tasks.run(
            "arrive",
            lambda: movements.arrive(view.id, position=where),
            lambda _result: self.position_edit.clear(),
            self._on_failed,
        )

    @Slot()
    def revise_movement(self) -> None:
        """A new ETA or check-in interval for the selected movement, in its own dialog."""
        view = self.selected()
        if view is None or self._closed:
            return
        if self.revisions.bring_to_front(lambda d: d.movement_id == view.id):
            return
        dialog = ReviseMovementDialog(self._session.movements, self._tasks, view, self)
        dialog.revised.connect(self._show_movement)
        self.revisions.open(dialog)

    @Slot()
    def cancel_movement(self) -> None:
        """After a question (No is the default): the movement is closed as cancelled, leaves
        the board and raises no more alerts. Refused for an officer who may not plan."""
        view = self.selected()
        if view is None or self._closed:
            return
        title = view.movement.title
        question = (
            f"Cancel the movement “{title}”?\n\nNo more check-ins are expected from it and no "
            "more alerts are raised for it, on this laptop or on those it syncs with. A "
            "cancelled movement cannot be resumed: plan a new one if it goes ahead."
        )
        if not self._confirm(self, question) or self._closed:
            return
        movements = self._session.movements
        self._tasks.run(
            "cancel movement", lambda: movements.cancel(view.id), on_failure=self._on_failed
        )  # the board reads again on the movement's ChangeSet

    # -- lock ---------------------------------------------------------------------------------

    def close_page(self) -> None:
        """At lock: no more reads, the timer stops, dialogs close, nothing shown stays."""
        super().close_page()
        self.clock.stop()
        self.dialogs.close_for_lock()
        self.revisions.close_for_lock()
        self.model.set_rows([])
        self.model.now = None
        self.detail = None
        self.shown = None
        self.details.clear()
        self.position_edit.clear()
        self.summary.setText("")
