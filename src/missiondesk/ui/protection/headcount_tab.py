"""The Headcount tab: start one (duty officer, security officer or commander; the tab says why
not otherwise), mark each person Safe / Needs help / Unaccounted, the roll-up per outpost and
for the mission with the time the last person was accounted for, and close it.

Read in one call on the vault thread, again on ChangeSets of headcounts, marks and the roster
(marks made on other laptops arrive the same way).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QRadioButton,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from missiondesk.domain.dtg import format_dtg
from missiondesk.domain.errors import InvalidFields
from missiondesk.domain.protection_rules import HEADCOUNT_LEADERS
from missiondesk.domain.records.headcount import Headcount, PersonStatus
from missiondesk.services.headcount import HeadcountService, HeadcountView, Rollup
from missiondesk.services.session import Session
from missiondesk.ui.changes import ChangeRelay, RefreshScheduler
from missiondesk.ui.feedback import InlineError, fit_height_to_width
from missiondesk.ui.protection.fields import FieldRows, FieldsDialog, OpenDialogs
from missiondesk.ui.tasks import Failure, TaskRunner
from missiondesk.ui.theme import ERROR, MUTED_STYLE, is_dark, muted_label, page_title

WATCHED = frozenset({"headcount", "headcount_mark", "person"})
STATUS_TEXT = {
    PersonStatus.SAFE: "Safe",
    PersonStatus.NEEDS_HELP: "NEEDS HELP",
    PersonStatus.UNACCOUNTED: "Unaccounted",
}
_LIGHT = {
    PersonStatus.SAFE: QColor("#d7f0db"),
    PersonStatus.NEEDS_HELP: QColor("#fbd9d6"),
    PersonStatus.UNACCOUNTED: QColor("#fff1c2"),
}
_DARK = {
    PersonStatus.SAFE: QColor("#1e4d2b"),
    PersonStatus.NEEDS_HELP: QColor("#6b1f1c"),
    PersonStatus.UNACCOUNTED: QColor("#5a4a14"),
}
ROLLUP_COLUMNS = ("Outpost", "Safe", "Needs help", "Unaccounted", "Total", "All accounted for")
PEOPLE_COLUMNS = ("Person", "Status", "Note", "Marked", "By")


def status_colour(status: PersonStatus) -> QColor:
    return (_DARK if is_dark() else _LIGHT)[status]


def accounted(rollup: Rollup) -> str:
    """When the last person was accounted for, or how many are still unaccounted."""
    if rollup.accounted_at is not None:
        return format_dtg(rollup.accounted_at)
    return f"not yet ({rollup.unaccounted} unaccounted)" if rollup.total else "-"


def rollup_sentence(rollup: Rollup) -> str:
    counts = (
        f"{rollup.safe} safe, {rollup.needs_help} need help, {rollup.unaccounted} unaccounted "
        f"of {rollup.total}"
    )
    if rollup.accounted_at is not None:
        return f"{counts}; all accounted for at {format_dtg(rollup.accounted_at)}"
    return counts


@dataclass(frozen=True)
class HeadcountRead:
    start_refusal: str | None  # why this laptop may not start a headcount (None: it may)
    close_refusal: str | None
    view: HeadcountView | None  # the open headcount
    last: tuple[str, Headcount] | None  # the latest one, when none is open
    outposts: list[str]


def read_headcount(session: Session) -> HeadcountRead:
    access, service = session.protection_access, session.headcount
    current = service.current()
    view = service.status(current) if current else None
    last = None if current else next(iter(service.headcounts()), None)
    return HeadcountRead(
        access.refusal(HEADCOUNT_LEADERS, "start a headcount"),
        access.refusal(HEADCOUNT_LEADERS, "close a headcount"),
        view,
        last,
        session.roster.outposts(),
    )


class StartHeadcountDialog(FieldsDialog):
    """Title and scope (the whole mission or some outposts); emits `started(id)`."""

    started = Signal(str)

    def __init__(
        self,
        service: HeadcountService,
        tasks: TaskRunner,
        outposts: Sequence[str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Start headcount")
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 60)
        self._service = service
        self._tasks = tasks
        self.title_edit = QLineEdit("Emergency headcount", self)
        self.title_edit.setMaxLength(200)
        self.title_edit.selectAll()
        self.mission_radio = QRadioButton("The whole &mission", self)
        self.outposts_radio = QRadioButton("&These outposts:", self)
        self.mission_radio.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.mission_radio)
        group.addButton(self.outposts_radio)
        self.outpost_list = QListWidget(self)
        self.outpost_list.setAccessibleName("Outposts")
        self.outpost_list.setMaximumHeight(self.fontMetrics().lineSpacing() * 6 + 10)
        for name in outposts:
            item = QListWidgetItem(name, self.outpost_list)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
        if outposts:
            self.outpost_list.setCurrentRow(0)
        self.outpost_list.itemChanged.connect(lambda _item: self.outposts_radio.setChecked(True))
        scope = QWidget(self)
        column = QVBoxLayout(scope)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.mission_radio)
        column.addWidget(self.outposts_radio)
        column.addWidget(self.outpost_list)
        self.general_error = InlineError(self)
        form = QFormLayout()
        self.rows = FieldRows(self, form, self.general_error)
        self.rows.add("title", "T&itle:", self.title_edit)
        self.rows.add("outposts", "Scope:", scope)
        note = muted_label(
            "Everyone on the roster in scope is Unaccounted until marked. The headcount goes "
            "to every laptop of the mission as FLASH.",
            self,
        )
        self.start_button = QPushButton("&Start headcount", self)
        self.submit_button = self.start_button
        self.start_button.setDefault(True)
        buttons = QDialogButtonBox(self)
        buttons.addButton(self.start_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel).setAutoDefault(False)
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(self.general_error)
        layout.addWidget(buttons)
        self.title_edit.setFocus()
        fit_height_to_width(self)

    def scope(self) -> list[str]:
        if self.mission_radio.isChecked():
            return []
        return [
            self.outpost_list.item(i).text()
            for i in range(self.outpost_list.count())
            if self.outpost_list.item(i).checkState() == Qt.CheckState.Checked
        ]

    @Slot()
    def submit(self) -> None:
        if self._gone or not self.start_button.isEnabled():
            return
        self.rows.clear()
        if self.outposts_radio.isChecked() and not self.scope():
            self.rows.show_errors({"outposts": "tick at least one outpost, or the whole mission"})
            return
        self.start_button.setEnabled(False)
        service, title, scope = self._service, self.title_edit.text().strip(), self.scope()
        self._tasks.run(
            "start headcount", lambda: service.start(title, scope), self._done, self._refused
        )

    def _done(self, headcount_id: str) -> None:
        if not self._gone:
            self.started.emit(headcount_id)
            self.accept()


class HeadcountTab(QWidget):
    def __init__(
        self,
        session: Session,
        tasks: TaskRunner,
        changes: ChangeRelay,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._session = session
        self._tasks = tasks
        self._closed = False
        self.state: HeadcountRead | None = None
        self.dialogs: OpenDialogs[StartHeadcountDialog] = OpenDialogs()

        self.title = page_title("Headcount", self)
        self.summary = muted_label("", self)
        self.summary.setAccessibleName("Headcount summary")

        # -- no headcount open
        self.idle = QWidget(self)
        self.idle_note = QLabel("", self.idle)
        self.idle_note.setWordWrap(True)
        self.start_button = QPushButton("&Start headcount…", self.idle)
        self.start_button.setToolTip("Account for everyone: the mission or some outposts")
        self.start_button.clicked.connect(self.start)
        self.refusal = QLabel("", self.idle)
        self.refusal.setWordWrap(True)
        self.refusal.setTextFormat(Qt.TextFormat.PlainText)
        self.refusal.setStyleSheet(f"color: {ERROR.name()}; font-weight: bold;")
        self.refusal.setAccessibleName("Why a headcount cannot be started here")
        idle = QVBoxLayout(self.idle)
        idle.setContentsMargins(0, 0, 0, 0)
        idle.addWidget(self.idle_note)
        idle.addWidget(self.start_button, 0, Qt.AlignmentFlag.AlignLeft)
        idle.addWidget(self.refusal)
        idle.addStretch(1)

        # -- a headcount open
        self.open_view = QWidget(self)
        self.heading = QLabel("", self.open_view)
        self.heading.setWordWrap(True)
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        self.people = QTreeWidget(self.open_view)
        self.people.setAccessibleName("People by outpost")
        self.people.setColumnCount(len(PEOPLE_COLUMNS))
        self.people.setHeaderLabels(PEOPLE_COLUMNS)
        self.people.setRootIsDecorated(True)
        self.people.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.people.header().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.rollup = QTableWidget(0, len(ROLLUP_COLUMNS), self.open_view)
        self.rollup.setAccessibleName("Roll-up")
        self.rollup.setHorizontalHeaderLabels(ROLLUP_COLUMNS)
        self.rollup.verticalHeader().hide()
        self.rollup.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.rollup.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(len(ROLLUP_COLUMNS) - 1, QHeaderView.ResizeMode.Stretch)
        self.rollup.setWordWrap(False)
        rows = self.rollup.verticalHeader().defaultSectionSize()
        self.rollup.setMinimumHeight(rows * 6)  # a few outposts and the mission, unscrolled
        self.note_edit = QLineEdit(self.open_view)
        self.note_edit.setPlaceholderText("note (optional)")
        self.note_edit.setMaxLength(500)
        self.position_edit = QLineEdit(self.open_view)
        self.position_edit.setPlaceholderText("position (optional): MGRS or decimal degrees")
        note_label = QLabel("N&ote:", self.open_view)
        note_label.setBuddy(self.note_edit)
        position_label = QLabel("Pos&ition:", self.open_view)
        position_label.setBuddy(self.position_edit)
        self.note_edit.setAccessibleName("Note")
        self.position_edit.setAccessibleName("Position")
        self.safe_button = QPushButton("Sa&fe", self.open_view)
        self.help_button = QPushButton("Needs hel&p", self.open_view)
        self.unaccounted_button = QPushButton("&Unaccounted", self.open_view)
        for button, status in (
            (self.safe_button, PersonStatus.SAFE),
            (self.help_button, PersonStatus.NEEDS_HELP),
            (self.unaccounted_button, PersonStatus.UNACCOUNTED),
        ):
            button.setToolTip(f"Mark the selected person {status.label}; the next one is selected")
            button.clicked.connect(lambda _checked=False, s=status: self.mark(s))
        self.mark_error = InlineError(self.open_view)
        self.close_button = QPushButton("Clos&e headcount", self.open_view)
        self.close_button.clicked.connect(self.close_headcount)
        self.close_refusal = QLabel("", self.open_view)
        self.close_refusal.setWordWrap(True)
        self.close_refusal.setStyleSheet(MUTED_STYLE)
        marks = QHBoxLayout()
        marks.addWidget(note_label)
        marks.addWidget(self.note_edit, 2)
        marks.addWidget(position_label)
        marks.addWidget(self.position_edit, 2)
        marks.addWidget(self.safe_button)
        marks.addWidget(self.help_button)
        marks.addWidget(self.unaccounted_button)
        closing = QHBoxLayout()
        closing.addWidget(self.close_refusal, 1)
        closing.addWidget(self.close_button)
        column = QVBoxLayout(self.open_view)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.heading)
        column.addWidget(self.people, 2)
        column.addLayout(marks)
        column.addWidget(self.mark_error)
        column.addWidget(QLabel("Roll-up", self.open_view))
        column.addWidget(self.rollup, 1)
        column.addLayout(closing)

        self.body = QStackedWidget(self)
        self.body.addWidget(self.idle)
        self.body.addWidget(self.open_view)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addWidget(self.title)
        layout.addWidget(self.summary)
        layout.addWidget(self.body, 1)

        self._scheduler = RefreshScheduler(changes, WATCHED, self)
        self._scheduler.refresh_requested.connect(self.refresh)
        self.refresh()

    # -- reading ------------------------------------------------------------------------------

    @Slot()
    def refresh(self) -> None:
        if self._closed:
            return
        session = self._session
        self._tasks.run(
            "read headcount", lambda: read_headcount(session), self._on_read, self._on_failed
        )

    def _on_read(self, state: HeadcountRead) -> None:
        if self._closed:
            return
        self.state = state
        self.summary.setStyleSheet(MUTED_STYLE)
        if state.view is None:
            self._show_idle(state)
        else:
            self._show_open(state, state.view)

    def _show_idle(self, state: HeadcountRead) -> None:
        self.body.setCurrentWidget(self.idle)
        self.summary.setText("No headcount is open.")
        if state.last is None:
            self.idle_note.setText(
                "In an emergency, a headcount accounts for everyone on the roster: each person "
                "is Safe, Needs help or Unaccounted, by outpost and for the mission."
            )
        else:
            _id, last = state.last
            closed = f" was closed at {format_dtg(last.closed)}" if last.closed else " was closed"
            self.idle_note.setText(f"The last headcount, {last.title},{closed}.")
        self.start_button.setEnabled(state.start_refusal is None)
        self.refusal.setText(state.start_refusal or "")
        self.refusal.setVisible(state.start_refusal is not None)

    def _show_open(self, state: HeadcountRead, view: HeadcountView) -> None:
        self.body.setCurrentWidget(self.open_view)
        headcount = view.headcount
        scope = ", ".join(headcount.outposts) if headcount.outposts else "the whole mission"
        by = f" by {headcount.started_by}" if headcount.started_by else ""
        self.heading.setText(
            f"{headcount.title} · {scope} · started {format_dtg(headcount.started)}{by}"
        )
        self.summary.setText(f"Mission: {rollup_sentence(view.mission)}.")
        chosen = self.selected_person()
        self.people.clear()
        rollups = {r.name: r for r in view.outposts}
        groups: dict[str, QTreeWidgetItem] = {}
        bold = QFont(self.people.font())
        bold.setBold(True)
        to_select: QTreeWidgetItem | None = None
        for line in view.people:
            group = groups.get(line.outpost)
            if group is None:
                group = QTreeWidgetItem(self.people)
                group.setText(0, line.outpost)
                rollup = rollups.get(line.outpost)
                group.setText(1, rollup_sentence(rollup) if rollup else "")
                group.setFirstColumnSpanned(False)
                group.setFont(0, bold)
                group.setFlags(group.flags() & ~Qt.ItemFlag.ItemIsSelectable)
                groups[line.outpost] = group
            item = QTreeWidgetItem(group)
            item.setData(0, Qt.ItemDataRole.UserRole, line.person)
            marked = format_dtg(line.marked) if line.marked else ""
            for column, text in enumerate(
                (line.label, STATUS_TEXT[line.status], line.note, marked, line.marked_by)
            ):
                item.setText(column, text)
            fill = QBrush(status_colour(line.status))
            for column in range(len(PEOPLE_COLUMNS)):
                item.setBackground(column, fill)
            if line.status is not PersonStatus.SAFE:
                item.setFont(1, bold)
            if line.person == chosen:
                to_select = item
        self.people.expandAll()
        for column in (0, 1, 3, 4):
            self.people.resizeColumnToContents(column)
        if to_select is None and groups:
            first = next(iter(groups.values()))
            to_select = first.child(0) if first.childCount() else None
        if to_select is not None:
            self.people.setCurrentItem(to_select)

        rows = [*view.outposts, view.mission]
        self.rollup.setRowCount(len(rows))
        for row, rollup in enumerate(rows):
            name = "Mission" if rollup is view.mission else rollup.name
            cells = (name, rollup.safe, rollup.needs_help, rollup.unaccounted, rollup.total,
                     accounted(rollup))  # fmt: skip
            for column, value in enumerate(cells):
                cell = QTableWidgetItem(str(value))
                if rollup is view.mission:
                    cell.setFont(bold)
                self.rollup.setItem(row, column, cell)
        self.close_button.setEnabled(state.close_refusal is None)
        self.close_refusal.setText(state.close_refusal or "")

    def _on_failed(self, failure: Failure) -> None:
        if self._closed:
            return
        self.summary.setStyleSheet(f"color: {ERROR.name()}; font-weight: bold;")
        self.summary.setText(failure.message)

    # -- what tests and screen readers read ---------------------------------------------------

    def selected_person(self) -> str | None:
        item = self.people.currentItem()
        value = item.data(0, Qt.ItemDataRole.UserRole) if item is not None else None
        return str(value) if value else None

    def person_items(self) -> list[QTreeWidgetItem]:
        """The people's lines of the tree (not the outposts'), in order."""
        found = []
        for i in range(self.people.topLevelItemCount()):
            group = self.people.topLevelItem(i)
            if group is None:
                continue
            for j in range(group.childCount()):
                item = group.child(j)
                if item is not None:
                    found.append(item)
        return found

    def select_person(self, label: str) -> None:
        for item in self.person_items():
            if item.text(0) == label:
                self.people.setCurrentItem(item)
                return
        raise LookupError(label)

    def statuses(self) -> dict[str, str]:
        """Person label -> status text as the tree shows it."""
        return {item.text(0): item.text(1) for item in self.person_items()}

    def rollup_rows(self) -> list[tuple[str, ...]]:
        rows = []
        for r in range(self.rollup.rowCount()):
            cells = (self.rollup.item(r, c) for c in range(self.rollup.columnCount()))
            rows.append(tuple(cell.text() if cell is not None else "" for cell in cells))
        return rows

    # -- acting -------------------------------------------------------------------------------

    @Slot()
    def start(self) -> None:
        state = self.state
        if self._closed or state is None:
            return
        if state.start_refusal is not None:
            self.refusal.setText(state.start_refusal)
            self.refusal.show()
            return
        if self.dialogs.bring_to_front():
            return
        dialog = StartHeadcountDialog(self._session.headcount, self._tasks, state.outposts, self)
        dialog.started.connect(lambda _id: self.refresh())
        self.dialogs.open(dialog)

    def mark(self, status: PersonStatus) -> None:
        """Mark the selected person; the next one in the list is selected after."""
        state, person = self.state, self.selected_person()
        if self._closed or state is None or state.view is None:
            return
        if person is None:
            self.mark_error.show_message("Select a person in the list first.")
            return
        service, headcount = self._session.headcount, state.view.id
        note, where = self.note_edit.text().strip(), self.position_edit.text().strip() or None
        self.mark_error.clear_message()
        following = self._person_below(self.people.currentItem())
        self._tasks.run(
            "mark headcount",
            lambda: service.mark(headcount, person, status, note=note, position=where),
            lambda _line: self._marked(following),
            self._mark_refused,
        )

    def _person_below(self, item: QTreeWidgetItem | None) -> str | None:
        below = self.people.itemBelow(item) if item is not None else None
        while below is not None and not below.data(0, Qt.ItemDataRole.UserRole):
            below = self.people.itemBelow(below)
        return str(below.data(0, Qt.ItemDataRole.UserRole)) if below is not None else None

    def _marked(self, following: str | None) -> None:
        if self._closed:
            return
        self.note_edit.clear()
        self.position_edit.clear()
        if following is not None:
            self._select_id(following)

    def _select_id(self, person_id: str) -> None:
        for item in self.person_items():
            if item.data(0, Qt.ItemDataRole.UserRole) == person_id:
                self.people.setCurrentItem(item)
                return

    def _mark_refused(self, failure: Failure) -> None:
        if self._closed:
            return
        if isinstance(failure.error, InvalidFields):
            fields = failure.error.fields()
            self.mark_error.show_message(
                " ".join(f"{k.capitalize()}: {v}." for k, v in fields.items())
            )
        else:
            self.mark_error.show_message(failure.message)

    @Slot()
    def close_headcount(self) -> None:
        state = self.state
        if self._closed or state is None or state.view is None:
            return
        service, headcount = self._session.headcount, state.view.id
        self._tasks.run(
            "close headcount",
            lambda: service.close(headcount),
            lambda _view: self.refresh(),
            lambda failure: self.mark_error.show_message(failure.message),
        )

    # -- lock ---------------------------------------------------------------------------------

    def clear(self) -> None:
        self._closed = True
        self.dialogs.close_for_lock()
        self.state = None
        self.people.clear()
        self.rollup.setRowCount(0)
        self.heading.clear()
        self.summary.clear()
        self.idle_note.clear()
        self.refusal.clear()
        self.close_refusal.clear()
        self.note_edit.clear()
        self.position_edit.clear()
        self.mark_error.clear_message()
        self.body.setCurrentWidget(self.idle)
