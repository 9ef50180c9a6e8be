"""The selected message in full: precedence, DTG (and local time), author, sensitivity, text,
attachments, and who has and has not acknowledged it, with the Acknowledge button."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from missiondesk.domain.bidi import without_direction_controls
from missiondesk.domain.hlc import to_datetime
from missiondesk.services.attachments import AttachmentInfo, short_name
from missiondesk.services.delivery import MessageState
from missiondesk.services.messaging import MessageView
from missiondesk.ui.flow_layout import FlowLayout
from missiondesk.ui.icons import icon
from missiondesk.ui.messages.kept_room import (
    READING_MARGIN,
    READING_SPACING,
    text_height,
)
from missiondesk.ui.theme import (
    ERROR,
    MUTED_STYLE,
    PRECEDENCE_COLOURS,
    SENSITIVITY_COLOURS,
    badge_style,
    precedence_badge,
    scaled_font,
)

STATE_MEANING: dict[MessageState, str] = {
    MessageState.QUEUED: "Queued: on this laptop only; it leaves with the next sync.",
    MessageState.SENT: "Sent: a peer holds it and passes it on.",
    MessageState.DELIVERED: "Delivered: the laptop of an addressed officer holds it.",
    MessageState.ACKNOWLEDGED: "Acknowledged by everyone it asked.",
    MessageState.RECEIVED: "Received.",
}


class ReadingPane(QWidget):
    acknowledge_requested = Signal(str)  # message id
    attachment_opened = Signal(object)  # AttachmentInfo

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._message: MessageView | None = None
        self.precedence = QLabel(self)
        self.sensitivity = QLabel(self)
        self.when = QLabel(self)
        self.when.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.who = QLabel(self)
        self.who.setTextFormat(Qt.TextFormat.PlainText)
        self.who.setFont(scaled_font(self.who, 1.0, bold=True))
        self.when.setWordWrap(True)  # on a narrow window it wraps rather than widen the window
        self.text = QPlainTextEdit(self)
        self.text.setReadOnly(True)
        self.text.setAccessibleName("Message")
        self.text.setFrameShape(QPlainTextEdit.Shape.NoFrame)
        self.text.setMinimumHeight(text_height(self.text))
        self.attachments_row = FlowLayout(spacing=6)  # many files wrap onto more lines
        self._attachment_buttons: list[QPushButton] = []
        self.acks = QLabel(self)
        self.acks.setWordWrap(True)
        self.acks.setTextFormat(Qt.TextFormat.PlainText)
        self.acks.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.acknowledge_button = QPushButton("Ac&knowledge", self)
        self.acknowledge_button.setToolTip("Acknowledge this message (Ctrl+K)")
        self.acknowledge_button.clicked.connect(self._on_acknowledge_clicked)
        self.empty = QLabel("Select a message to read it here.", self)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setStyleSheet(MUTED_STYLE)

        head = QHBoxLayout()
        head.setSpacing(8)
        top = Qt.AlignmentFlag.AlignTop
        head.addWidget(self.precedence, 0, top)
        head.addWidget(self.who, 0, top)
        head.addWidget(self.when, 1, top)  # takes the room left, so it wraps only when narrow
        head.addWidget(self.sensitivity, 0, top)
        foot = QHBoxLayout()
        foot.addWidget(self.acks, 1)
        foot.addWidget(self.acknowledge_button, 0, Qt.AlignmentFlag.AlignTop)
        self.body = QWidget(self)
        inner = QVBoxLayout(self.body)
        inner.setContentsMargins(0, 0, 0, 0)
        inner.setSpacing(READING_SPACING)
        inner.addLayout(head)
        inner.addWidget(self.text, 1)
        inner.addLayout(self.attachments_row)
        inner.addLayout(foot)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, READING_MARGIN, 0, 0)
        layout.addWidget(self.body, 1)
        layout.addWidget(self.empty, 1)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.show_message(None)

    @property
    def message(self) -> MessageView | None:
        return self._message

    def show_message(self, message: MessageView | None) -> None:
        self._message = message
        self.body.setVisible(message is not None)
        self.empty.setVisible(message is None)
        self._clear_attachments()
        if message is None:
            self.text.clear()
            return
        self.precedence.setText(message.precedence.value.upper())
        self.precedence.setStyleSheet(badge_style(precedence_badge(message.precedence)))
        self.sensitivity.setText(message.sensitivity.label)
        self.sensitivity.setStyleSheet(badge_style(SENSITIVITY_COLOURS[message.sensitivity]))
        moment = to_datetime(message.hlc)
        local = moment.astimezone().strftime("%H:%M %a %d %b")
        self.when.setText(f"{message.dtg}  ({local} local)")
        self.when.setStyleSheet(MUTED_STYLE)
        if message.direct:
            who = (
                f"{message.author_name}  →  you"
                if not message.mine
                else f"you  →  {message.channel}"
            )
        else:
            who = f"{message.author_name}  →  #{message.channel}"
        self.who.setText(who)
        shown = without_direction_controls(message.text)  # read in the order it was typed
        if self.text.toPlainText() != shown:
            self.text.setPlainText(shown)
        for attachment in message.attachments:
            button = QPushButton(f"{short_name(attachment.name)}  ({attachment.size_text})", self)
            button.setIcon(icon("paperclip"))
            button.setToolTip(
                f"{attachment.name}: open a preview; Save as… writes a decrypted copy"
            )
            button.setAccessibleName(f"Attachment {attachment.name}")
            button.clicked.connect(lambda _=False, a=attachment: self._on_attachment(a))
            self.attachments_row.addWidget(button)
            self._attachment_buttons.append(button)
        self._show_acknowledgements(message)

    def _show_acknowledgements(self, message: MessageView) -> None:
        lines = []
        if message.mine:
            lines.append(STATE_MEANING[message.state])
        if message.needs_acknowledgement:
            done = ", ".join(message.acknowledged_by) or "nobody yet"
            lines.append(f"Acknowledged by: {done}.")
            if message.awaiting:
                lines.append(f"Waiting for: {', '.join(message.awaiting)}.")
        self.acks.setText("\n".join(lines))
        can_ack = message.needs_my_ack
        self.acknowledge_button.setVisible(can_ack)
        if can_ack:
            fill = PRECEDENCE_COLOURS.get(message.precedence, ERROR).name()
            self.acknowledge_button.setStyleSheet(
                f"QPushButton {{ background: {fill}; color: white; font-weight: bold;"
                " padding: 6px 18px; border-radius: 4px; }"
            )

    def _clear_attachments(self) -> None:
        while self.attachments_row.count():
            item = self.attachments_row.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.hide()
                widget.deleteLater()
        self._attachment_buttons = []

    @property
    def attachment_buttons(self) -> list[QPushButton]:
        return list(self._attachment_buttons)

    def _on_attachment(self, attachment: AttachmentInfo) -> None:
        self.attachment_opened.emit(attachment)

    @Slot()
    def _on_acknowledge_clicked(self) -> None:
        if self._message is not None and self._message.needs_my_ack:
            self.acknowledge_button.setEnabled(False)
            self.acknowledge_requested.emit(self._message.id)

    def acknowledged(self) -> None:
        self.acknowledge_button.setEnabled(True)
