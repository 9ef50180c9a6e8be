"""The Incidents section: the filtered log, its chart, and the doors to the form and reports.

A filter change reads one page of rows and the counts of everything the filter matches in one
call on the vault thread (`IncidentService.page`); the table and the chart are redrawn from
that answer together, so they always agree. Answers to an older filter are dropped.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QPushButton,
    QRadioButton,
    QSplitter,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from missiondesk.domain.errors import MissionDeskError
from missiondesk.domain.incident_filter import CountsBy, IncidentFilter, SortKey
from missiondesk.domain.markings import Sensitivity
from missiondesk.domain.medevac import MedevacRequest
from missiondesk.services.incident_exports import ExportFormat
from missiondesk.services.incidents import IncidentDetail, IncidentPage, IncidentService
from missiondesk.services.reports import area_text
from missiondesk.services.session import Session
from missiondesk.ui.changes import ChangeRelay, RefreshScheduler
from missiondesk.ui.choosers import FilesChooser, PathChooser, ask_text
from missiondesk.ui.incidents.chart import SEVERITY_COLOURS, IncidentChart
from missiondesk.ui.incidents.editor import IncidentDialog
from missiondesk.ui.incidents.filter_bar import FilterBar
from missiondesk.ui.incidents.list_model import IncidentRowsModel
from missiondesk.ui.incidents.medevac import MedevacDialog
from missiondesk.ui.incidents.report_view import ReportView
from missiondesk.ui.incidents.sitrep_dialog import SitrepDialog, SitrepRequest
from missiondesk.ui.tasks import Failure, TaskRunner
from missiondesk.ui.theme import ERROR, MUTED_STYLE, muted_label, page_title

FILTER_DELAY_MS = 150  # typing in the search box: one read when the officer pauses


class IncidentsPage(QWidget):
    """The incident log, its filters and its chart. `incident_opened` fires with the dialog."""

    incident_opened = Signal(object)  # the IncidentDialog shown
    medevac_opened = Signal(object)  # the MedevacDialog shown
    sitrep_opened = Signal(object)  # the SitrepDialog shown

    def __init__(
        self,
        session: Session,
        tasks: TaskRunner,
        changes: ChangeRelay,
        *,
        choose_files: FilesChooser | None = None,
        choose_save_path: PathChooser | None = None,
        ask_name: Callable[[QWidget, str], str | None] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._session = session
        self._incidents: IncidentService = session.incidents
        self._tasks = tasks
        self._choose_files = choose_files
        self._choose_save_path = choose_save_path
        self._ask_name = ask_name or ask_text
        self._closed = False
        self._generation = 0
        self.categories: dict[str, str] = {}
        self.saved_filters: dict[str, IncidentFilter] = {}
        self.spec = IncidentFilter()
        self.page: IncidentPage | None = None
        self.dialogs: list[IncidentDialog] = []
        self.report_views: list[QDialog] = []  # reports shown, MEDEVAC and SITREP forms

        self.title = page_title("Incidents", self)
        self.summary = muted_label("", self)
        self.filters = FilterBar(self)
        self.filter_error = self.filters.error
        self.filters.typed.connect(self._delay_filter)
        self.filters.chosen.connect(self.apply_filter)
        self.filters.saved_chosen.connect(self._on_saved_chosen)
        self.filters.save_button.clicked.connect(self.save_filter)
        self.filters.clear_button.clicked.connect(self.clear_filter)
        self.model = IncidentRowsModel()
        self.model.setParent(self)
        self.table = self._build_table()
        self.chart = IncidentChart(self)
        self.chart_mode = QButtonGroup(self)
        by_category = QRadioButton("By &category", self)
        by_severity = QRadioButton("By severit&y", self)
        by_category.setChecked(True)
        self.chart_mode.addButton(by_category, 0)
        self.chart_mode.addButton(by_severity, 1)
        self.chart_mode.idToggled.connect(self._on_chart_mode)

        self.new_button = QPushButton("&New incident", self)
        self.new_button.setToolTip("Log a new incident (Ctrl+I)")
        self.new_button.clicked.connect(self.new_incident)
        self.open_button = QPushButton("&Open", self)
        self.open_button.setToolTip("Open the selected incident (Enter)")
        self.open_button.clicked.connect(self.open_selected)
        self.export_button = QToolButton(self)
        self.export_button.setText("E&xport…")
        self.export_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.export_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.export_menu = self._build_export_menu()
        self.export_button.setMenu(self.export_menu)
        self.sitrep_button = QPushButton("SI&TREP…", self)
        self.sitrep_button.setToolTip(
            "A situation report for the filter's period and area, with your paragraphs"
        )
        self.sitrep_button.clicked.connect(self.sitrep)
        self.medevac_button = QPushButton("9-&line MEDEVAC…", self)
        self.medevac_button.setToolTip("A 9-line MEDEVAC request and its readout for the radio")
        self.medevac_button.clicked.connect(self.new_medevac)
        self.result = QLabel(self)
        self.result.setWordWrap(True)
        self.result.setTextFormat(Qt.TextFormat.PlainText)

        new_action = QAction(self)
        new_action.setShortcut(QKeySequence("Ctrl+I"))
        # the window's, while this page is shown (a hidden page's shortcuts never fire): it
        # works as soon as the section is chosen, the focus still in the section list
        new_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        new_action.triggered.connect(self.new_incident)
        self.addAction(new_action)

        actions = QHBoxLayout()
        for widget in (
            self.new_button,
            self.open_button,
            self.export_button,
            self.sitrep_button,
            self.medevac_button,
        ):
            actions.addWidget(widget)
        actions.addWidget(self.result, 1)
        chart_box = QWidget(self)
        chart_layout = QVBoxLayout(chart_box)
        chart_layout.setContentsMargins(0, 4, 0, 0)
        modes = QHBoxLayout()
        modes.addWidget(QLabel("Chart:", self))
        modes.addWidget(by_category)
        modes.addWidget(by_severity)
        modes.addStretch(1)
        chart_layout.addLayout(modes)
        chart_layout.addWidget(self.chart, 1)
        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(chart_box)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setChildrenCollapsible(False)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.setSpacing(6)
        heading = QHBoxLayout()
        heading.addWidget(self.title)
        heading.addWidget(self.summary, 1, Qt.AlignmentFlag.AlignBottom)
        layout.addLayout(heading)
        layout.addWidget(self.filters)
        layout.addLayout(actions)
        layout.addWidget(self.splitter, 1)

        self._delay = QTimer(self)
        self._delay.setSingleShot(True)
        self._delay.setInterval(FILTER_DELAY_MS)
        self._delay.timeout.connect(self.apply_filter)
        self._scheduler = RefreshScheduler(changes, frozenset({"incident"}), self)
        self._scheduler.refresh_requested.connect(self.refresh)
        self._read_choices()

    # -- building --------------------------------------------------------------------------------

    def _build_table(self) -> QTableView:
        table = QTableView(self)
        table.setModel(self.model)
        table.setAccessibleName("Incidents")
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setAlternatingRowColors(True)
        table.setWordWrap(False)
        table.setShowGrid(False)
        table.setTextElideMode(Qt.TextElideMode.ElideRight)
        table.setStyleSheet("QTableView::item { padding: 0px 6px; }")
        table.verticalHeader().hide()
        table.doubleClicked.connect(lambda _index: self.open_selected())
        table.activated.connect(lambda _index: self.open_selected())
        header = table.horizontalHeader()
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setHighlightSections(False)
        header.setSectionsClickable(True)
        header.setSortIndicatorShown(True)
        header.setSortIndicator(IncidentRowsModel.OCCURRED, Qt.SortOrder.DescendingOrder)
        header.sortIndicatorChanged.connect(self._on_sort)
        header.setStyleSheet("QHeaderView::section { padding: 3px 6px; }")
        for column in range(self.model.columnCount()):
            mode = (
                QHeaderView.ResizeMode.Stretch
                if column == IncidentRowsModel.TITLE
                else QHeaderView.ResizeMode.Interactive
            )
            header.setSectionResizeMode(column, mode)
        metrics = table.fontMetrics()
        widths = {
            IncidentRowsModel.OCCURRED: "000000Z MMM 00",
            IncidentRowsModel.SEVERITY: "Sev.",
            IncidentRowsModel.CATEGORY: "Small-arms fire",
            IncidentRowsModel.STATUS: "Submitted",
            IncidentRowsModel.MGRS: "36N UL 44753 36243",
            IncidentRowsModel.PLACE: "Km 42, MSR",
            IncidentRowsModel.CASUALTIES: "K / I / M",
            IncidentRowsModel.OFFICER: "BRAVO-22",
        }
        for column, sample in widths.items():
            header.resizeSection(column, metrics.horizontalAdvance(sample) + 28)
        return table

    def _build_export_menu(self) -> QMenu:
        menu = QMenu(self)
        self.strip_action = QAction("Remove personal data (names, sources)", menu)
        self.strip_action.setCheckable(True)
        for text, fmt, hxl in (
            ("CSV…", ExportFormat.CSV, False),
            ("CSV with HXL hashtags…", ExportFormat.CSV, True),
            ("GeoJSON…", ExportFormat.GEOJSON, False),
        ):
            action = QAction(text, menu)
            action.triggered.connect(lambda _=False, f=fmt, h=hxl: self.export(f, hxl=h))
            menu.addAction(action)
        menu.addSeparator()
        menu.addAction(self.strip_action)
        return menu

    # -- the filter ------------------------------------------------------------------------------

    def current_filter(self) -> IncidentFilter:
        """What the filter row says, in the table's order; raises InvalidInput (e.g. for a
        grid square that is not one)."""
        header = self.table.horizontalHeader()
        key = IncidentRowsModel.SORT_KEYS.get(header.sortIndicatorSection(), SortKey.OCCURRED)
        return self.filters.read(key, header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder)

    @Slot()
    def _delay_filter(self) -> None:
        self._delay.start()

    @Slot(int, Qt.SortOrder)
    def _on_sort(self, column: int, _order: Qt.SortOrder) -> None:
        if column not in IncidentRowsModel.SORT_KEYS:
            header = self.table.horizontalHeader()
            header.blockSignals(True)
            header.setSortIndicator(IncidentRowsModel.OCCURRED, Qt.SortOrder.DescendingOrder)
            header.blockSignals(False)
        self.apply_filter()

    @Slot()
    def apply_filter(self) -> None:
        self._delay.stop()
        try:
            spec = self.current_filter()
        except MissionDeskError as exc:
            self.filters.show_error(exc.message)  # the last good filter stays
            return
        self.filters.show_error("")
        self.spec = spec
        self.refresh()

    def refresh(self) -> None:
        """Read the page and counts for the filter in force, off the GUI thread."""
        if self._closed:
            return
        self._generation += 1
        generation = self._generation
        spec = self.spec
        incidents = self._incidents
        by = self.counts_by
        self._tasks.run(
            "read incidents",
            lambda: incidents.page(spec, counts_by=by),
            lambda page: self._on_page(page, generation),
            self._on_failed,
        )

    def _on_page(self, page: IncidentPage, generation: int) -> None:
        if self._closed or generation != self._generation:
            return  # the officer has changed the filter since
        self.page = page
        self.model.set_rows(page.rows)
        self._show_chart()
        total = page.total
        if total == 0:
            filtered = self.spec != IncidentFilter()
            self.summary.setText(
                "No incident matches this filter."
                if filtered
                else "No incidents logged yet. New incident (Ctrl+I) logs one; incidents "
                "from other outposts arrive with sync."
            )
            return
        noun = "incident" if total == 1 else "incidents"
        shown = f"; the first {len(page.rows):,} shown" if len(page.rows) < total else ""
        self.summary.setText(f"{total:,} {noun} match{'es' if total == 1 else ''}{shown}.")

    def _show_chart(self) -> None:
        if self.page is None:
            return
        counts = self.page.counts
        if self.chart_mode.checkedId() == 1:
            series = {f"Severity {k}": v for k, v in sorted(counts.by_severity.items())}
            colours = {f"Severity {k}": c for k, c in SEVERITY_COLOURS.items()}
            self.chart.show_counts(counts.days, series, colours)
        else:
            order = sorted(counts.by_category, key=lambda k: -counts.category_totals.get(k, 0))
            series = {self.categories.get(k, k): counts.by_category[k] for k in order}
            self.chart.show_counts(counts.days, series)

    @property
    def counts_by(self) -> CountsBy:
        """The series the chart shows; a read fetches that one only."""
        return CountsBy.SEVERITY if self.chart_mode.checkedId() == 1 else CountsBy.CATEGORY

    @Slot(int, bool)
    def _on_chart_mode(self, _id: int, checked: bool) -> None:
        if checked:
            self.refresh()  # the other series is read, for the same filter

    def _on_failed(self, failure: Failure) -> None:
        if not self._closed:
            self.summary.setText(failure.message)

    # -- categories and saved filters ------------------------------------------------------------

    def _read_choices(self) -> None:
        incidents = self._incidents

        def read() -> tuple[dict[str, str], dict[str, str], dict[str, IncidentFilter]]:
            return incidents.categories(), incidents.taxonomy.labels(), incidents.saved_filters()

        self._tasks.run("read incident choices", read, self._on_choices, self._on_failed)

    def _on_choices(
        self, choices: tuple[dict[str, str], dict[str, str], dict[str, IncidentFilter]]
    ) -> None:
        if self._closed:
            return
        in_use, labels, saved = choices
        self.categories = in_use
        self.model.labels = labels
        self.saved_filters = saved
        self.filters.set_categories(in_use)
        self.filters.set_saved(list(saved))
        self.apply_filter()

    @Slot()
    def save_filter(self) -> None:
        name = self._ask_name(self, "Name this filter:")
        if not name:
            return
        spec, incidents = self.spec, self._incidents

        def work() -> dict[str, IncidentFilter]:
            incidents.save_filter(name, spec)
            return incidents.saved_filters()

        self._tasks.run("save filter", work, self._on_filter_saved, self._on_action_failed)

    def _on_filter_saved(self, saved: dict[str, IncidentFilter]) -> None:
        self.saved_filters = saved
        self.filters.set_saved(list(saved))
        self._say("Filter saved on this computer.")

    @Slot(str)
    def _on_saved_chosen(self, name: str) -> None:
        if name in self.saved_filters:
            self.show_filter(self.saved_filters[name])

    def show_filter(self, spec: IncidentFilter) -> None:
        """Put a (saved) filter into the filter row and apply it."""
        self.filters.show_filter(spec)
        self.apply_filter()

    @Slot()
    def clear_filter(self) -> None:
        self.show_filter(IncidentFilter())

    # -- incidents -------------------------------------------------------------------------------

    def related_choices(self) -> list[tuple[str, str]]:
        rows = self.page.rows if self.page is not None else []
        return [
            (r.id, f"{self.model.cells(i)[IncidentRowsModel.OCCURRED]} · {r.title}")
            for i, r in enumerate(rows[:100])
        ]

    @Slot()
    def new_incident(self) -> None:
        self._show_dialog(None)

    @Slot()
    def open_selected(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            self._say("Select an incident first.")
            return
        self.open_incident(self.model.row_at(rows[0].row()).id)

    def open_incident(self, incident_id: str) -> None:
        incidents = self._incidents
        self._tasks.run(
            "read incident",
            lambda: incidents.get(incident_id),
            self._show_dialog,
            self._on_action_failed,
        )

    def _show_dialog(self, detail: IncidentDetail | None) -> None:
        if self._closed:
            return
        for open_dialog in self.dialogs:
            if detail is not None and open_dialog.incident_id == detail.id:
                open_dialog.raise_()
                open_dialog.activateWindow()
                return
        dialog = IncidentDialog(
            self._incidents,
            self._tasks,
            self.categories or {"other": "Other"},
            detail=detail,
            related=self.related_choices(),
            choose_files=self._choose_files,
            parent=self,
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.saved.connect(lambda _id: self.refresh())
        dialog.report_requested.connect(self.increp)
        dialog.medevac_requested.connect(lambda d=dialog: self.medevac(d.detail))
        dialog.destroyed.connect(lambda: self._forget_dialog(dialog))
        self.dialogs.append(dialog)
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()
        self.incident_opened.emit(dialog)

    def _forget_dialog(self, dialog: IncidentDialog) -> None:
        if dialog in self.dialogs:
            self.dialogs.remove(dialog)

    # -- reports and exports ---------------------------------------------------------------------

    def increp(self, incident_id: str) -> None:
        reports = self._session.reports
        self._tasks.run(
            "prepare INCREP",
            lambda: reports.increp(incident_id),
            self._show_report,
            self._on_action_failed,
        )

    @Slot()
    def sitrep(self) -> None:
        """The SITREP's form: the filter's period (the last 24 hours up to now when it has
        none) and area, and the officer's paragraphs; Prepare shows the report."""
        for view in self.report_views:
            if isinstance(view, SitrepDialog):  # one form: the one open comes to the front
                view.raise_()
                view.activateWindow()
                return
        spec = self.spec
        now = datetime.now(UTC)
        # DTGs are whole minutes: the end is the next one, so what happened this minute counts
        end = spec.occurred_to or (now + timedelta(minutes=1)).replace(second=0, microsecond=0)
        start = spec.occurred_from or end - timedelta(hours=24)
        reports = self._session.reports

        def prepare(request: SitrepRequest) -> None:
            def work() -> Any:
                return reports.sitrep(
                    request.start, request.end, area=spec.area, grid=spec.grid,
                    floor=request.floor, assessment=request.assessment,
                    logistics=request.logistics, communications=request.communications,
                    next_steps=request.next_steps,
                )[0]  # fmt: skip

            self._tasks.run("prepare SITREP", work, prepared, refused)

        def prepared(document: Any) -> None:
            if form in self.report_views:  # not closed (or locked) meanwhile
                form.prepared()
            self._show_report(document)

        def refused(failure: Failure) -> None:
            if form in self.report_views:
                form.refused(failure.message)

        form = SitrepDialog(
            prepare, start=start, end=end, area=area_text(spec.area, spec.grid), parent=self
        )
        form.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        form.destroyed.connect(lambda: self._forget_report(form))
        self.report_views.append(form)
        form.show()
        self.sitrep_opened.emit(form)

    @Slot()
    def new_medevac(self) -> None:
        self.medevac()

    def medevac(self, detail: IncidentDetail | None = None) -> None:
        """The 9-line form; from an incident, with its pickup site and sensitivity."""
        location = ""
        sensitivity = Sensitivity.UNCLASSIFIED
        if detail is not None:
            where = detail.fields.get("location") or {}
            location = str(where.get("mgrs") or "")
            sensitivity = Sensitivity.of_stored(detail.fields.get("sensitivity", sensitivity.value))
        reports = self._session.reports

        def prepare(request: MedevacRequest) -> None:
            self._tasks.run(
                "prepare MEDEVAC",
                lambda: reports.medevac(request),
                self._show_report,
                self._on_action_failed,
            )

        form = MedevacDialog(
            prepare,
            location=location,
            incident=detail.id if detail is not None else "",
            sensitivity=sensitivity,
            parent=self,
        )
        form.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        form.destroyed.connect(lambda: self._forget_report(form))
        self.report_views.append(form)
        form.show()
        self.medevac_opened.emit(form)

    def _show_report(self, document: Any) -> None:
        if self._closed:
            return
        view = ReportView(
            document, self._session.reports, self._tasks, self._choose_save_path, parent=self,
            channels=self._session.channels.overview,
        )  # fmt: skip
        view.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        view.destroyed.connect(lambda: self._forget_report(view))
        self.report_views.append(view)
        view.show()

    def _forget_report(self, view: QDialog) -> None:
        if view in self.report_views:
            self.report_views.remove(view)

    def export(self, fmt: ExportFormat, *, hxl: bool = False) -> None:
        if self._choose_save_path is None:
            return
        suffix = "geojson" if fmt is ExportFormat.GEOJSON else "csv"
        stamp = date.today().strftime("%Y%m%d")
        path = self._choose_save_path(self, f"incidents-{stamp}.{suffix}")
        if not path:
            return
        exports, spec, strip = self._session.exports, self.spec, self.strip_action.isChecked()
        self._tasks.run(
            "export incidents",
            lambda: exports.export(fmt, spec, Path(path), hxl=hxl, strip_personal=strip),
            self._on_exported,
            self._on_action_failed,
        )

    def _on_exported(self, result: Any) -> None:
        stripped = ", personal data removed" if result.stripped else ""
        self._say(
            f"{result.count:,} incidents exported to {result.path} "
            f"(marked {result.sensitivity.label}{stripped})."
        )

    def _say(self, text: str, *, failed: bool = False) -> None:
        self.result.setStyleSheet(
            f"color: {ERROR.name()}; font-weight: bold;" if failed else MUTED_STYLE
        )
        self.result.setText(text)

    def _on_action_failed(self, failure: Failure) -> None:
        if not self._closed:
            self._say(failure.message, failed=True)

    # -- lock ------------------------------------------------------------------------------------

    def clear(self) -> None:
        """On lock: no more reads; every window of the section goes at once, and what was
        typed in them is saved before the vault closes."""
        self._closed = True
        self._delay.stop()
        for dialog in list(self.dialogs):
            dialog.close_for_lock()
        for view in list(self.report_views):
            view.close()
        self.model.set_rows([])
        self.chart.show_counts([], {})
        self.summary.setText("")
