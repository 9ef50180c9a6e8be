"""The messages of one channel, newest first, loaded a page at a time as the officer scrolls.

Only the pages seen so far are held, so a channel of a million messages opens as fast as one of
ten. Every read runs on the vault's thread; a generation number drops answers that arrive
after the officer moved to another channel. New messages (typed here or arrived from a peer)
are put on top from the ChangeSets; changed ones (an acknowledgement) are re-read in place.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QFont

from missiondesk.domain.bidi import without_direction_controls
from missiondesk.domain.changeset import ChangeSet
from missiondesk.domain.markings import Precedence
from missiondesk.services.messaging import PAGE, Around, MessageView, MessagingService
from missiondesk.ui.icons import icon
from missiondesk.ui.tasks import Failure, TaskRunner
from missiondesk.ui.theme import ERROR, precedence_bold, precedence_colour, precedence_row

Index = QModelIndex | QPersistentModelIndex

PRECEDENCE_MEANING: dict[Precedence, str] = {
    Precedence.FLASH: "FLASH (Z): life or mission at stake; handle at once and acknowledge.",
    Precedence.IMMEDIATE: "IMMEDIATE (O): handle as soon as possible and acknowledge.",
    Precedence.PRIORITY: "PRIORITY (P): handle before routine traffic.",
    Precedence.ROUTINE: "ROUTINE (R): handle in the normal course of work.",
}
MessageRole = Qt.ItemDataRole.UserRole + 1


class MessageListModel(QAbstractTableModel):
    """Rows of MessageView for one channel. Signals: `loaded` after the first page of a
    channel, `jumped(row)` once a message asked for by `jump_to` is in the rows, `failed`."""

    COLUMNS = ("Precedence", "DTG", "From", "Message", "Status")
    PRECEDENCE, DTG, AUTHOR, TEXT, STATUS = range(5)

    loaded = Signal()
    jumped = Signal(int)
    failed = Signal(str)
    newer_prepended = Signal(int)  # rows put on top by fetch_newer while not at the newest
    newest_changed = Signal(object)  # hlc (an int beyond 32 bits) of the newest message held

    def __init__(
        self,
        messaging: MessagingService,
        tasks: TaskRunner,
        *,
        page: int = PAGE,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._messaging = messaging
        self._tasks = tasks
        self._page = page
        self._rows: list[MessageView] = []
        self._channel: str | None = None
        self._generation = 0
        self._older_exhausted = True
        self._at_newest = True
        self._busy_older = False
        self._busy_newer = False
        self._bold: QFont | None = None

    # -- what the page asks for ----------------------------------------------------------------

    @property
    def channel(self) -> str | None:
        return self._channel

    @property
    def at_newest(self) -> bool:
        return self._at_newest

    @property
    def busy(self) -> bool:
        return self._busy_older or self._busy_newer

    @property
    def page_size(self) -> int:
        return self._page

    def open_channel(self, channel_id: str) -> None:
        """Show `channel_id`, from its newest message."""
        self._reset(channel_id)
        self._busy_older = True
        generation = self._generation
        self._run(
            "open channel",
            lambda: self._messaging.older(channel_id, None, self._page),
            lambda views: self._on_first_page(generation, views),
        )

    def show_page(
        self, channel_id: str, views: list[MessageView], asked: int | None = None
    ) -> None:
        """Show `channel_id` from its newest page, read already (`MessagingService.older(
        channel_id, None, asked)` on the vault's thread, `asked` by default `page_size`): as
        open_channel, without a read. Fewer than `asked` means the channel has no more."""
        self._reset(channel_id)
        self._busy_older = True
        self._on_first_page(self._generation, views, asked)

    def jump_to(self, message_id: str, channel_id: str) -> None:
        """Show `channel_id` around one message (a search result opened in context)."""
        self._reset(channel_id)
        self._busy_older = self._busy_newer = True
        generation = self._generation
        self._run(
            "open message in context",
            lambda: self._messaging.around(message_id),
            lambda around: self._on_around(generation, message_id, around),
        )

    def clear(self) -> None:
        self._reset(None)

    def message_at(self, row: int) -> MessageView:
        return self._rows[row]

    def row_of(self, message_id: str) -> int:
        for row, view in enumerate(self._rows):
            if view.id == message_id:
                return row
        return -1

    def newest_hlc(self) -> int:
        return self._rows[0].hlc if self._rows else 0

    # -- lazy loading (Qt calls these as the view scrolls to the end) --------------------------

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008 - Qt's signature
        return (
            not parent.isValid()
            and self._channel is not None
            and not self._older_exhausted
            and not self._busy_older
        )

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008 - Qt's signature
        if not self.canFetchMore(parent) or not self._rows or self._channel is None:
            return
        self._busy_older = True
        channel, cursor, generation = self._channel, self._rows[-1].cursor, self._generation
        self._run(
            "load older messages",
            lambda: self._messaging.older(channel, cursor, self._page),
            lambda views: self._on_older(generation, views),
        )

    def fetch_newer(self) -> None:
        """Load what is newer than the top row (after a jump, or when messages arrived)."""
        if self._channel is None or self._busy_newer:
            return
        if not self._rows:
            if not self._busy_older:
                self.open_channel(self._channel)
            return
        self._busy_newer = True
        channel, cursor, generation = self._channel, self._rows[0].cursor, self._generation
        self._run(
            "load newer messages",
            lambda: self._messaging.newer(channel, cursor, self._page),
            lambda views: self._on_newer(generation, views),
        )

    def apply_changes(self, changes: ChangeSet) -> None:
        """New messages go on top (when the top is the newest); changed ones are re-read."""
        if self._channel is None:
            return
        held = {v.id for v in self._rows}
        changed = [m for m in changes.ids_of("message") if m in held]
        if changed:
            generation = self._generation
            self._run(
                "refresh messages",
                lambda: self._messaging.views_of(changed),
                lambda views: self._on_refreshed(generation, views),
            )
        if self._at_newest and (not changes.entities or changes.ids_of("message") - held):
            self.fetch_newer()

    # -- answers from the vault thread ---------------------------------------------------------

    def _run(self, name: str, fn: Callable[[], Any], done: Callable[[Any], None]) -> None:
        generation = self._generation
        self._tasks.run(name, fn, done, lambda failure: self._on_failed(generation, failure))

    def _on_first_page(
        self, generation: int, views: list[MessageView], asked: int | None = None
    ) -> None:
        if generation != self._generation:
            return
        self._busy_older = False
        self._older_exhausted = len(views) < (asked or self._page)
        if views:
            self.beginInsertRows(QModelIndex(), 0, len(views) - 1)
            self._rows = list(views)
            self.endInsertRows()
            self.newest_changed.emit(self._rows[0].hlc)
        self.loaded.emit()

    def _on_around(self, generation: int, message_id: str, around: Around) -> None:
        if generation != self._generation:
            return
        self._busy_older = self._busy_newer = False
        self._at_newest = around.newest
        self._older_exhausted = False
        if around.rows:
            self.beginInsertRows(QModelIndex(), 0, len(around.rows) - 1)
            self._rows = list(around.rows)
            self.endInsertRows()
        self.loaded.emit()
        self.jumped.emit(self.row_of(message_id))

    def _on_older(self, generation: int, views: list[MessageView]) -> None:
        if generation != self._generation:
            return
        self._busy_older = False
        held = {v.id for v in self._rows}
        views = [v for v in views if v.id not in held]
        self._older_exhausted = len(views) < self._page
        if views:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(views) - 1)
            self._rows.extend(views)
            self.endInsertRows()

    def _on_newer(self, generation: int, views: list[MessageView]) -> None:
        if generation != self._generation:
            return
        self._busy_newer = False
        held = {v.id for v in self._rows}
        views = [v for v in views if v.id not in held]
        was_at_newest = self._at_newest
        if len(views) < self._page:
            self._at_newest = True
        if views:
            self.beginInsertRows(QModelIndex(), 0, len(views) - 1)
            self._rows[0:0] = views
            self.endInsertRows()
            self.newest_changed.emit(self._rows[0].hlc)
            if not was_at_newest:
                self.newer_prepended.emit(len(views))

    def _on_refreshed(self, generation: int, views: list[MessageView]) -> None:
        if generation != self._generation:
            return
        by_id = {v.id: v for v in views}
        for row, old in enumerate(self._rows):
            new = by_id.get(old.id)
            if new is not None and new != old:
                self._rows[row] = new
                self.dataChanged.emit(self.index(row, 0), self.index(row, len(self.COLUMNS) - 1))

    def _on_failed(self, generation: int, failure: Failure) -> None:
        if generation == self._generation:
            self._busy_older = self._busy_newer = False
            self._older_exhausted = True  # do not retry in a loop; reopening the channel will
            self.failed.emit(failure.message)

    def _reset(self, channel_id: str | None) -> None:
        self.beginResetModel()
        self._generation += 1
        self._channel = channel_id
        self._rows = []
        self._older_exhausted = channel_id is None
        self._at_newest = True
        self._busy_older = self._busy_newer = False
        self.endResetModel()

    # -- what the table shows ------------------------------------------------------------------

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
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        message = self._rows[index.row()]
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._text(message, column)
        if role == MessageRole:
            return message
        if role == Qt.ItemDataRole.BackgroundRole:
            return precedence_row(message.precedence)
        if role == Qt.ItemDataRole.ForegroundRole:
            if column == self.STATUS and message.needs_my_ack:
                return ERROR
            if column == self.PRECEDENCE:
                return precedence_colour(message.precedence)
            return None
        if role == Qt.ItemDataRole.FontRole:
            needs_ack = column == self.STATUS and message.needs_my_ack
            if needs_ack or precedence_bold(message.precedence):
                if self._bold is None:
                    self._bold = QFont()
                    self._bold.setBold(True)
                return self._bold
            return None
        if role == Qt.ItemDataRole.DecorationRole and column == self.TEXT:
            return icon("paperclip") if message.attachments else None
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(message, column)
        return None

    def _text(self, message: MessageView, column: int) -> str:
        if column == self.PRECEDENCE:
            return message.precedence.value.upper()
        if column == self.DTG:
            return message.dtg
        if column == self.AUTHOR:
            return message.author_name
        if column == self.STATUS:
            return message.status_text
        text = " ".join(without_direction_controls(message.text).split())
        return text if len(text) <= 300 else text[:299] + "…"

    @staticmethod
    def _tooltip(message: MessageView, column: int) -> str | None:
        if column == MessageListModel.PRECEDENCE:
            return PRECEDENCE_MEANING[message.precedence]
        if column == MessageListModel.STATUS and message.awaiting:
            return "Waiting for acknowledgement from: " + ", ".join(message.awaiting)
        if column == MessageListModel.TEXT:
            return message.sensitivity.label
        return None
