"""Edits made on two laptops while apart that touched the same field: the list on the page, and
the review dialog showing both values side by side. A decision is an operation that syncs."""

from __future__ import annotations

import json
from datetime import datetime

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from missiondesk.domain.dtg import format_dtg
from missiondesk.services.conflicts import ConflictService, ConflictView
from missiondesk.ui.result_line import ResultLine
from missiondesk.ui.tasks import Failure, TaskRunner
from missiondesk.ui.theme import muted_label, scaled_font

NO_CONFLICTS = "No conflicts: every edit made on laptops apart merged cleanly."


def field_label(name: str) -> str:
    return name.replace("_", " ").replace(".", " · ").capitalize()


def value_text(value: object) -> str:
    if value is None or value == "":
        return "(empty)"
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, indent=2)


def when_text(iso: str) -> str:
    try:
        return format_dtg(datetime.fromisoformat(iso))
    except ValueError:
        return iso


def conflict_title(view: ConflictView) -> str:
    record = view.record_type.replace("_", " ").capitalize()
    return f"{record} '{view.title}': {field_label(view.field)}"


def conflict_item(view: ConflictView) -> QListWidgetItem:
    """Two lines that fit a narrow list: the record's title, then its kind and the field."""
    record = view.record_type.replace("_", " ").capitalize()
    item = QListWidgetItem(f"{view.title}\n{record} · {field_label(view.field)}")
    item.setToolTip(
        f"{conflict_title(view)}\nShown now: {value_text(view.current)}\n"
        f"Other: {value_text(view.other)}"
    )
    return item


def conflict_list(parent: QWidget, name: str) -> QListWidget:
    listing = QListWidget(parent)
    listing.setAccessibleName(name)
    listing.setWordWrap(True)
    listing.setTextElideMode(Qt.TextElideMode.ElideRight)
    listing.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    listing.setSpacing(2)
    return listing


