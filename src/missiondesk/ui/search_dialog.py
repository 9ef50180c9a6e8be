"""Find in messages (Ctrl+F): results as one types, newest first; Enter opens one in context."""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import (
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRectF,
    QSize,
    Qt,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtGui import QKeyEvent, QPainter, QTextDocument
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHeaderView,
    QLabel,
    QLineEdit,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from missiondesk.services.messaging import FoundMessage, MessagingService
from missiondesk.ui.rows_model import RowsModel
from missiondesk.ui.tasks import Failure, TaskRunner
from missiondesk.ui.theme import ERROR, MUTED_STYLE, precedence_colour

Index = QModelIndex | QPersistentModelIndex
DEBOUNCE_MS = 180
LIMIT = 100
QUOTED = 80  # characters of the query repeated in the summary
HtmlRole = Qt.ItemDataRole.UserRole + 2


def snippet_html(snippet: str) -> str:
    """The snippet escaped, its matches in bold (the store marks them with \\x02 .. \\x03)."""
    escaped = html.escape(" ".join(snippet.split()))
    return escaped.replace("\x02", "<b>").replace("\x03", "</b>")


class ResultsModel(RowsModel[FoundMessage]):
    COLUMNS = ("DTG", "Precedence", "Channel", "From", "Message")
    DTG, PRECEDENCE, CHANNEL, AUTHOR, TEXT = range(5)

    def found_at(self, row: int) -> FoundMessage:
        return self.row_at(row)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        found = self._rows[index.row()]
        message = found.message
        column = index.column()
        if role == HtmlRole and column == self.TEXT:
            return snippet_html(found.snippet)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            if column == self.DTG:
                return message.dtg
            if column == self.PRECEDENCE:
                return message.precedence.value.upper()
            if column == self.CHANNEL:
                return message.channel
            if column == self.AUTHOR:
                return message.author_name
            return found.snippet.replace("\x02", "").replace("\x03", "")
        if role == Qt.ItemDataRole.ForegroundRole and column == self.PRECEDENCE:
            return precedence_colour(message.precedence)
        return None


class HtmlDelegate(QStyledItemDelegate):
    """Draws HtmlRole text (bold matches) on the usual item background."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        markup = index.data(HtmlRole)
        if not markup:
            super().paint(painter, option, index)
            return
        widget = option.widget
        style = widget.style() if widget is not None else None
        if style is not None:
            style.drawPrimitive(
                QStyle.PrimitiveElement.PE_PanelItemViewItem, option, painter, widget
            )
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        colour = (option.palette.highlightedText() if selected else option.palette.text()).color()
        document = QTextDocument()
        document.setDefaultFont(option.font)
        document.setDocumentMargin(0)
        document.setHtml(f'<span style="color:{colour.name()}">{markup}</span>')
        rect = option.rect.adjusted(6, 0, -6, 0)
        painter.save()
        painter.translate(rect.left(), rect.top() + (rect.height() - document.size().height()) / 2)
        painter.setClipRect(QRectF(0, 0, rect.width(), rect.height()))
        document.drawContents(painter, QRectF(0, 0, rect.width(), rect.height()))
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        return super().sizeHint(option, index)


class SearchDialog(QDialog):
    """Emits `open_requested(message_id, channel_id)` for the chosen result."""

    open_requested = Signal(str, str)

    def __init__(
        self, messaging: MessagingService, tasks: TaskRunner, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._messaging = messaging
        self._tasks = tasks
        self._asked = ""
        self._generation = 0
        self.setWindowTitle("Find in messages")
        self.resize(900, 520)
        self.query = QLineEdit(self)
        self.query.setPlaceholderText("Words to find, e.g. convoy checkpoint")
        self.query.setClearButtonEnabled(True)
        self.query.setAccessibleName("Find")
        self.query.textChanged.connect(self._on_text_changed)
        self.query.returnPressed.connect(self._on_return)
        self.summary = QLabel(self)
        self.summary.setStyleSheet(MUTED_STYLE)
        self.summary.setWordWrap(True)  # a long query wraps; it never widens the window
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.model = ResultsModel(self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setAccessibleName("Results")
        self.table.setItemDelegateForColumn(ResultsModel.TEXT, HtmlDelegate(self.table))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        for column in range(ResultsModel.TEXT):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(ResultsModel.TEXT, QHeaderView.ResizeMode.Stretch)
        self.table.activated.connect(self._on_activated)
        hint = QLabel("Enter opens the message in its channel · Esc closes", self)
        hint.setStyleSheet(MUTED_STYLE)
        layout = QVBoxLayout(self)
        layout.addWidget(self.query)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(hint)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self.run_query)
        self.query.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: Any) -> bool:
        if (
            watched is self.query
            and isinstance(event, QKeyEvent)
            and event.type() == QKeyEvent.Type.KeyPress
            and event.key() == Qt.Key.Key_Down
        ):
            self.table.setFocus()
            if self.model.rowCount():
                self.table.selectRow(0)
            return True
        return super().eventFilter(watched, event)

    @Slot(str)
    def _on_text_changed(self, _text: str) -> None:
        self._timer.start()

    @Slot()
    def run_query(self) -> None:
        text = self.query.text().strip()
        self._asked = text
        self._generation += 1
        if not text:
            self.model.set_rows([])
            self.summary.setText("")
            return
        generation = self._generation
        self._tasks.run(
            "search messages",
            lambda: self._messaging.search(text, LIMIT),
            lambda rows: self._on_results(generation, text, rows),
            self._on_failed,
        )

    def _on_results(self, generation: int, text: str, rows: list[FoundMessage]) -> None:
        if generation != self._generation:
            return
        self.model.set_rows(rows)
        if not rows:
            shown = text if len(text) <= QUOTED else text[: QUOTED - 1] + "…"
            self.summary.setText(f"No message contains “{shown}”.")
        elif len(rows) >= LIMIT:
            self.summary.setText(f"The newest {LIMIT} messages that match; add words to narrow.")
        else:
            noun = "message matches" if len(rows) == 1 else "messages match"
            self.summary.setText(f"{len(rows)} {noun}, newest first.")
        self.summary.setStyleSheet(MUTED_STYLE)

    @Slot(object)
    def _on_failed(self, failure: Failure) -> None:
        self.summary.setText(failure.message)
        self.summary.setStyleSheet(f"color: {ERROR.name()}; font-weight: bold;")

    @Slot()
    def _on_return(self) -> None:
        if self._timer.isActive() or self._asked != self.query.text().strip():
            self._timer.stop()
            self.run_query()
            return
        if self.model.rowCount():
            self._on_activated(self.model.index(0, 0))

    @Slot(QModelIndex)
    def _on_activated(self, index: QModelIndex) -> None:
        if not index.isValid():
            return
        message = self.model.found_at(index.row()).message
        self.open_requested.emit(message.id, message.channel_id)
        self.hide()
