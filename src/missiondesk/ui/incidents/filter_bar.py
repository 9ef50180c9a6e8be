"""The filter row of the incident list: what the officer picks, read into one IncidentFilter.

`typed` fires as words or a square are typed (the page waits for a pause), `chosen` when a
box changes, `saved_chosen(name)` when a saved filter is picked. Filling the row from a filter
(`show_filter`) or with the mission's categories raises none of them.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from missiondesk.domain.incident_filter import IncidentFilter, SortKey
from missiondesk.domain.records.incidents import IncidentStatus
from missiondesk.services.records import validate_model
from missiondesk.ui.theme import ERROR

PERIODS: dict[str, timedelta | None] = {
    "Last 24 hours": timedelta(hours=24),
    "Last 7 days": timedelta(days=7),
    "Last 30 days": timedelta(days=30),
    "Last 90 days": timedelta(days=90),
    "Last year": timedelta(days=365),
    "Any time": None,
}
DEFAULT_PERIOD = "Any time"
OPEN = "open"  # the status box's "Not closed"


class FilterBar(QWidget):
    """Words, period, category, severity, status, MGRS square, saved filters."""

    typed = Signal()
    chosen = Signal()
    saved_chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._loading = False
        self.text = QLineEdit(self)
        self.text.setPlaceholderText("Search words in titles and narratives")
        self.text.setClearButtonEnabled(True)
        self.text.setAccessibleName("Search incidents")
        self.period = QComboBox(self)
        self.period.addItems(list(PERIODS))
        self.period.setCurrentText(DEFAULT_PERIOD)
        self.category = QComboBox(self)
        self.severity = QComboBox(self)
        self.severity.addItem("Any severity", ())
        for low in (2, 3, 4, 5):
            self.severity.addItem(f"Severity {low} or more" if low < 5 else "Severity 5", low)
        self.status = QComboBox(self)
        self.status.addItem("Any status", None)
        self.status.addItem("Not closed", OPEN)
        for value in IncidentStatus:
            self.status.addItem(value.value.capitalize(), value.value)
        self.grid = QLineEdit(self)
        self.grid.setPlaceholderText("e.g. 36N UL")
        self.grid.setClearButtonEnabled(True)
        self.grid.setAccessibleName("MGRS grid square")
        self.grid.setMaximumWidth(150)
        self.saved = QComboBox(self)
        self.saved.setAccessibleName("Saved filters")
        self.save_button = QPushButton("Save filter…", self)
        self.clear_button = QPushButton("Clear filter", self)
        self.error = QLabel(self)
        self.error.setStyleSheet(f"color: {ERROR.name()}; font-weight: bold;")
        self.error.hide()

        self.text.textChanged.connect(self._on_typed)
        self.grid.textChanged.connect(self._on_typed)
        for box in (self.period, self.category, self.severity, self.status):
            box.currentIndexChanged.connect(self._on_chosen)
        self.saved.activated.connect(self._on_saved)

        first = QHBoxLayout()
        first.addWidget(self._label("&Find:", self.text))
        first.addWidget(self.text, 2)
        first.addWidget(self.period)
        first.addWidget(self.category, 1)
        first.addWidget(self.severity)
        first.addWidget(self.status)
        second = QHBoxLayout()
        second.addWidget(self._label("S&quare:", self.grid))
        second.addWidget(self.grid)
        second.addWidget(self._label("Saved filte&rs:", self.saved))
        second.addWidget(self.saved, 1)
        second.addWidget(self.save_button)
        second.addWidget(self.clear_button)
        rows = QVBoxLayout(self)
        rows.setContentsMargins(0, 0, 0, 0)
        rows.addLayout(first)
        rows.addLayout(second)
        rows.addWidget(self.error)
        self.set_categories({})
        self.set_saved([])

    def _label(self, text: str, buddy: QWidget) -> QLabel:
        label = QLabel(text, self)
        label.setBuddy(buddy)
        return label

    # -- reading ---------------------------------------------------------------------------------

    def read(self, sort: SortKey, descending: bool) -> IncidentFilter:
        """The filter the row says, sorted as given; raises InvalidInput naming what is wrong
        (a grid square that is not one, for example)."""
        span = PERIODS[self.period.currentText()]
        category = self.category.currentData()
        low = self.severity.currentData()
        status = self.status.currentData()
        statuses: tuple[IncidentStatus, ...] = ()
        if status == OPEN:
            statuses = tuple(s for s in IncidentStatus if s is not IncidentStatus.CLOSED)
        elif status:
            statuses = (IncidentStatus(status),)
        values = {
            "occurred_from": datetime.now(UTC) - span if span is not None else None,
            "categories": (category,) if category else (),
            "severities": tuple(range(low, 6)) if low else (),
            "statuses": statuses,
            "grid": self.grid.text().strip(),
            "text": self.text.text().strip(),
            "sort": sort,
            "descending": descending,
        }
        return validate_model(IncidentFilter, values, "filter")

    def show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.setVisible(bool(message))

    # -- filling ---------------------------------------------------------------------------------

    def set_categories(self, in_use: Mapping[str, str]) -> None:
        """The mission's categories (slug -> label); the one chosen stays if it still exists."""
        self._loading = True
        current = self.category.currentData()
        self.category.clear()
        self.category.addItem("All categories", None)
        for slug, label in in_use.items():
            self.category.addItem(label, slug)
        self.category.setCurrentIndex(max(self.category.findData(current), 0))
        self._loading = False

    def set_saved(self, names: list[str]) -> None:
        self.saved.clear()
        self.saved.addItem("Choose a saved filter…" if names else "None saved yet", None)
        for name in names:
            self.saved.addItem(name, name)

    def show_filter(self, spec: IncidentFilter) -> None:
        """Put a (saved) filter into the row. A period is shown as the shortest one that holds
        it; categories and severities as their first choice."""
        self._loading = True
        self.text.setText(spec.text)
        self.grid.setText(spec.grid)
        self.period.setCurrentText(DEFAULT_PERIOD)
        if spec.occurred_from is not None:
            span = datetime.now(UTC) - spec.occurred_from
            fitting = [n for n, d in PERIODS.items() if d is not None and d >= span]
            self.period.setCurrentText(fitting[0] if fitting else DEFAULT_PERIOD)
        self.category.setCurrentIndex(
            max(self.category.findData(spec.categories[0]), 0) if spec.categories else 0
        )
        self.severity.setCurrentIndex(
            max(self.severity.findData(min(spec.severities)), 0) if spec.severities else 0
        )
        if len(spec.statuses) == 1:
            self.status.setCurrentIndex(max(self.status.findData(spec.statuses[0].value), 0))
        elif spec.statuses:
            self.status.setCurrentIndex(self.status.findData(OPEN))
        else:
            self.status.setCurrentIndex(0)
        self._loading = False

    # -- signals ---------------------------------------------------------------------------------

    @Slot()
    def _on_typed(self) -> None:
        if not self._loading:
            self.typed.emit()

    @Slot()
    def _on_chosen(self) -> None:
        if not self._loading:
            self.chosen.emit()

    @Slot(int)
    def _on_saved(self, index: int) -> None:
        name = self.saved.itemData(index)
        if name:
            self.saved_chosen.emit(str(name))