class ConflictsPanel(QGroupBox):
    """How many conflicts wait for a decision, which, and the Review button."""

    review_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Conflicts", parent)
        self.summary = QLabel(NO_CONFLICTS, self)
        self.summary.setWordWrap(True)
        self.list = conflict_list(self, "Conflicts")
        self.list.hide()
        self.list.itemDoubleClicked.connect(lambda _item: self.review_requested.emit())
        self.review_button = QPushButton("Review…", self)
        self.review_button.setEnabled(False)
        self.review_button.clicked.connect(self.review_requested)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.list)
        layout.addWidget(self.review_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.count = 0

    def show_conflicts(self, conflicts: tuple[ConflictView, ...]) -> None:
        self.count = len(conflicts)
        self.list.clear()
        for view in conflicts:
            self.list.addItem(conflict_item(view))
        rows = min(len(conflicts), 4)
        self.list.setFixedHeight(rows * (2 * self.fontMetrics().lineSpacing() + 6) + 8)
        self.list.setVisible(bool(conflicts))
        self.review_button.setEnabled(bool(conflicts))
        if conflicts:
            noun = "edit needs" if len(conflicts) == 1 else "edits need"
            self.summary.setText(
                f"{len(conflicts)} {noun} a decision: made on two laptops while apart, on the "
                "same field. The value shown now was kept; the other is not lost."
            )
            self.setTitle(f"Conflicts ({len(conflicts)})")
        else:
            self.summary.setText(NO_CONFLICTS)
            self.setTitle("Conflicts")


class ConflictReviewDialog(QDialog):
    """Each conflict with both values side by side; Keep current or Keep the other."""

    resolved = Signal()

    def __init__(
        self,
        conflicts: ConflictService,
        tasks: TaskRunner,
        views: tuple[ConflictView, ...],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._service = conflicts
        self._tasks = tasks
        self._views: list[ConflictView] = list(views)
        self._busy = False
        self.setWindowTitle("Review conflicts")
        self.resize(880, 440)
        intro = muted_label(
            "These edits were made on two laptops while they were apart, on the same field. "
            "Choose which value stays. Your choice is written as an operation: every laptop "
            "shows it after its next sync.",
            self,
        )
        self.list = conflict_list(self, "Conflicts to review")
        self.list.currentRowChanged.connect(self._show_row)
        self.title = QLabel(self)
        self.title.setFont(scaled_font(self.title, 1.15, bold=True))
        self.title.setWordWrap(True)
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        self.current_box, self.current_by, self.current_value, self.keep_current = self._side(
            "Shown now", "Keep current"
        )
        self.other_box, self.other_by, self.other_value, self.keep_other = self._side(
            "The other value", "Keep the other"
        )
        self.keep_current.clicked.connect(lambda: self._resolve("current"))
        self.keep_other.clicked.connect(lambda: self._resolve("other"))
        sides = QHBoxLayout()
        sides.addWidget(self.current_box, 1)
        sides.addWidget(self.other_box, 1)
        self.outcome = ResultLine(self)
        detail = QWidget(self)
        detail_layout = QVBoxLayout(detail)
        detail_layout.setContentsMargins(8, 0, 0, 0)
        detail_layout.addWidget(self.title)
        detail_layout.addLayout(sides, 1)
        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.addWidget(self.list)
        split.addWidget(detail)
        split.setStretchFactor(1, 1)
        split.setSizes([240, 640])
        split.setChildrenCollapsible(False)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(split, 1)
        layout.addWidget(self.outcome)
        layout.addWidget(buttons)
        self._fill()

    def _side(self, title: str, keep: str) -> tuple[QGroupBox, QLabel, QPlainTextEdit, QPushButton]:
        box = QGroupBox(title, self)
        by = QLabel(box)
        by.setWordWrap(True)
        by.setTextFormat(Qt.TextFormat.PlainText)
        value = QPlainTextEdit(box)
        value.setReadOnly(True)
        value.setAccessibleName(title)
        button = QPushButton(keep, box)
        grid = QGridLayout(box)
        grid.addWidget(by, 0, 0)
        grid.addWidget(value, 1, 0)
        grid.addWidget(button, 2, 0, Qt.AlignmentFlag.AlignLeft)
        grid.setRowStretch(1, 1)
        return box, by, value, button

    def _fill(self) -> None:
        self.list.clear()
        for view in self._views:
            self.list.addItem(conflict_item(view))
        if self._views:
            self.list.setCurrentRow(0)
        else:
            self._show_row(-1)

    @property
    def current(self) -> ConflictView | None:
        row = self.list.currentRow()
        return self._views[row] if 0 <= row < len(self._views) else None

    @Slot(int)
    def _show_row(self, row: int) -> None:
        view = self._views[row] if 0 <= row < len(self._views) else None
        for widget in (self.current_box, self.other_box):
            widget.setEnabled(view is not None and not self._busy)
        if view is None:
            self.title.setText("Nothing left to review.")
            for label in (self.current_by, self.other_by):
                label.clear()
            for box in (self.current_value, self.other_value):
                box.clear()
            return
        self.title.setText(conflict_title(view))
        self.current_by.setText(f"By {view.current_by or 'unknown'}; shown on this laptop now.")
        self.other_by.setText(
            f"By {view.other_by}, {when_text(view.other_at)}; overwritten by an edit made "
            "without seeing it."
        )
        self.current_value.setPlainText(value_text(view.current))
        self.other_value.setPlainText(value_text(view.other))

    def _resolve(self, keep: str) -> None:
        view = self.current
        if view is None or self._busy:
            return
        self._busy = True
        self._show_row(self.list.currentRow())
        self._tasks.run(
            "resolve conflict",
            lambda: self._service.resolve(view.id, keep),
            lambda _view: self._on_resolved(view, keep),
            self._on_failed,
        )

    def _on_resolved(self, view: ConflictView, keep: str) -> None:
        self._busy = False
        kept = value_text(view.current if keep == "current" else view.other)
        if len(kept) > 60:
            kept = kept[:57] + "…"
        # Every conflict of the same field is settled by one decision.
        self._views = [
            v for v in self._views if not (v.entity == view.entity and v.field == view.field)
        ]
        self._fill()
        left = f" {len(self._views)} left." if self._views else " Nothing left to review."
        self.outcome.success(f"{field_label(view.field)} of '{view.title}' is now {kept}.{left}")
        self.resolved.emit()

    @Slot(object)
    def _on_failed(self, failure: Failure) -> None:
        self._busy = False
        self._show_row(self.list.currentRow())
        self.outcome.failure(failure.message)
