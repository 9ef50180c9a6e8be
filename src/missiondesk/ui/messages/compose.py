"""Writing a message: text, precedence (colour-coded), sensitivity, attachments, Ctrl+Enter."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from missiondesk.domain.markings import Precedence, Sensitivity
from missiondesk.domain.record_enums import MAX_MESSAGE_TEXT
from missiondesk.services.attachments import NewAttachment, short_name
from missiondesk.ui.flow_layout import FlowLayout
from missiondesk.ui.icons import icon
from missiondesk.ui.messages.kept_room import MARKINGS_SPACING, SPACING, text_height
from missiondesk.ui.precedence_box import PrecedenceBox
from missiondesk.ui.reflow import Reflowing
from missiondesk.ui.theme import ERROR, MUTED_STYLE, PRECEDENCE_COLOURS, precedence_colour

MAX_TEXT = MAX_MESSAGE_TEXT
PRECEDENCE_HINT = (
    "FLASH and IMMEDIATE ask every addressed officer to acknowledge; "
    "FLASH is for life or mission at stake."
)


class AttachmentChip(QWidget):
    """One chosen file, with a button that takes it off the message."""

    removed = Signal(object)

    def __init__(self, attachment: NewAttachment, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.attachment = attachment
        label = QLabel(f"{short_name(attachment.name)} ({attachment.size_text})", self)
        label.setToolTip(attachment.name)
        label.setTextFormat(Qt.TextFormat.PlainText)
        remove = QToolButton(self)
        remove.setText("✕")
        remove.setAutoRaise(True)
        remove.setToolTip(f"Do not send {attachment.name}")
        remove.setAccessibleName(f"Remove {attachment.name}")
        remove.clicked.connect(lambda: self.removed.emit(self))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 0, 0, 0)
        layout.setSpacing(2)
        clip = QLabel(self)
        clip.setPixmap(icon("paperclip").pixmap(14, 14))
        layout.addWidget(clip)
        layout.addWidget(label)
        layout.addWidget(remove)
        self.setStyleSheet("AttachmentChip { border: 1px solid palette(mid); border-radius: 4px; }")


class ComposeBox(QWidget):
    """Emits `send_requested(text, precedence, sensitivity, attachments)`; the page sends."""

    send_requested = Signal(str, object, object, object)
    attach_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._minimum = Sensitivity.UNCLASSIFIED
        self._busy = False
        self.text_edit = QPlainTextEdit(self)
        self.text_edit.setAccessibleName("Message text")
        self.text_edit.setTabChangesFocus(True)
        self.text_edit.setFixedHeight(text_height(self.text_edit))
        self.text_edit.textChanged.connect(self._on_text_changed)

        self.precedence_box = PrecedenceBox(self)
        self.precedence_box.setToolTip(PRECEDENCE_HINT)
        self.precedence_box.currentIndexChanged.connect(self._on_precedence_changed)

        self.sensitivity_box = QComboBox(self)
        self.sensitivity_box.setAccessibleName("Sensitivity")
        self.sensitivity_box.setToolTip("The UN sensitivity level of this message")
        for level in Sensitivity:
            self.sensitivity_box.addItem(level.label.title(), level)

        self.attach_button = QPushButton("&Attach…", self)
        self.attach_button.setIcon(icon("paperclip"))
        self.attach_button.setToolTip("Attach files; they are kept encrypted in the vault")
        self.attach_button.clicked.connect(self.attach_requested)
        self.send_button = QPushButton("Send", self)
        self.send_button.setToolTip("Send (Ctrl+Enter)")
        self.send_button.setDefault(True)
        self.send_button.clicked.connect(self._on_send_clicked)
        self.counter = QLabel(self)
        self.counter.setStyleSheet(MUTED_STYLE)
        self.error = QLabel(self)
        self.error.setStyleSheet(f"color: {ERROR.name()}; font-weight: bold;")
        self.error.setWordWrap(True)
        self.error.hide()

        self._chips: list[AttachmentChip] = []
        self.chips = FlowLayout(spacing=6)  # many files wrap onto more lines

        # The markings on one row and Attach / Send on the same row when there is room; on a
        # narrow window (a small or high-DPI screen) Attach / Send drop to a row of their own.
        markings = QHBoxLayout()
        markings.setSpacing(MARKINGS_SPACING)
        precedence_label = QLabel("&Precedence:", self)
        precedence_label.setBuddy(self.precedence_box)
        sensitivity_label = QLabel("Sens&itivity:", self)
        sensitivity_label.setBuddy(self.sensitivity_box)
        markings.addWidget(precedence_label)
        markings.addWidget(self.precedence_box)
        markings.addWidget(sensitivity_label)
        markings.addWidget(self.sensitivity_box)
        send = QHBoxLayout()
        send.setSpacing(8)
        send.addWidget(self.attach_button)
        send.addStretch(1)
        send.addWidget(self.counter)
        send.addWidget(self.send_button)
        self.controls = Reflowing(self)
        self.controls.add_layout(markings)
        self.controls.add_layout(send, 1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(SPACING)
        layout.addWidget(self.text_edit)
        layout.addLayout(self.chips)
        layout.addWidget(self.controls)
        layout.addWidget(self.error)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Maximum)

        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(self._on_send_clicked)
        self._on_precedence_changed()
        self._on_text_changed()

    @property
    def two_rows(self) -> bool:
        return self.controls.stacked

    # -- state the page sets -------------------------------------------------------------------

    def set_channel(self, title: str, minimum: Sensitivity) -> None:
        """Address the box to a channel; levels below the channel's own are not offered."""
        self._minimum = minimum
        self.text_edit.setPlaceholderText(f"Message to {title}  (Ctrl+Enter sends)")
        model = self.sensitivity_box.model()
        for row, level in enumerate(Sensitivity):
            item = model.item(row) if hasattr(model, "item") else None
            if item is not None:
                item.setEnabled(level.rank >= minimum.rank)
        if self.sensitivity.rank < minimum.rank:
            self.sensitivity_box.setCurrentIndex(list(Sensitivity).index(minimum))

    def set_busy(self, busy: bool) -> None:
        self._busy = busy
        for widget in (self.send_button, self.attach_button, self.text_edit):
            widget.setEnabled(not busy)

    def add_attachment(self, attachment: NewAttachment) -> None:
        if any(chip.attachment == attachment for chip in self._chips):  # chosen twice
            self.show_error(f"{short_name(attachment.name)} is attached already.")
            return
        chip = AttachmentChip(attachment, self)
        chip.removed.connect(self._on_chip_removed)
        self._chips.append(chip)
        self.chips.addWidget(chip)
        self._on_text_changed()

    def show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.setVisible(bool(message))

    def sent(self) -> None:
        """The message is in the vault: empty the box for the next one."""
        self.text_edit.clear()
        for chip in list(self._chips):
            self._drop_chip(chip)
        self.precedence_box.select(Precedence.ROUTINE)
        self.show_error("")
        self.text_edit.setFocus()

    # -- reading the box -----------------------------------------------------------------------

    @property
    def precedence(self) -> Precedence:
        return self.precedence_box.precedence

    @property
    def sensitivity(self) -> Sensitivity:
        return Sensitivity(self.sensitivity_box.currentData() or Sensitivity.UNCLASSIFIED)

    @property
    def attachments(self) -> tuple[NewAttachment, ...]:
        return tuple(chip.attachment for chip in self._chips)

    def set_precedence(self, precedence: Precedence) -> None:
        self.precedence_box.select(precedence)

    def set_sensitivity(self, sensitivity: Sensitivity) -> None:
        self.sensitivity_box.setCurrentIndex(list(Sensitivity).index(sensitivity))

    # -- slots ---------------------------------------------------------------------------------

    @Slot()
    def _on_send_clicked(self) -> None:
        if self._busy:
            return
        text = self.text_edit.toPlainText().strip()
        if not text and not self._chips:
            self.show_error("Write a message or attach a file first.")
            self.text_edit.setFocus()
            return
        if len(text) > MAX_TEXT:
            self.show_error(f"The message is too long: at most {MAX_TEXT:,} characters.")
            return
        self.show_error("")
        self.send_requested.emit(text, self.precedence, self.sensitivity, self.attachments)

    @Slot()
    def _on_precedence_changed(self) -> None:
        precedence = self.precedence
        colour = precedence_colour(precedence)
        self.send_button.setText(
            "Send" if precedence is Precedence.ROUTINE else f"Send {precedence.value.upper()}"
        )
        if precedence.needs_acknowledgement and colour is not None:
            fill = PRECEDENCE_COLOURS[precedence].name()
            self.send_button.setStyleSheet(
                f"QPushButton {{ background: {fill}; color: white; font-weight: bold;"
                " padding: 4px 14px; border-radius: 4px; }"
            )
            self.text_edit.setStyleSheet(f"QPlainTextEdit {{ border: 2px solid {fill}; }}")
        else:
            self.send_button.setStyleSheet("")
            self.text_edit.setStyleSheet("")
        if colour is not None:
            self.precedence_box.setStyleSheet(
                f"QComboBox {{ color: {colour.name()}; font-weight: bold; }}"
            )
        else:
            self.precedence_box.setStyleSheet("")

    @Slot()
    def _on_text_changed(self) -> None:
        if self.error.isVisible():  # it was about the last try; what is typed now is another
            self.show_error("")
        length = len(self.text_edit.toPlainText())
        counted = f"{length:,}/{MAX_TEXT:,}" if length > MAX_TEXT * 0.8 else ""
        if counted != self.counter.text():
            self.counter.setText(counted)
            self.controls.update_parts()  # the count takes room on the row

    @Slot(object)
    def _on_chip_removed(self, chip: AttachmentChip) -> None:
        self._drop_chip(chip)

    def _drop_chip(self, chip: AttachmentChip) -> None:
        if chip in self._chips:
            self._chips.remove(chip)
        self.chips.removeWidget(chip)
        chip.hide()
        chip.deleteLater()
