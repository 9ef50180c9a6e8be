"""The Messages section: channels on the left; the open channel's compose box, its messages
(newest first, loaded as the officer scrolls) and the selected message in full on the right.

Built in two steps (docs/architecture.md, "The first window in two steps"): the channels and
the messages first, then, once the window has painted, the compose box and the reading pane
(`build_rest`), in room kept for them; either is built at once if asked for before that."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelection, QModelIndex, Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListView,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from missiondesk.domain.changeset import ChangeSet
from missiondesk.domain.markings import Precedence, Sensitivity
from missiondesk.services.attachments import AttachmentInfo, AttachmentService, NewAttachment
from missiondesk.services.channels import KIND_LABELS, ChannelService, ChannelView
from missiondesk.services.messaging import PAGE, MessageView, MessagingService
from missiondesk.services.people import PeopleService
from missiondesk.ui.changes import ChangeRelay, RefreshScheduler
from missiondesk.ui.choosers import FilesChooser, PathChooser, ask_for_files, ask_for_path
from missiondesk.ui.elided_label import ElidedLabel
from missiondesk.ui.messages.channel_list import ChannelDelegate, ChannelListModel
from missiondesk.ui.messages.kept_room import (
    compose_height,
    compose_min_width,
    reading_min_height,
)
from missiondesk.ui.messages.message_model import MessageListModel
from missiondesk.ui.tasks import Failure, TaskRunner
from missiondesk.ui.theme import ERROR, MUTED_STYLE, scaled_font

if TYPE_CHECKING:  # the viewer and the channel dialogs are loaded when first opened
    from missiondesk.services.drafts import Draft, DraftService
    from missiondesk.ui.messages.attachment_viewer import AttachmentViewer
    from missiondesk.ui.messages.compose import ComposeBox  # built after the first paint
    from missiondesk.ui.messages.reading_pane import ReadingPane

CHANNEL_TYPES = frozenset({"message", "channel", "person", "device"})
FirstScreen = tuple[list[ChannelView], list[MessageView]]  # the channels, the first's newest page
# The first screen's messages: more rows than a tall screen shows (~40 at 1440 pixels); the
# rest come a PAGE at a time as the officer scrolls. Half a PAGE is half the unlock's read.
FIRST_PAGE = PAGE // 2


def read_first_screen(
    channels: ChannelService, messaging: MessagingService, page: int = FIRST_PAGE
) -> FirstScreen:
    """On the vault's thread: the channel list and the newest `page` messages of the first
    channel, which the page opens. The unlock reads it before the window is built (see
    `MessagesPage`)."""
    views = channels.overview()
    return views, messaging.older(views[0].id, None, page) if views else []


class MessagesPage(QWidget):
    """Emits `unread_changed(total, urgent)` whenever the channel list is re-read."""

    unread_changed = Signal(int, int)

    def __init__(
        self,
        messaging: MessagingService,
        channels: ChannelService,
        people: PeopleService,
        attachments: AttachmentService,
        tasks: TaskRunner,
        changes: ChangeRelay,
        *,
        choose_files: FilesChooser = ask_for_files,
        choose_save_path: PathChooser = ask_for_path,
        first: FirstScreen | None = None,
        parent: QWidget | None = None,
    ) -> None:
        """`first`: the first screen already read (`read_first_screen`, by the unlock); without
        it the page reads it itself, in one trip to the vault's thread."""
        super().__init__(parent)
        self._drafts: DraftService | None = None  # given with the first screen (restore_draft)
        self._messaging = messaging
        self._channels = channels
        self._people = people
        self._attachments = attachments
        self._tasks = tasks
        self._choose_files = choose_files
        self._choose_save_path = choose_save_path
        self._current: ChannelView | None = None
        self._pending_jump: tuple[str, str] | None = None
        self._preloaded: str | None = None  # a channel whose first page came with the list
        self._closed = False
        self.viewers: list[AttachmentViewer] = []

        # -- channels --------------------------------------------------------------------------
        self.channel_model = ChannelListModel(self)
        self.channel_list = QListView(self)
        self.channel_list.setModel(self.channel_model)
        self.channel_list.setItemDelegate(ChannelDelegate(self.channel_list))
        self.channel_list.setAccessibleName("Channels")
        self.channel_list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.channel_list.selectionModel().selectionChanged.connect(self._on_channel_selected)
        channels_title = QLabel("Channels", self)
        channels_title.setFont(scaled_font(channels_title, 1.1, bold=True))
        self.new_channel_button = QPushButton("New channel…", self)
        self.new_channel_button.setToolTip("Create a channel (Ctrl+Shift+N)")
        self.new_channel_button.clicked.connect(self.open_new_channel)
        self.direct_button = QPushButton("Direct…", self)
        self.direct_button.setToolTip("Message one person directly (Ctrl+D)")
        self.direct_button.clicked.connect(self.open_direct)
        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(12, 12, 6, 12)
        left_layout.addWidget(channels_title)
        left_layout.addWidget(self.channel_list, 1)
        row = QHBoxLayout()
        row.addWidget(self.new_channel_button)
        row.addWidget(self.direct_button)
        left_layout.addLayout(row)

        # -- the open channel ------------------------------------------------------------------
        self.channel_title = ElidedLabel(self)  # a long name is cut, never widens the window
        self.channel_title.setFont(scaled_font(self.channel_title, 1.45, bold=True))
        self.channel_about = QLabel(self)
        self.channel_about.setTextFormat(Qt.TextFormat.PlainText)
        self.channel_about.setWordWrap(True)
        self.channel_about.setStyleSheet(MUTED_STYLE)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.status.hide()
        # The compose box's room until it is built (build_rest): the same height, so nothing
        # below it moves when it comes.
        self._compose: ComposeBox | None = None
        self._compose_room: QWidget | None = QWidget(self)
        self._compose_room.setFixedHeight(compose_height(self))
        self._compose_room.setMinimumWidth(compose_min_width(self))

        self.model = MessageListModel(messaging, tasks, parent=self)
        self.model.loaded.connect(self._on_page_loaded)
        self.model.jumped.connect(self._on_jumped)
        self.model.rowsInserted.connect(self._on_rows_inserted)
        self.model.newer_prepended.connect(self._on_newer_prepended)
        self.model.failed.connect(self._on_model_failed)
        self.model.newest_changed.connect(self._on_newest_changed)
        self.model.dataChanged.connect(self._on_rows_changed)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setAccessibleName("Messages")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.setShowGrid(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        self.table.setStyleSheet("QTableView::item { padding: 0px 6px; }")
        header = self.table.horizontalHeader()
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setHighlightSections(False)
        metrics = self.fontMetrics()
        widths = {
            MessageListModel.PRECEDENCE: metrics.horizontalAdvance("IMMEDIATE") + 28,
            MessageListModel.DTG: metrics.horizontalAdvance("000000Z MMM 00") + 24,
            MessageListModel.AUTHOR: metrics.horizontalAdvance("MMMMMMMMMM") + 16,
            MessageListModel.STATUS: metrics.horizontalAdvance("Delivered 00/00 · 0 ack") + 20,
        }
        for column, width in widths.items():
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(column, width)
        header.setSectionResizeMode(MessageListModel.TEXT, QHeaderView.ResizeMode.Stretch)
        self.table.selectionModel().currentRowChanged.connect(self._on_message_current)
        self.table.verticalScrollBar().valueChanged.connect(self._on_scrolled)
        self.table.activated.connect(self._on_message_activated)

        self._reading: ReadingPane | None = None
        self.empty_note = QLabel(
            "No messages in this channel yet. Write the first one above.", self
        )
        self.empty_note.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_note.setStyleSheet(MUTED_STYLE)
        self.empty_note.hide()

        split = QSplitter(Qt.Orientation.Vertical, self)
        holder = QWidget(split)
        holder_layout = QVBoxLayout(holder)
        holder_layout.setContentsMargins(0, 0, 0, 0)
        holder_layout.addWidget(self.table, 1)
        holder_layout.addWidget(self.empty_note, 1)
        split.addWidget(holder)
        reading_room = QWidget(split)  # the reading pane's room until it is built
        reading_room.setMinimumHeight(reading_min_height(self))
        split.addWidget(reading_room)
        self._split = split
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setChildrenCollapsible(False)
        right = QWidget(self)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(6, 12, 16, 12)
        right_layout.setSpacing(6)
        right_layout.addWidget(self.channel_title)
        right_layout.addWidget(self.channel_about)
        right_layout.addWidget(self.status)
        right_layout.addWidget(self._compose_room)  # the compose box's place
        right_layout.addWidget(split, 1)
        self._right_layout = right_layout

        outer = QSplitter(Qt.Orientation.Horizontal, self)
        outer.addWidget(left)
        outer.addWidget(right)
        outer.setStretchFactor(1, 1)
        outer.setChildrenCollapsible(False)
        outer.setSizes([metrics.horizontalAdvance("M" * 15) + 60, 900])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(outer)

        self._scheduler = RefreshScheduler(changes, CHANNEL_TYPES, self)
        self._scheduler.refresh_requested.connect(self.refresh_channels)
        changes.changed.connect(self._on_changes)
        if first is not None and first[0]:
            self._on_first_channels(first)
        else:
            self.refresh_channels()

    # -- the second step -------------------------------------------------------------------------

    def build_rest(self) -> None:
        """The compose box and the reading pane, in the room kept for them (the window calls
        this once it has painted)."""
        _ = self.compose, self.reading

    @property
    def compose_built(self) -> bool:
        return self._compose is not None

    @property
    def compose(self) -> ComposeBox:
        """The compose box, built now if it was not yet (see `build_rest`)."""
        if self._compose is None:
            from missiondesk.ui.messages.compose import ComposeBox

            compose = ComposeBox(self)
            compose.send_requested.connect(self._on_send_requested)
            compose.attach_requested.connect(self._on_attach_requested)
            room, self._compose_room = self._compose_room, None
            if room is not None:
                self._right_layout.replaceWidget(room, compose)
                room.deleteLater()
            self._compose = compose
            if self._current is not None:
                self._address(compose, self._current)
            compose.show()
        return self._compose

    @property
    def reading(self) -> ReadingPane:
        """The reading pane, built now if it was not yet (see `build_rest`)."""
        if self._reading is None:
            from missiondesk.ui.messages.reading_pane import ReadingPane

            reading = ReadingPane()  # the splitter takes it (a child made there would be added)
            reading.acknowledge_requested.connect(self._on_acknowledge_requested)
            reading.attachment_opened.connect(self._on_attachment_opened)
            sizes = self._split.sizes()  # as laid out for the room: the table stays put
            room = self._split.replaceWidget(1, reading)
            if room is not None:
                room.deleteLater()
            if any(sizes):
                self._split.setSizes(sizes)
            self._reading = reading
            reading.show_message(None if self._closed else self.selected_message())
            reading.show()
        return self._reading

    @staticmethod
    def _address(compose: ComposeBox, view: ChannelView) -> None:
        compose.set_channel(("@" if view.is_direct else "#") + view.title, view.channel.sensitivity)

    # -- channels ------------------------------------------------------------------------------

    @Slot()
    def refresh_channels(self) -> None:
        if self._closed:
            return
        if self._current is None and self._pending_jump is None:
            # The first listing also reads the newest page of the channel it will open (the
            # first one): one trip to the vault's thread instead of two before the first screen.
            channels, messaging = self._channels, self._messaging
            self._tasks.run(
                "list channels and open the first",
                lambda: read_first_screen(channels, messaging),
                self._on_first_channels,
                self._on_failed,
            )
            return
        self._tasks.run(
            "list channels", self._channels.overview, self._on_channels, self._on_failed
        )

    @Slot(object)
    def _on_first_channels(self, found: FirstScreen) -> None:
        views, first = found
        if self._closed or self._current is not None or self._pending_jump is not None or not views:
            self._on_channels(views)
            return
        channel_id = views[0].id
        self._preloaded = channel_id
        self._on_channels(views)  # selects the first channel, which takes the page below
        self._preloaded = None
        current = self._current
        if current is not None and current.id == channel_id and self.model.channel != channel_id:
            self.model.show_page(channel_id, first, FIRST_PAGE)

    @Slot(object)
    def _on_channels(self, views: list[ChannelView]) -> None:
        if self._closed:
            return
        keep = self._current.id if self._current else None
        self.channel_model.set_channels(views)
        total = sum(v.unread for v in views)
        urgent = sum(v.unread_urgent for v in views)
        self.unread_changed.emit(total, urgent)
        if self._pending_jump is not None:
            message_id, channel_id = self._pending_jump
            self._pending_jump = None
            self.show_message(message_id, channel_id)
            return
        wanted = keep or (views[0].id if views else None)
        if wanted is None:
            return
        row = self.channel_model.row_of(wanted)
        if row < 0 and views:
            row = 0
        if row >= 0:
            view = self.channel_model.channel_at(row)
            current = self.channel_list.currentIndex()
            if not current.isValid() or current.row() != row:
                self.channel_list.setCurrentIndex(self.channel_model.index(row))
            else:
                self._current = view
                self._show_channel_header(view)

    def select_channel(self, channel_id: str) -> bool:
        row = self.channel_model.row_of(channel_id)
        if row < 0:
            return False
        self.channel_list.setCurrentIndex(self.channel_model.index(row))
        return True

    @Slot(QItemSelection, QItemSelection)
    def _on_channel_selected(self, selected: QItemSelection, _deselected: QItemSelection) -> None:
        indexes = selected.indexes()
        if not indexes:
            return
        view = self.channel_model.channel_at(indexes[0].row())
        if self._current is not None and self._current.id == view.id:
            return
        self._current = view
        self._show_channel_header(view)
        if self._compose is not None:  # else addressed when built
            self._address(self._compose, view)
        if self._reading is not None:
            self._reading.show_message(None)
        if self._drafts is not None:
            self.restore_draft(self._drafts)
        if self._preloaded == view.id:
            self._preloaded = None  # its first page is at hand (see _on_first_channels)
        elif self._pending_jump is None:
            self.model.open_channel(view.id)

    def _show_channel_header(self, view: ChannelView) -> None:
        self.channel_title.setText(("@ " if view.is_direct else "# ") + view.title)
        members = ", ".join(view.members) if view.members else "everyone in the mission"
        parts = [KIND_LABELS[view.kind]]
        description = view.channel.description
        if description and description.casefold() not in (
            "everyone in the mission",
            "direct messages",
        ):
            parts.append(description)
        parts.append(f"Members: {members}")
        if view.channel.sensitivity is not Sensitivity.UNCLASSIFIED:
            parts.append(view.channel.sensitivity.label)
        self.channel_about.setText(" · ".join(parts))

    @property
    def current_channel(self) -> ChannelView | None:
        return self._current

    # -- messages ------------------------------------------------------------------------------

    @Slot()
    def _on_page_loaded(self) -> None:
        has_rows = self.model.rowCount() > 0
        self.table.setVisible(has_rows)
        self.empty_note.setVisible(not has_rows)
        if has_rows and self._pending_jump is None and not self.table.currentIndex().isValid():
            self.table.setCurrentIndex(self.model.index(0, MessageListModel.TEXT))
            self.table.scrollToTop()

    @Slot(QModelIndex, int, int)
    def _on_rows_inserted(self, _parent: QModelIndex, _first: int, _last: int) -> None:
        if self.empty_note.isVisible():
            self.table.setVisible(True)
            self.empty_note.setVisible(False)

    @Slot(int)
    def _on_newer_prepended(self, count: int) -> None:
        """Scrolling up through older context: keep the rows the officer was reading in view."""
        bar = self.table.verticalScrollBar()
        bar.setValue(bar.value() + count * max(1, self.table.verticalHeader().defaultSectionSize()))

    @Slot(int)
    def _on_jumped(self, row: int) -> None:
        if row < 0:
            return
        index = self.model.index(row, MessageListModel.TEXT)
        self.table.setCurrentIndex(index)
        self.table.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtCenter)
        self.table.setFocus()

    def show_message(self, message_id: str, channel_id: str) -> None:
        """Open a message in its channel (a search result, a FLASH banner)."""
        row = self.channel_model.row_of(channel_id)
        if row < 0:
            self._pending_jump = (message_id, channel_id)
            self.refresh_channels()
            return
        self._pending_jump = (message_id, channel_id)
        self.channel_list.setCurrentIndex(self.channel_model.index(row))
        self._pending_jump = None
        self._current = self.channel_model.channel_at(row)
        self._show_channel_header(self._current)
        self.table.clearSelection()
        self.model.jump_to(message_id, channel_id)

    @Slot(int)
    def _on_scrolled(self, value: int) -> None:
        if value == 0 and not self.model.at_newest:
            self.model.fetch_newer()

    @Slot(QModelIndex, QModelIndex)
    def _on_message_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self._reading is None:  # it shows the current message when built
            return
        if current.isValid():
            self._reading.show_message(self.model.message_at(current.row()))
        else:
            self._reading.show_message(None)

    @Slot(QModelIndex)
    def _on_message_activated(self, index: QModelIndex) -> None:
        if index.isValid():
            self.reading.text.setFocus()

    def window_activated(self) -> None:
        """The officer is back at the window: what the open channel shows is now read."""
        if not self._closed and self.model.rowCount():
            self._on_newest_changed(self.model.newest_hlc())

    @Slot(object)
    def _on_newest_changed(self, hlc: int) -> None:
        channel = self.model.channel
        if channel is None or not self.isVisible():
            return
        window = self.window()
        if window is not None and not window.isActiveWindow() and window.isVisible():
            return
        self._tasks.run(
            "mark channel read",
            lambda: self._channels.mark_read(channel, hlc),
            lambda moved: self.refresh_channels() if moved else None,
        )

    @Slot(object)
    def _on_changes(self, changes: ChangeSet) -> None:
        if self._closed:
            return
        self.model.apply_changes(changes)

    @Slot(QModelIndex, QModelIndex)
    def _on_rows_changed(self, top: QModelIndex, bottom: QModelIndex) -> None:
        """A message re-read in place (an acknowledgement): the reading pane follows."""
        current = self.table.currentIndex()
        reading = self._reading
        if reading is not None and current.isValid() and top.row() <= current.row() <= bottom.row():
            reading.show_message(self.model.message_at(current.row()))

    def selected_message(self) -> MessageView | None:
        index = self.table.currentIndex()
        return self.model.message_at(index.row()) if index.isValid() else None

    # -- actions ---------------------------------------------------------------------------------

    def focus_compose(self) -> None:
        self.compose.text_edit.setFocus()

    @Slot()
    def acknowledge_selected(self) -> None:
        message = self.selected_message()
        if message is not None and message.needs_my_ack:
            self._on_acknowledge_requested(message.id)

    @Slot(str)
    def _on_acknowledge_requested(self, message_id: str) -> None:
        self._tasks.run(
            "acknowledge message",
            lambda: self._messaging.acknowledge(message_id),
            lambda _none: self.reading.acknowledged(),
            self._on_failed,
        )

    @Slot(str, object, object, object)
    def _on_send_requested(
        self,
        text: str,
        precedence: Precedence,
        sensitivity: Sensitivity,
        attachments: tuple[NewAttachment, ...],
    ) -> None:
        if self._current is None:
            self.compose.show_error("Choose a channel first.")
            return
        channel_id = self._current.id
        self.compose.set_busy(True)
        self._tasks.run(
            "send message",
            lambda: self._messaging.send(channel_id, text, precedence, sensitivity, attachments),
            self._on_sent,
            self._on_send_failed,
        )

    @Slot(object)
    def _on_sent(self, _message_id: str) -> None:
        self.compose.set_busy(False)
        self.compose.sent()
        self.table.clearSelection()
        self.table.scrollToTop()

    @Slot(object)
    def _on_send_failed(self, failure: Failure) -> None:
        self.compose.set_busy(False)
        self.compose.show_error(failure.message)

    @Slot()
    def _on_attach_requested(self) -> None:
        for chosen in self._choose_files(self):
            self.attach_file(Path(chosen))

    def attach_file(self, path: Path) -> None:
        self._tasks.run(
            "read file to attach",
            lambda: NewAttachment.read(path),
            self.compose.add_attachment,
            lambda failure: self.compose.show_error(failure.message),
        )

    @Slot(object)
    def _on_attachment_opened(self, info: AttachmentInfo) -> None:
        from missiondesk.ui.messages.attachment_viewer import AttachmentViewer

        viewer = AttachmentViewer(
            info, self._attachments, self._tasks, choose_path=self._choose_save_path, parent=self
        )
        viewer.setWindowFlag(Qt.WindowType.Window)
        self.viewers.append(viewer)
        viewer.finished.connect(lambda _code: self._forget_viewer(viewer))
        viewer.show()

    def _forget_viewer(self, viewer: AttachmentViewer) -> None:
        if viewer in self.viewers:
            self.viewers.remove(viewer)

    @Slot()
    def open_new_channel(self) -> None:
        from missiondesk.ui.messages.channel_dialogs import NewChannelDialog

        if self._raise_open(NewChannelDialog):
            return
        dialog = NewChannelDialog(self._channels, self._people, self._tasks, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.created.connect(self._on_channel_made)
        dialog.show()

    @Slot()
    def open_direct(self) -> None:
        from missiondesk.ui.messages.channel_dialogs import DirectMessageDialog

        if self._raise_open(DirectMessageDialog):
            return
        dialog = DirectMessageDialog(self._channels, self._people, self._tasks, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.opened.connect(self._on_channel_made)
        dialog.show()

    def _raise_open(self, kind: type[QWidget]) -> bool:
        """The dialog of that kind already open is brought forward (a key pressed twice opens
        one, not two); False when there is none."""
        for child in self.findChildren(kind):
            if child.isVisible():
                child.raise_()
                child.activateWindow()
                return True
        return False

    @Slot(str)
    def _on_channel_made(self, channel_id: str) -> None:
        self._tasks.run(
            "list channels",
            self._channels.overview,
            lambda views: self._select_after_refresh(views, channel_id),
            self._on_failed,
        )

    def _select_after_refresh(self, views: list[ChannelView], channel_id: str) -> None:
        self._on_channels(views)
        self.select_channel(channel_id)
        QTimer.singleShot(0, self.focus_compose)

    @Slot(str)
    def _on_model_failed(self, message: str) -> None:
        self._show_status(message)

    @Slot(object)
    def _on_failed(self, failure: Failure) -> None:
        self._show_status(failure.message)

    def _show_status(self, message: str) -> None:
        if self._closed:
            return
        self.status.setStyleSheet(f"color: {ERROR.name()}; font-weight: bold;")
        self.status.setText(message)
        self.status.setVisible(bool(message))

    def restore_draft(self, drafts: DraftService) -> None:
        """Put back the message kept at the last lock, if it was written in the channel open
        now and the box is empty; from then on `drafts` keeps the message at a lock and is
        asked again as each channel is opened (the first screen hands it over: not before)."""
        self._drafts = drafts
        current = self._current
        if current is None or self._closed:
            return
        channel = current.id
        self._tasks.run(
            "take the message kept at the lock",
            lambda: drafts.take(channel),
            lambda found: self._on_draft(channel, found),
        )

    def _on_draft(self, channel: str, draft: Draft | None) -> None:
        if draft is None or self._closed or self._current is None:
            return
        drafts = self._drafts
        if self._current.id != channel or self.compose.text_edit.toPlainText().strip():
            if drafts is not None:  # not now (another channel, or typing already): kept again
                self._tasks.run("keep the unsent message", lambda: drafts.keep(draft))
            return
        self.compose.text_edit.setPlainText(draft.text)
        self.compose.set_precedence(draft.precedence)
        self.compose.set_sensitivity(draft.sensitivity)
        from PySide6.QtGui import QTextCursor  # a draft put back is rare: not on the start path

        self.compose.text_edit.moveCursor(QTextCursor.MoveOperation.End)
        self.status.setText("Your unsent message was kept while MissionDesk was locked.")
        self.status.show()

    def _keep_draft(self, drafts: DraftService | None) -> None:
        current, compose = self._current, self._compose  # not built yet: nothing was typed
        if drafts is None or current is None or compose is None or self._closed:
            return
        text = compose.text_edit.toPlainText()
        if not text.strip():
            return
        from missiondesk.services.drafts import Draft  # at a lock only

        draft = Draft(current.id, text, compose.precedence, compose.sensitivity)
        self._tasks.run("keep the unsent message", lambda: drafts.keep(draft))

    def clear(self, drafts: DraftService | None = None) -> None:
        """Forget everything shown (on lock), before the widget itself is deleted; `drafts`
        keeps the message being written (the window gives it: a lock may come before the
        first screen has handed it over)."""
        self._keep_draft(drafts or self._drafts)  # queued before the vault closes
        self._closed = True
        for viewer in list(self.viewers):
            viewer.close()
        self.model.clear()
        self.channel_model.set_channels([])
        if self._reading is not None:
            self._reading.show_message(None)
        if self._compose is not None:
            self._compose.text_edit.clear()
        self.channel_title.clear()
        self.channel_about.clear()
