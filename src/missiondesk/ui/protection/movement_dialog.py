"""Plan movement…: title, people from the roster, vehicles, the route one waypoint a line,
departure and ETA as DTGs, the check-in interval; every field from the keyboard. Revise
movement…: a new ETA or check-in interval for an active one.

The plan (and a revision) is made on the vault thread (`MovementService.plan`, `.revise`); a
refusal goes under its field (``route.1`` under the route, as "line 2") and everything typed
stays as it was.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from missiondesk.domain.coordinates import parse_location
from missiondesk.domain.dtg import format_dtg, parse_dtg
from missiondesk.domain.errors import FieldProblem, InvalidFields, MissionDeskError
from missiondesk.domain.records.movements import MAX_INTERVAL_MIN, Waypoint
from missiondesk.services.movements import MovementService, MovementView
from missiondesk.services.roster import RosterEntry
from missiondesk.ui.feedback import InlineError, fit_height_to_width
from missiondesk.ui.protection.fields import FieldRows, FieldsDialog, hint_label
from missiondesk.ui.tasks import Failure, TaskRunner

NOT_A_DTG = "is not a date-time group: write it like 221530Z NOV 26 (UTC)"
ROUTE_NAMES = {"route": "line", "people": "person"}


@dataclass(frozen=True)
class MovementForm:
    """What was typed, as text (parsed on the vault thread by `plan_movement`)."""

    title: str
    people: tuple[str, ...]  # person ids
    vehicles: tuple[str, ...]
    route: tuple[str, ...]  # one waypoint a line
    depart: str
    eta: str
    interval: int


def route_point(line: str) -> str | Waypoint:
    """A line of the route: ``NAME=LOCATION`` as the service takes it, a bare location (MGRS,
    decimal degrees, DMS) as a located point named by it, anything else as a name."""
    if "=" in line:
        return line
    try:
        where = parse_location(line)
    except MissionDeskError:
        return line
    return Waypoint(name=line[:120], location=where)


def _dtg(text: str, field: str, problems: list[FieldProblem]) -> datetime | None:
    if not text.strip():
        problems.append(FieldProblem(field, "is required"))
        return None
    try:
        return parse_dtg(text)
    except MissionDeskError:
        problems.append(FieldProblem(field, NOT_A_DTG))
        return None


def plan_movement(movements: MovementService, form: MovementForm) -> str:
    """Plan what the form holds (on the vault thread); InvalidFields names each wrong field."""
    problems: list[FieldProblem] = []
    depart = _dtg(form.depart, "depart", problems)
    eta = _dtg(form.eta, "eta", problems)
    if not form.people:
        problems.append(FieldProblem("people", "tick at least one person"))
    if problems or depart is None or eta is None:
        raise InvalidFields("movement", tuple(problems))
    return movements.plan(
        form.title,
        form.people,
        [route_point(line) for line in form.route],
        depart=depart,
        eta=eta,
        interval=form.interval,
        vehicles=form.vehicles,
    )


def explain_dtg(text: str, hint: QLabel) -> None:
    """Under a DTG field: the moment it is understood as, in UTC and local time."""
    if not text.strip():
        hint.setText("Required: a DTG in UTC (DDHHMMZ MON YY).")
        return
    try:
        moment = parse_dtg(text)
    except MissionDeskError:
        hint.setText("Not a date-time group yet: DDHHMMZ MON YY, in UTC.")
        return
    hint.setText(f"{moment:%d %b %Y %H:%M} UTC ({moment.astimezone():%H:%M %a} local)")


class MovementFieldsDialog(FieldsDialog):
    """What Plan movement… and Revise movement… share: the ETA and check-in interval fields,
    the submit and Cancel buttons, and one piece of work on the vault thread at a time whose
    answer (the movement's id) goes to `_succeeded` before the dialog closes."""

    def __init__(
        self,
        movements: MovementService,
        tasks: TaskRunner,
        title: str,
        *,
        width_chars: int,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * width_chars)
        self._movements = movements
        self._tasks = tasks
        self._busy = False
        self.eta_edit = QLineEdit(self)
        self.eta_edit.setPlaceholderText("DTG, e.g. 221930Z NOV 26")
        self.eta_hint = hint_label(self, "ETA, as understood")
        self.eta_edit.textChanged.connect(lambda t: explain_dtg(t, self.eta_hint))
        self.interval_spin = QSpinBox(self)
        self.interval_spin.setRange(1, MAX_INTERVAL_MIN)
        self.interval_spin.setValue(60)
        self.interval_spin.setSuffix(" min")
        self.general_error = InlineError(self)
        self.form_layout = QFormLayout()
        self.rows = FieldRows(self, self.form_layout, self.general_error)

        self.buttons = QDialogButtonBox(self)
        self.submit_button = QPushButton(f"&{title}", self)
        self.submit_button.setDefault(True)
        self.submit_button.setAutoDefault(True)
        self.buttons.addButton(self.submit_button, QDialogButtonBox.ButtonRole.AcceptRole)
        cancel = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        cancel.setAutoDefault(False)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)

    def add_time_rows(self, eta_label: str, *, required: bool = False) -> None:
        self.rows.add("eta", eta_label, self.eta_edit, hint=self.eta_hint, required=required)
        self.rows.add("interval", "Check-in &interval:", self.interval_spin)
        self.rows.alias("escalation", "interval")

    def lay_out(self, *above: QWidget) -> None:
        """`above` the fields, then the fields, a refusal that names none of them, the
        buttons; the ETA's hint says how its text is understood."""
        layout = QVBoxLayout(self)
        for widget in above:
            layout.addWidget(widget)
        layout.addLayout(self.form_layout)
        layout.addWidget(self.general_error)
        layout.addWidget(self.buttons)
        explain_dtg(self.eta_edit.text(), self.eta_hint)

    @Slot()
    def submit(self) -> None:
        """Subclasses call `run_work` with what the fields hold."""
        raise NotImplementedError

    def run_work(self, name: str, work: Callable[[], str]) -> None:
        if self._busy or self._gone:
            return
        self._busy = True
        self.submit_button.setEnabled(False)
        self.rows.clear()
        self._tasks.run(name, work, self._done, self._refused)

    def _done(self, movement_id: str) -> None:
        self._busy = False
        if self._gone:
            return
        self._succeeded(movement_id)
        self.accept()

    def _succeeded(self, movement_id: str) -> None:
        raise NotImplementedError

    def _refused(self, failure: Failure) -> None:
        self._busy = False
        super()._refused(failure)


