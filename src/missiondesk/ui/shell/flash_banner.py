"""A red band under the header while FLASH or IMMEDIATE messages wait for this officer's
acknowledgement: the newest of them, how many in all, Open and Acknowledge."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QSizePolicy, QWidget

from missiondesk.domain.bidi import without_direction_controls
from missiondesk.domain.markings import Precedence
from missiondesk.services.messaging import MessageView, MessagingService
from missiondesk.ui.changes import ChangeRelay, RefreshScheduler
from missiondesk.ui.icons import icon
from missiondesk.ui.tasks import TaskRunner
from missiondesk.ui.theme import PRECEDENCE_COLOURS

BANNER_TYPES = frozenset({"message", "channel", "person", "device"})


class FlashBanner(QFrame):
    open_requested = Signal(str, str)  # message id, channel id

    def __init__(
        self,
        messaging: MessagingService,
        tasks: TaskRunner,
        changes: ChangeRelay,
        parent: QWidget | None = None,
        *,
        start: bool = True,
    ) -> None:
        """`start=False`: the first read waits for refresh() (changes still trigger it)."""
        super().__init__(parent)
        self._messaging = messaging
        self._tasks = tasks
        self._waiting: list[MessageView] = []
        self._closed = False
        self.setObjectName("flashBanner")
        self.setAccessibleName("Messages waiting for your acknowledgement")
        self.mark = QLabel(self)
        self.mark.setPixmap(icon("flash").pixmap(22, 22))
        self.text = QLabel(self)
        self.text.setTextFormat(Qt.TextFormat.PlainText)
        self.text.setWordWrap(False)
        self.text.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.more = QLabel(self)
        self.open_button = QPushButton("Open", self)
        self.open_button.clicked.connect(self._on_open)
        self.ack_button = QPushButton("Acknowledge", self)
        self.ack_button.setToolTip("Acknowledge this message (Ctrl+K in the message list)")
        self.ack_button.clicked.connect(self._on_acknowledge)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 6, 12, 6)
        layout.addWidget(self.mark)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.more)
        layout.addWidget(self.open_button)
        layout.addWidget(self.ack_button)
        self._scheduler = RefreshScheduler(changes, BANNER_TYPES, self)
        self._scheduler.refresh_requested.connect(self.refresh)
        self.hide()
        if start:
            self.refresh()

    @property
    def waiting(self) -> list[MessageView]:
        return list(self._waiting)

    @Slot()
    def refresh(self) -> None:
        if not self._closed:
            self._tasks.run(
                "messages to acknowledge", self._messaging.waiting_for_my_ack, self._show
            )

    @Slot(object)
    def _show(self, waiting: list[MessageView]) -> None:
        if self._closed:
            return
        waiting = sorted(waiting, key=lambda v: (v.precedence.rank, -v.hlc))
        self._waiting = waiting
        if not waiting:
            self.hide()
            return
        first = waiting[0]
        fill = PRECEDENCE_COLOURS[first.precedence]
        text_colour = "#ffffff"
        self.setStyleSheet(
            f"QFrame#flashBanner {{ background: {fill.name()}; }}"
            f" QFrame#flashBanner QLabel {{ color: {text_colour}; }}"
            " QFrame#flashBanner QPushButton { background: #ffffff; color: #202124;"
            " border-radius: 4px; padding: 3px 12px; font-weight: bold; }"
        )
        line = " ".join(without_direction_controls(first.text).split())
        self.text.setText(
            f"{first.precedence.value.upper()}  {first.dtg}  {first.author_name} in "
            f"{first.channel}: {line}"
        )
        font = self.text.font()
        font.setBold(first.precedence is Precedence.FLASH)
        self.text.setFont(font)
        rest = len(waiting) - 1
        self.more.setText(f"+{rest} more waiting" if rest else "")
        self.show()

    @Slot()
    def _on_open(self) -> None:
        if self._waiting:
            first = self._waiting[0]
            self.open_requested.emit(first.id, first.channel_id)

    @Slot()
    def _on_acknowledge(self) -> None:
        if not self._waiting:
            return
        message_id = self._waiting[0].id
        self.ack_button.setEnabled(False)
        self._tasks.run(
            "acknowledge message",
            lambda: self._messaging.acknowledge(message_id),
            lambda _none: self.ack_button.setEnabled(True),
            lambda _failure: self.ack_button.setEnabled(True),
        )

    def clear(self) -> None:
        self._closed = True
        self._waiting = []
        self.text.clear()
        self.hide()
