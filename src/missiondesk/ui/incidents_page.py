"""Incidents: the incident log, most recent occurrence first."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Slot,
)
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QWidget

from missiondesk.domain.dtg import format_dtg
from missiondesk.domain.records.incidents import DEFAULT_CATEGORIES, IncidentStatus
from missiondesk.services.incidents import IncidentService, IncidentView
from missiondesk.ui.changes import ChangeRelay, RefreshScheduler
from missiondesk.ui.pages import TablePage
from missiondesk.ui.rows_model import RowsModel
from missiondesk.ui.tasks import TaskRunner
from missiondesk.ui.theme import ERROR

Index = QModelIndex | QPersistentModelIndex
HIGH_SEVERITY = 4


class IncidentsModel(RowsModel[IncidentView]):
    COLUMNS = (
        "Occurred",
        "Severity",
        "Title",
        "Category",
        "MGRS",
        "Place",
        "Status",
        "Reported by",
    )
    OCCURRED, SEVERITY, TITLE, CATEGORY, MGRS, PLACE, STATUS, OFFICER = range(8)

    def incident_at(self, row: int) -> IncidentView:
        return self.row_at(row)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.COLUMNS[section]
        if role == Qt.ItemDataRole.ToolTipRole and section == self.SEVERITY:
            return "1 (minor) to 5 (critical)"
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        view = self._rows[index.row()]
        column = index.column()
        high = view.incident.severity >= HIGH_SEVERITY
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._text(view, column)
        if role == Qt.ItemDataRole.ForegroundRole and column == self.SEVERITY and high:
            return ERROR
        if role == Qt.ItemDataRole.FontRole and column == self.SEVERITY and high:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(view, column)
        return None

    def _tooltip(self, view: IncidentView, column: int) -> str | None:
        incident = view.incident
        if column == self.TITLE:
            return f"{incident.title}\n\n{incident.narrative}".strip()
        if column == self.MGRS and incident.location is not None:
            return f"{incident.location.lat:.5f}, {incident.location.lon:.5f}"
        if column in (self.CATEGORY, self.PLACE):
            return self._text(view, column) or None
        return None

    def _text(self, view: IncidentView, column: int) -> str:
        incident = view.incident
        if column == self.OCCURRED:
            return format_dtg(incident.occurred)
        if column == self.SEVERITY:
            return f"{incident.severity} of 5"
        if column == self.CATEGORY:
            return DEFAULT_CATEGORIES.get(incident.category, incident.category)
        if column == self.TITLE:
            return incident.title
        location = incident.location
        if column == self.MGRS:
            if location is None:
                return "—"
            return location.mgrs or f"{location.lat:.4f}, {location.lon:.4f}"
        if column == self.PLACE:
            return location.place if location is not None else ""
        if column == self.STATUS:
            return incident.status.value.capitalize()
        return incident.reporting_officer


class IncidentsPage(TablePage):
    """Lists incidents; refreshes itself when the change feed reports incident changes."""

    def __init__(
        self,
        incidents: IncidentService,
        tasks: TaskRunner,
        changes: ChangeRelay,
        parent: QWidget | None = None,
    ) -> None:
        model = IncidentsModel()
        super().__init__(
            "Incidents",
            model,
            tasks,
            empty_text="No incidents logged yet.\nIncidents reported from this computer, or "
            "received from other outposts, appear here.",
            stretch_column=IncidentsModel.TITLE,
            widths={IncidentsModel.CATEGORY: 160, IncidentsModel.PLACE: 150},
            parent=parent,
        )
        self.model = model
        model.setParent(self)
        self._incidents = incidents
        self._scheduler = RefreshScheduler(changes, frozenset({"incident"}), self)
        self._scheduler.refresh_requested.connect(self._on_refresh_requested)
        self.refresh()

    def read(self) -> list[IncidentView]:
        return self._incidents.list()

    def show_rows(self, rows: list[IncidentView]) -> None:
        self.model.set_rows(rows)
        open_ = sum(1 for v in rows if v.incident.status is not IncidentStatus.CLOSED)
        noun = "incident" if len(rows) == 1 else "incidents"
        text = f"{len(rows)} {noun}, {open_} not closed; most recent first." if rows else ""
        self.set_summary(text, rows=len(rows))

    def clear(self) -> None:
        self.close_page()
        self.model.set_rows([])
        self.set_summary("", rows=0)

    @Slot()
    def _on_refresh_requested(self) -> None:
        self.refresh()