class PlanMovementDialog(MovementFieldsDialog):
    """Emits `planned(movement id)` once the movement is in the vault, then closes."""

    planned = Signal(str)

    def __init__(
        self,
        movements: MovementService,
        tasks: TaskRunner,
        people: Sequence[RosterEntry],
        now: datetime,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(movements, tasks, "Plan movement", width_chars=70, parent=parent)
        self.title_edit = QLineEdit(self)
        self.title_edit.setMaxLength(200)
        self.title_edit.setPlaceholderText("e.g. Resupply run to OP North")
        self.people_list = QListWidget(self)
        self.people_list.setMaximumHeight(self.fontMetrics().lineSpacing() * 7 + 10)
        for entry in people:
            text = (
                entry.label
                if not entry.person.callsign
                else (f"{entry.person.callsign} · {entry.person.name}")
            )
            item = QListWidgetItem(f"{text} ({entry.outpost})", self.people_list)
            item.setData(Qt.ItemDataRole.UserRole, entry.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
        if self.people_list.count():
            self.people_list.setCurrentRow(0)
        self.vehicles_edit = QLineEdit(self)
        self.vehicles_edit.setPlaceholderText("comma between vehicles, e.g. UN-1234, UN-2201")
        self.route_edit = QPlainTextEdit(self)
        self.route_edit.setTabChangesFocus(True)
        self.route_edit.setPlaceholderText(
            "One waypoint a line: a name, MGRS (38S MB 44845 36965), decimal degrees "
            "(33.31, 44.36) or NAME=LOCATION"
        )
        self.route_edit.setFixedHeight(self.fontMetrics().lineSpacing() * 5 + 14)
        self.depart_edit = QLineEdit(format_dtg(now), self)
        self.depart_edit.setPlaceholderText("DTG, e.g. 221530Z NOV 26")
        self.depart_hint = hint_label(self, "Departure, as understood")

        self.rows.add("title", "&Title:", self.title_edit, required=True)
        self.rows.add("people", "Pe&ople (Space ticks):", self.people_list, required=True)
        self.rows.add("vehicles", "&Vehicles:", self.vehicles_edit)
        self.rows.add("route", "&Route:", self.route_edit, required=True)
        self.rows.add(
            "depart", "&Departure (DTG):", self.depart_edit, hint=self.depart_hint, required=True
        )
        self.add_time_rows("&ETA (DTG):", required=True)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self, self.submit)

        self.lay_out()
        self.depart_edit.textChanged.connect(lambda t: explain_dtg(t, self.depart_hint))
        explain_dtg(self.depart_edit.text(), self.depart_hint)
        self.title_edit.setFocus()
        fit_height_to_width(self)

    def form(self) -> MovementForm:
        people = []
        for row in range(self.people_list.count()):
            item = self.people_list.item(row)
            if item.checkState() == Qt.CheckState.Checked:
                people.append(str(item.data(Qt.ItemDataRole.UserRole)))
        route = [line.strip() for line in self.route_edit.toPlainText().splitlines()]
        return MovementForm(
            title=self.title_edit.text().strip(),
            people=tuple(people),
            vehicles=tuple(v.strip() for v in self.vehicles_edit.text().split(",") if v.strip()),
            route=tuple(line for line in route if line),
            depart=self.depart_edit.text(),
            eta=self.eta_edit.text(),
            interval=self.interval_spin.value(),
        )

    @Slot()
    def submit(self) -> None:
        movements, form = self._movements, self.form()
        self.run_work("plan movement", lambda: plan_movement(movements, form))

    def _succeeded(self, movement_id: str) -> None:
        self.planned.emit(movement_id)

    def show_field_errors(self, fields: Mapping[str, str]) -> None:
        self.rows.show_errors(fields, names=ROUTE_NAMES)


def revise_movement(movements: MovementService, movement_id: str, eta: str, interval: int) -> str:
    """Revise what the form holds (on the vault thread); InvalidFields names each wrong field."""
    problems: list[FieldProblem] = []
    when = _dtg(eta, "eta", problems)
    if problems or when is None:
        raise InvalidFields("movement", tuple(problems))
    movements.revise(movement_id, eta=when, interval=interval)
    return movement_id


class ReviseMovementDialog(MovementFieldsDialog):
    """A new ETA or check-in interval for an active movement; emits `revised(movement id)`
    once it is in the vault, then closes."""

    revised = Signal(str)

    def __init__(
        self,
        movements: MovementService,
        tasks: TaskRunner,
        view: MovementView,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(movements, tasks, "Revise movement", width_chars=80, parent=parent)
        self.movement_id = view.id
        movement = view.movement
        about = QLabel(
            f"“{movement.title}”. The next check-in falls due one interval after the last "
            "check-in (or the departure); a check-in missed under the old plan raises nothing "
            "more.",
            self,
        )
        about.setWordWrap(True)
        self.eta_edit.setText(format_dtg(movement.eta))
        self.interval_spin.setValue(movement.interval)
        self.add_time_rows("New &ETA (DTG):")

        self.lay_out(about)
        self.eta_edit.setFocus()
        self.eta_edit.selectAll()
        fit_height_to_width(self)

    @Slot()
    def submit(self) -> None:
        movements, movement_id = self._movements, self.movement_id
        eta, interval = self.eta_edit.text(), self.interval_spin.value()
        self.run_work(
            "revise movement", lambda: revise_movement(movements, movement_id, eta, interval)
        )

    def _succeeded(self, movement_id: str) -> None:
        self.revised.emit(movement_id)
