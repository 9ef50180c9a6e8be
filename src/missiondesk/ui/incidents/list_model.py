"""The incident list's table model: one page of rows from the projection, cells made when
first painted, high severities in bold red."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, ClassVar

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont

from missiondesk.domain.dtg import format_dtg
from missiondesk.domain.incident_filter import SortKey
from missiondesk.store.incident_reads import IncidentRow
from missiondesk.ui.rows_model import RowsModel
from missiondesk.ui.theme import ERROR

Index = QModelIndex | QPersistentModelIndex
HIGH_SEVERITY = 4
_DISPLAY = Qt.ItemDataRole.DisplayRole.value
_ACCESSIBLE = Qt.ItemDataRole.AccessibleTextRole.value
_FOREGROUND = Qt.ItemDataRole.ForegroundRole.value
_FONT = Qt.ItemDataRole.FontRole.value
_TOOLTIP = Qt.ItemDataRole.ToolTipRole.value
_STYLED = frozenset((_FOREGROUND, _FONT, _TOOLTIP))


def _bold() -> QFont:
    font = QFont()
    font.setBold(True)
    return font


class IncidentRowsModel(RowsModel[IncidentRow]):
    COLUMNS = (
        "Occurred",
        "Sev.",
        "Title",
        "Category",
        "Status",
        "MGRS",
        "Place",
        "K / I / M",
        "Reported by",
    )
    OCCURRED, SEVERITY, TITLE, CATEGORY, STATUS, MGRS, PLACE, CASUALTIES, OFFICER = range(9)
    SORT_KEYS: ClassVar[dict[int, SortKey]] = {
        OCCURRED: SortKey.OCCURRED,
        SEVERITY: SortKey.SEVERITY,
        TITLE: SortKey.TITLE,
        CATEGORY: SortKey.CATEGORY,
        STATUS: SortKey.STATUS,
    }

    def __init__(self) -> None:
        super().__init__()
        self.labels: dict[str, str] = {}
        self._texts: dict[int, tuple[str, ...]] = {}  # cells of the rows painted so far

    def set_rows(self, rows: list[IncidentRow]) -> None:
        self._texts = {}  # made when a row is first painted: a page paints ~25 of its 200
        super().set_rows(rows)

    def cells(self, row: int) -> tuple[str, ...]:
        found = self._texts.get(row)
        if found is None:
            record = self._rows[row]
            found = tuple(self._text(record, c) for c in range(len(self.COLUMNS)))
            self._texts[row] = found
        return found

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.ToolTipRole:
            return {
                self.SEVERITY: "Severity, 1 (minor) to 5 (critical)",
                self.CASUALTIES: "Killed / injured / missing, all groups",
            }.get(section, "Click to sort" if section in self.SORT_KEYS else None)
        return super().headerData(section, orientation, role)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # Called about ten times per cell painted, for roles this model mostly does not use:
        # those are answered before anything else is looked at.
        if role in (_DISPLAY, _ACCESSIBLE):
            return self.cells(index.row())[index.column()]
        if role not in _STYLED:
            return None
        row = self._rows[index.row()]
        column = index.column()
        if column == self.SEVERITY and (row.severity or 0) >= HIGH_SEVERITY:
            if role == _FOREGROUND:
                return ERROR
            if role == _FONT:
                return _bold()
        if role == _TOOLTIP and column == self.TITLE:
            return row.title
        if role == _TOOLTIP and column == self.MGRS and row.lat is not None:
            return f"{row.lat:.5f}, {row.lon:.5f}"
        return None

    def _text(self, row: IncidentRow, column: int) -> str:
        if column == self.OCCURRED:
            return format_dtg(datetime.fromtimestamp(row.occurred, UTC)) if row.occurred else "—"
        if column == self.SEVERITY:
            return str(row.severity) if row.severity else "—"
        if column == self.TITLE:
            return row.title or "(untitled draft)"
        if column == self.CATEGORY:
            return self.labels.get(row.category, row.category)
        if column == self.STATUS:
            return row.status.value.capitalize()
        if column == self.MGRS:
            return row.mgrs or "—"
        if column == self.PLACE:
            return row.place
        if column == self.CASUALTIES:
            return f"{row.killed} / {row.injured} / {row.missing}"
        return row.officer
