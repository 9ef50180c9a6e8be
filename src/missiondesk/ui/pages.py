"""The frame every section page shares: a title, a one-line summary, a table or an empty note."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractItemModel, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from missiondesk.ui.tasks import Failure, TaskRunner
from missiondesk.ui.theme import ERROR, MUTED_STYLE, muted_label, page_title


class TablePage(QWidget):
    """A read-only table under a title; shows `empty_text` instead while there are no rows."""

    def __init__(
        self,
        title: str,
        model: QAbstractItemModel,
        tasks: TaskRunner,
        *,
        empty_text: str,
        stretch_column: int,
        widths: dict[int, int] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        """`stretch_column` takes the room left; columns in `widths` start at that width and
        elide (the reader can drag them); every other column fits its contents."""
        super().__init__(parent)
        self._name = title
        self._tasks = tasks
        self._closed = False
        self.title = page_title(title, self)
        self.summary = muted_label("", self)
        self.table = QTableView(self)
        self.table.setModel(model)
        self.table.setAccessibleName(title)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setShowGrid(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.setStyleSheet("QTableView::item { padding: 0px 6px; }")
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setHighlightSections(False)
        header.setStyleSheet("QHeaderView::section { padding: 3px 6px; }")
        widths = widths or {}
        for column in range(model.columnCount()):
            if column == stretch_column:
                header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
            elif column in widths:
                header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
                header.resizeSection(column, widths[column])
            else:
                header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)

        self.empty_note = QLabel(empty_text, self)
        self.empty_note.setWordWrap(True)
        self.empty_note.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_note.setAccessibleName(empty_text)
        self.body = QStackedWidget(self)
        self.body.addWidget(self.table)
        self.body.addWidget(self.empty_note)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.setSpacing(6)
        layout.addWidget(self.title)
        layout.addWidget(self.summary)
        layout.addWidget(self.body, 1)
        self.set_summary("", rows=0)

    def set_summary(self, text: str, *, rows: int) -> None:
        self.summary.setStyleSheet(MUTED_STYLE)
        self.summary.setText(text)
        self.body.setCurrentWidget(self.table if rows else self.empty_note)

    def read(self) -> Any:
        """Read the rows (runs on the vault's thread); pages implement it."""
        raise NotImplementedError

    def show_rows(self, rows: Any) -> None:
        """Put what read() returned into the model and call set_summary(); on the GUI thread."""
        raise NotImplementedError

    def refresh(self) -> None:
        """read() off the GUI thread, then show_rows(); a failure is shown on the page (and an
        unexpected one logged)."""
        if not self._closed:
            self._tasks.run(f"refresh {self._name}", self.read, self._on_read, self._on_failed)

    def _on_read(self, rows: Any) -> None:
        if not self._closed:
            self.show_rows(rows)

    def _on_failed(self, failure: Failure) -> None:
        if self._closed:
            return
        self.summary.setStyleSheet(f"color: {ERROR.name()}; font-weight: bold;")
        self.summary.setText(failure.message)

    def close_page(self) -> None:
        """No more reads or updates (on lock)."""
        self._closed = True
