"""The Checklists section: the checklists with their status colours, one checklist worked item
by item (`item_panel.py`), the compliance view per outpost and template, and starting a
checklist from a template.

Everything is read in one call on the vault thread (`ChecklistService`: templates, lines,
compliance and the checklist shown) and drawn from that answer; answers older than the last
read asked for are dropped. ChangeSets of checklists, their items and templates (local or from
a peer) read again; so does a timer, because statuses turn Late with the clock alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from missiondesk.domain.dtg import format_dtg
from missiondesk.services.attachments import NewAttachment
from missiondesk.services.checklist_views import (
    ChecklistDetail,
    ChecklistLine,
    ComplianceRow,
    InstallResult,
    TemplateView,
)
from missiondesk.services.checklists import ChecklistService
from missiondesk.services.session import Session
from missiondesk.ui.changes import ChangeRelay, RefreshScheduler
from missiondesk.ui.checklists.colours import status_colour
from missiondesk.ui.checklists.item_panel import ItemPanel, PhotoChooser, TickRequest
from missiondesk.ui.tasks import Failure, TaskRunner
from missiondesk.ui.theme import ERROR, muted_label, page_title

CLOCK_TICK_MS = 30_000  # statuses turn Late with the clock: read again this often
RECORD_TYPES = frozenset({"checklist", "checklist_item", "checklist_template", "attachment"})


def ask_for_photo(parent: QWidget) -> str:
    path, _ = QFileDialog.getOpenFileName(
        parent, "Attach a photo", "", "Pictures (*.png *.jpg *.jpeg *.gif *.bmp *.webp)"
    )
    return path


@dataclass(frozen=True)
class ChecklistsView:
    """One read of the section."""

    templates: list[TemplateView]
    lines: list[ChecklistLine]
    compliance: list[ComplianceRow]
    detail: ChecklistDetail | None


def _read(service: ChecklistService, shown: str | None) -> ChecklistsView:
    now = service.now()
    lines = service.lines(now=now)
    if shown is not None and shown not in {line.id for line in lines}:
        shown = None
    detail = service.detail(shown, now=now) if shown else None
    return ChecklistsView(service.templates.list(), lines, service.compliance(now=now), detail)


def _table(parent: QWidget, name: str, columns: tuple[str, ...], stretch: int) -> QTableWidget:
    table = QTableWidget(0, len(columns), parent)
    table.setAccessibleName(name)
    table.setHorizontalHeaderLabels(columns)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().hide()
    table.horizontalHeader().setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    return table


class ChecklistsPage(QWidget):
    LIST_COLUMNS = ("Checklist", "Assigned to", "Outpost", "Due", "Done", "Status")
    COMPLIANCE_COLUMNS = ("Outpost", "Template", "Complete", "Late", "Complete (late)",
                          "Pending")  # fmt: skip

    def __init__(
        self,
        session: Session,
        tasks: TaskRunner,
        changes: ChangeRelay,
        *,
        choose_photo: PhotoChooser | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._service = session.checklists
        self._tasks = tasks
        self._closed = False
        self._generation = 0
        self.shown: str | None = None  # the checklist worked on the right
        self.view: ChecklistsView | None = None

        self.title = page_title("Checklists", self)
        self.summary = muted_label("", self)
        self.template_box = QComboBox(self)
        self.template_box.setAccessibleName("Template")
        self.assignee_edit = QLineEdit(self)
        self.assignee_edit.setPlaceholderText("person, team or callsign")
        self.outpost_edit = QLineEdit(self)
        self.outpost_edit.setPlaceholderText("outpost")
        self.due_edit = QLineEdit(self)
        self.due_edit.setPlaceholderText("due, e.g. 221530Z NOV 26")
        self.start_button = QPushButton("&Start checklist", self)
        self.start_button.clicked.connect(self.start)
        self.due_edit.returnPressed.connect(self.start)
        self.library_button = QPushButton("Install default &library", self)
        self.library_button.clicked.connect(self.install_library)
        self.start_error = QLabel("", self)
        self.start_error.setTextFormat(Qt.TextFormat.PlainText)
        self.start_error.setWordWrap(True)
        self.start_error.setStyleSheet(f"color: {ERROR.name()};")
        self.library_note = muted_label("", self)  # what Install default library did
        self.library_note.setWordWrap(True)
        self.library_note.hide()

        self.list = _table(self, "Checklists", self.LIST_COLUMNS, 0)
        self.list.currentCellChanged.connect(self._on_line_chosen)
        self.panel = ItemPanel(choose_photo or ask_for_photo, self)
        self.panel.tick_requested.connect(self._on_tick_requested)
        self.compliance = _table(self, "Compliance", self.COMPLIANCE_COLUMNS, 1)
        self.tabs = QTabWidget(self)
        self.tabs.addTab(self.panel, "&Work the checklist")
        self.tabs.addTab(self.compliance, "C&ompliance")

        start_row = QHBoxLayout()
        template_label = QLabel("T&emplate:", self)
        template_label.setBuddy(self.template_box)
        start_row.addWidget(template_label)
        start_row.addWidget(self.template_box, 2)
        assignee_label = QLabel("&Assigned to:", self)
        assignee_label.setBuddy(self.assignee_edit)
        start_row.addWidget(assignee_label)
        start_row.addWidget(self.assignee_edit, 1)
        start_row.addWidget(self.outpost_edit, 1)
        due_label = QLabel("&Due:", self)
        due_label.setBuddy(self.due_edit)
        start_row.addWidget(due_label)
        start_row.addWidget(self.due_edit, 1)
        start_row.addWidget(self.start_button)
        start_row.addWidget(self.library_button)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(self.list)
        splitter.addWidget(self.tabs)
        splitter.setStretchFactor(0, 4)  # the list's five columns fit at 1280 px wide
        splitter.setStretchFactor(1, 5)
        splitter.setChildrenCollapsible(False)
        heading = QHBoxLayout()
        heading.addWidget(self.title)
        heading.addWidget(self.summary, 1, Qt.AlignmentFlag.AlignBottom)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addLayout(heading)
        layout.addLayout(start_row)
        layout.addWidget(self.start_error)
        layout.addWidget(self.library_note)
        layout.addWidget(splitter, 1)

        self._scheduler = RefreshScheduler(changes, RECORD_TYPES, self)
        self._scheduler.refresh_requested.connect(self.refresh)
        self.clock = QTimer(self)
        self.clock.setInterval(CLOCK_TICK_MS)
        self.clock.timeout.connect(self.refresh)
        self.clock.start()
        self.refresh()

    # -- reading ------------------------------------------------------------------------------

    @Slot()
    def refresh(self) -> None:
        """Read the section again off the GUI thread (also what the clock's timer does)."""
        if self._closed:
            return
        self._generation += 1
        generation = self._generation
        service, shown = self._service, self.shown
        self._tasks.run(
            "read checklists",
            lambda: _read(service, shown),
            lambda view: self._on_read(view, generation),
            self._on_failed,
        )

    def _on_read(self, view: ChecklistsView, generation: int) -> None:
        if self._closed or generation != self._generation:
            return
        self.view = view
        self._show_templates(view.templates)
        self._show_lines(view.lines)
        self._show_compliance(view.compliance)
        self.panel.show_detail(view.detail)
        late = sum(line.status.value == "late" for line in view.lines)
        self.summary.setText(
            f"{len(view.lines)} checklists, {late} late."
            if view.lines
            else "No checklists yet. Start one from a template."
        )

    def _show_templates(self, templates: list[TemplateView]) -> None:
        chosen = self.template_box.currentData()
        self.template_box.blockSignals(True)
        self.template_box.clear()
        for view in templates:
            self.template_box.addItem(
                f"{view.template.name} (v{view.template.version})", view.template.key
            )
        index = self.template_box.findData(chosen)
        self.template_box.setCurrentIndex(max(index, 0))
        self.template_box.blockSignals(False)
        self.library_button.setVisible(not templates)

    def _show_lines(self, lines: list[ChecklistLine]) -> None:
        self.list.blockSignals(True)
        self.list.setRowCount(len(lines))
        for row, line in enumerate(lines):
            cells = (line.title, line.assignee, line.outpost, format_dtg(line.due),
                     f"{line.done}/{line.total}", line.status.label)  # fmt: skip
            for column, text in enumerate(cells):
                cell = QTableWidgetItem(text)
                cell.setData(Qt.ItemDataRole.UserRole, line.id)
                cell.setBackground(status_colour(line.status))
                self.list.setItem(row, column, cell)
        ids = [line.id for line in lines]
        if self.shown in ids:
            self.list.setCurrentCell(ids.index(self.shown), self.list.currentColumn())
        self.list.blockSignals(False)

    def _show_compliance(self, rows: list[ComplianceRow]) -> None:
        self.compliance.setRowCount(len(rows))
        for row, counts in enumerate(rows):
            cells = (counts.outpost or "-", counts.template_name, counts.complete, counts.late,
                     counts.complete_late, counts.pending)  # fmt: skip
            for column, value in enumerate(cells):
                self.compliance.setItem(row, column, QTableWidgetItem(str(value)))

    def line_statuses(self) -> dict[str, str]:
        """Title -> status text as the list shows them (for tests and screen readers)."""
        lines = self.view.lines if self.view else []
        return {line.title: line.status.label for line in lines}

    @Slot(int, int, int, int)
    def _on_line_chosen(self, row: int, _column: int, previous: int, _pc: int) -> None:
        lines = self.view.lines if self.view else []
        if row != previous and 0 <= row < len(lines):
            self.show_checklist(lines[row].id)

    def show_checklist(self, checklist_id: str) -> None:
        self.shown = checklist_id
        self.tabs.setCurrentWidget(self.panel)
        self.refresh()

    # -- writing ------------------------------------------------------------------------------

    @Slot()
    def start(self) -> None:
        key = self.template_box.currentData()
        if not key:
            self.start_error.setText("Install the default library or receive templates first.")
            return
        service = self._service
        assignee, outpost = self.assignee_edit.text(), self.outpost_edit.text()
        due = self.due_edit.text()
        missing = [
            (edit, words)
            for edit, words in (
                (self.assignee_edit, "who it is assigned to"),
                (self.due_edit, "when it is due"),
            )
            if not edit.text().strip()
        ]
        if missing:  # both said at once, before the vault is asked
            self.start_error.setText("Give " + " and ".join(w for _, w in missing) + ".")
            missing[0][0].setFocus()
            return
        self.start_error.setText("")
        self._tasks.run(
            "start checklist",
            lambda: service.start(str(key), assignee=assignee, outpost=outpost, due=due),
            self._on_started,
            lambda failure: self.start_error.setText(failure.message),
        )

    def _on_started(self, checklist_id: str) -> None:
        self.assignee_edit.clear()
        self.due_edit.clear()
        self.show_checklist(checklist_id)

    @Slot()
    def install_library(self) -> None:
        service = self._service
        self._tasks.run(
            "install checklist library",
            service.templates.install_library,
            self._on_library_installed,
            self._on_failed,
        )

    def _on_library_installed(self, result: InstallResult) -> None:
        if result.added:
            names = ", ".join(result.added)
            self.library_note.setText(f"Installed {len(result.added)} templates: {names}.")
        else:
            self.library_note.setText("The default templates are already installed.")
        self.library_note.show()
        self.start_error.setText("")
        self.refresh()

    @Slot(object)
    def _on_tick_requested(self, request: TickRequest) -> None:
        service = self._service

        def work() -> None:
            if request.untick:
                service.untick(request.checklist, request.key)
                return
            photo = NewAttachment.read(Path(request.photo)) if request.photo else None
            service.tick(
                request.checklist,
                request.key,
                value=request.value,
                note=request.note,
                photo=photo,
                sign_off=request.sign_off,
            )

        self._tasks.run(
            "tick checklist item",
            work,
            lambda _result: self.refresh(),
            lambda failure: self.panel.show_error(failure.message),
        )

    def _on_failed(self, failure: Failure) -> None:
        self.summary.setText(failure.message)

    def clear(self) -> None:
        """The vault is locking: drop what is shown and read nothing more."""
        self._closed = True
        self.clock.stop()
        self.view = None
        self.list.setRowCount(0)
        self.compliance.setRowCount(0)
        self.panel.show_detail(None)
