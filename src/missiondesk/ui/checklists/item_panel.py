"""Working one checklist: its items with their state, and the inputs that tick the chosen one
(its typed value, a note, a photo, a sign-off by name). Emits what to write; the page runs it
on the vault thread and says what was refused under the inputs."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from missiondesk.domain.checklist_values import describe
from missiondesk.domain.dtg import format_dtg
from missiondesk.domain.records.checklists import ItemType
from missiondesk.services.checklist_views import ChecklistDetail, ItemView
from missiondesk.ui.checklists.colours import status_colour
from missiondesk.ui.theme import ERROR, muted_label

PhotoChooser = Callable[[QWidget], str]


@dataclass(frozen=True)
class TickRequest:
    """What the officer asked for one item: None means "leave as it is"."""

    checklist: str
    key: str
    value: str | None
    note: str | None
    photo: str | None  # a path chosen
    sign_off: str | None
    untick: bool = False


def _said(item: ItemView) -> str:
    parts = []
    if item.shown_value:
        parts.append(item.shown_value)
    if item.note:
        parts.append(f"note: {item.note}")
    if item.photo_id:
        parts.append(f"photo: {item.photo.name if item.photo else 'not arrived yet'}")
    if item.sign_off:
        parts.append(f"signed off by {item.sign_off}")
    return "; ".join(parts)


class ItemPanel(QWidget):
    tick_requested = Signal(object)  # a TickRequest

    COLUMNS = ("Item", "Status", "Answer and evidence", "Done by")

    def __init__(self, choose_photo: PhotoChooser, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._choose_photo = choose_photo
        self.detail: ChecklistDetail | None = None
        self.photo_path = ""
        self.heading = QLabel("Choose a checklist.", self)
        self.heading.setWordWrap(True)
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        self.items = QTableWidget(0, len(self.COLUMNS), self)
        self.items.setAccessibleName("Items")
        self.items.setHorizontalHeaderLabels(self.COLUMNS)
        self.items.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.items.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.items.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.items.verticalHeader().hide()
        header = self.items.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.items.currentCellChanged.connect(self._on_item_chosen)

        self.expects = muted_label("", self)
        self.value_edit = QLineEdit(self)
        self.value_edit.setAccessibleName("Value")
        self.choice_box = QComboBox(self)
        self.choice_box.setAccessibleName("Choice")
        self.note_edit = QLineEdit(self)
        self.note_edit.setAccessibleName("Note")
        self.sign_off_edit = QLineEdit(self)
        self.sign_off_edit.setAccessibleName("Signed off by")
        self.sign_off_edit.setPlaceholderText("the name of who signs it off")
        self.photo_button = QPushButton("P&hoto…", self)
        self.photo_button.clicked.connect(self._on_photo)
        self.photo_label = muted_label("", self)
        self.tick_button = QPushButton("&Tick", self)
        self.tick_button.setToolTip("Mark the item done (Ctrl+Enter)")
        self.tick_button.clicked.connect(self.tick)
        self.untick_button = QPushButton("&Untick", self)
        self.untick_button.clicked.connect(self.untick)
        self.error = QLabel("", self)
        self.error.setWordWrap(True)
        self.error.setTextFormat(Qt.TextFormat.PlainText)
        self.error.setStyleSheet(f"color: {ERROR.name()};")
        for edit in (self.value_edit, self.note_edit, self.sign_off_edit):
            edit.returnPressed.connect(self.tick)  # Enter in an input ticks the item
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(self.tick)

        form = QFormLayout()
        form.addRow("", self.expects)
        value_row = QHBoxLayout()
        value_row.addWidget(self.value_edit, 1)
        value_row.addWidget(self.choice_box, 1)
        value_label = QLabel("&Value:", self)
        value_label.setBuddy(self.value_edit)
        form.addRow(value_label, value_row)
        note_label = QLabel("&Note:", self)
        note_label.setBuddy(self.note_edit)
        form.addRow(note_label, self.note_edit)
        sign_label = QLabel("&Signed off by:", self)
        sign_label.setBuddy(self.sign_off_edit)
        form.addRow(sign_label, self.sign_off_edit)
        photo_row = QHBoxLayout()
        photo_row.addWidget(self.photo_button)
        photo_row.addWidget(self.photo_label, 1)
        form.addRow("", photo_row)
        buttons = QHBoxLayout()
        buttons.addWidget(self.tick_button)
        buttons.addWidget(self.untick_button)
        buttons.addWidget(self.error, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.heading)
        layout.addWidget(self.items, 1)
        layout.addLayout(form)
        layout.addLayout(buttons)
        self._set_inputs(None)

    # -- showing ------------------------------------------------------------------------------

    def show_detail(self, detail: ChecklistDetail | None) -> None:
        """Show a checklist (again, after a change or a tick of the clock), keeping the item
        chosen and what is typed."""
        same = self.detail is not None and detail is not None and self.detail.id == detail.id
        key = self.current_key() if same else None
        self.detail = detail
        self.items.blockSignals(True)
        self.items.setRowCount(0)
        if detail is None:
            self.heading.setText("Choose a checklist.")
            self.items.blockSignals(False)
            self._set_inputs(None)
            return
        c = detail.checklist
        self.heading.setText(
            f"{c.title} — {c.assignee}{' at ' + c.outpost if c.outpost else ''}; due "
            f"{format_dtg(c.due)}; {detail.status.label}, {detail.done} of "
            f"{len(detail.items)} done ({c.template_name}, version {c.template_version})"
        )
        self.items.setRowCount(len(detail.items))
        for row, item in enumerate(detail.items):
            who = (
                f"{item.completed_by} at {format_dtg(item.completed_at)}"
                if item.completed_at
                else f"due {format_dtg(item.due)}"
            )
            cells = (f"{item.section}: {item.spec.label}", item.status.label, _said(item), who)
            for column, text in enumerate(cells):
                cell = QTableWidgetItem(text)
                cell.setData(Qt.ItemDataRole.UserRole, item.key)
                if column == 1:
                    cell.setBackground(status_colour(item.status))
                self.items.setItem(row, column, cell)
        keys = [i.key for i in detail.items]
        self.items.blockSignals(False)
        if key in keys:
            self.items.setCurrentCell(keys.index(key), 0)
        else:
            self.items.setCurrentCell(0, 0)
            self._on_item_chosen(0, 0, -1, -1)

    def current_key(self) -> str | None:
        row = self.items.currentRow()
        if self.detail is None or not 0 <= row < len(self.detail.items):
            return None
        return self.detail.items[row].key

    def current_item(self) -> ItemView | None:
        key = self.current_key()
        return self.detail.item(key) if self.detail is not None and key else None

    def status_texts(self) -> list[str]:
        """Each item's status as the table shows it."""
        return [i.status.label for i in self.detail.items] if self.detail else []

    @Slot(int, int, int, int)
    def _on_item_chosen(self, row: int, _column: int, previous: int, _pc: int) -> None:
        if row != previous:
            self._set_inputs(self.current_item())

    def _set_inputs(self, item: ItemView | None) -> None:
        self.error.setText("")
        self.photo_path = ""
        for edit in (self.value_edit, self.note_edit, self.sign_off_edit):
            edit.clear()
        enabled = item is not None
        widget: QWidget
        for widget in (
            self.value_edit, self.choice_box, self.note_edit, self.sign_off_edit,
            self.photo_button, self.tick_button, self.untick_button,
        ):  # fmt: skip
            widget.setEnabled(enabled)
        if item is None:
            self.expects.setText("")
            self.photo_label.setText("")
            self.choice_box.hide()
            return
        spec = item.spec
        asks = [describe(spec)]
        if spec.evidence.value != "none":
            asks.append(f"evidence: {spec.evidence.value.replace('_', '-')}")
        hint = f" — {spec.hint}" if spec.hint else ""
        self.expects.setText(f"{spec.label}: {'; '.join(asks)}{hint}")
        is_choice = spec.type is ItemType.CHOICE
        self.choice_box.setVisible(is_choice)
        self.value_edit.setVisible(not is_choice and spec.type not in (
            ItemType.PHOTO, ItemType.SIGN_OFF))  # fmt: skip
        self.choice_box.clear()
        if is_choice:
            self.choice_box.addItems(spec.choices)
            if item.value in spec.choices:
                self.choice_box.setCurrentText(item.value)
        else:
            self.value_edit.setText(item.value if spec.type is not ItemType.DATETIME else (
                item.shown_value))  # fmt: skip
            self.value_edit.setPlaceholderText(describe(spec))
        self.note_edit.setText(item.note)
        self.sign_off_edit.setText(item.sign_off)
        self.photo_label.setText(item.photo.name if item.photo else "")

    # -- asking for a tick --------------------------------------------------------------------

    @Slot()
    def _on_photo(self) -> None:
        path = self._choose_photo(self)
        if path:
            self.photo_path = path
            self.photo_label.setText(path.rsplit("/", 1)[-1])

    @Slot()
    def tick(self) -> None:
        item = self.current_item()
        if item is None or self.detail is None:
            return
        spec = item.spec
        if spec.type is ItemType.CHOICE:
            value: str | None = self.choice_box.currentText()
        elif spec.type in (ItemType.PHOTO, ItemType.SIGN_OFF):
            value = None
        else:
            value = self.value_edit.text() or None
        note = self.note_edit.text()
        sign_off = self.sign_off_edit.text()
        self.error.setText("")
        self.tick_requested.emit(
            TickRequest(
                self.detail.id,
                item.key,
                value,
                note if note != item.note else None,
                self.photo_path or None,
                sign_off if sign_off != item.sign_off else None,
            )
        )

    @Slot()
    def untick(self) -> None:
        item = self.current_item()
        if item is not None and self.detail is not None:
            self.tick_requested.emit(
                TickRequest(self.detail.id, item.key, None, None, None, None, untick=True)
            )

    def show_error(self, text: str) -> None:
        self.error.setText(text)
