"""Messages: the most recent messages of every channel, newest first, precedence colour-coded."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Slot,
)
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QWidget

from missiondesk.domain.records.messaging import Precedence
from missiondesk.services.messaging import MessageView, MessagingService
from missiondesk.ui.changes import ChangeRelay, RefreshScheduler
from missiondesk.ui.pages import TablePage
from missiondesk.ui.theme import precedence_bold, precedence_colour

Index = QModelIndex | QPersistentModelIndex

PRECEDENCE_MEANING: dict[Precedence, str] = {
    Precedence.FLASH: "FLASH (Z): life or mission at stake; handle at once and acknowledge.",
    Precedence.IMMEDIATE: "IMMEDIATE (O): handle as soon as possible and acknowledge.",
    Precedence.PRIORITY: "PRIORITY (P): handle before routine traffic.",
    Precedence.ROUTINE: "ROUTINE (R): handle in the normal course of work.",
}
MESSAGE_TYPES = frozenset({"message", "channel", "person", "device"})


class MessagesModel(QAbstractTableModel):
    COLUMNS = ("DTG", "Precedence", "Channel", "From", "Message")
    DTG, PRECEDENCE, CHANNEL, AUTHOR, TEXT = range(5)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[MessageView] = []

    def set_rows(self, rows: list[MessageView]) -> None:
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()

    def message_at(self, row: int) -> MessageView:
        return self._rows[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.COLUMNS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        message = self._rows[index.row()]
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._text(message, column)
        if role == Qt.ItemDataRole.ForegroundRole and column == self.PRECEDENCE:
            return precedence_colour(message.precedence)
        if role == Qt.ItemDataRole.FontRole and precedence_bold(message.precedence):
            if column in (self.PRECEDENCE, self.TEXT):
                font = QFont()
                font.setBold(True)
                return font
            return None
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == self.PRECEDENCE:
                return PRECEDENCE_MEANING[message.precedence]
            if column == self.TEXT:
                return f"{message.sensitivity.label}\n\n{message.text}"
        return None

    def _text(self, message: MessageView, column: int) -> str:
        if column == self.DTG:
            return message.dtg
        if column == self.PRECEDENCE:
            return message.precedence.value.upper()
        if column == self.CHANNEL:
            return f"#{message.channel}"
        if column == self.AUTHOR:
            return message.author_name
        return " ".join(message.text.split())


class MessagesPage(TablePage):
    """Lists recent messages; refreshes itself when the change feed reports message changes."""

    def __init__(
        self,
        messaging: MessagingService,
        changes: ChangeRelay,
        *,
        limit: int = 200,
        parent: QWidget | None = None,
    ) -> None:
        model = MessagesModel()
        super().__init__(
            "Messages",
            model,
            empty_text="No messages yet.\nMessages sent from this computer, or received from "
            "other outposts, appear here.",
            stretch_column=MessagesModel.TEXT,
            parent=parent,
        )
        self.model = model
        model.setParent(self)
        self._messaging = messaging
        self._limit = limit
        self._scheduler = RefreshScheduler(changes, MESSAGE_TYPES, self)
        self._scheduler.refresh_requested.connect(self._on_refresh_requested)
        self.refresh()

    def load(self) -> None:
        rows = self._messaging.list(limit=self._limit)
        rows.reverse()  # the service gives oldest first; an inbox shows the newest on top
        self.model.set_rows(rows)
        urgent = sum(1 for m in rows if m.precedence.needs_acknowledgement)
        if not rows:
            text = ""
        elif len(rows) >= self._limit:
            text = f"The latest {len(rows)} messages in all channels, newest first."
        else:
            noun = "message" if len(rows) == 1 else "messages"
            text = f"{len(rows)} {noun} in all channels, newest first."
        if urgent:
            text += f" {urgent} FLASH or IMMEDIATE."
        self.set_summary(text, rows=len(rows))

    def clear(self) -> None:
        self.model.set_rows([])
        self.set_summary("", rows=0)

    @Slot()
    def _on_refresh_requested(self) -> None:
        self.refresh()
