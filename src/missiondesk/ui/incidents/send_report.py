"""Send a report as a message: the channel, the precedence (the report's own by default), and
what the message will be marked. The text is the report's, exactly as shown."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from missiondesk.domain.markings import Precedence
from missiondesk.reports.document import ReportDocument
from missiondesk.services.channels import ChannelView
from missiondesk.ui.dialog_buttons import action_buttons
from missiondesk.ui.feedback import InlineError
from missiondesk.ui.precedence_box import PrecedenceBox
from missiondesk.ui.theme import MUTED_STYLE, scaled_font


class SendReportDialog(QDialog):
    """Emits `send_requested(channel id, precedence)`; the caller sends and says how it went
    (`sent()` closes the dialog, `refused(message)` keeps it open with the reason)."""

    send_requested = Signal(str, object)

    def __init__(
        self,
        document: ReportDocument,
        channels: Sequence[ChannelView],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"MissionDesk: send the {document.kind}")
        self.channel_box = QComboBox(self)
        for view in channels:
            level = view.channel.sensitivity.label.title()
            self.channel_box.addItem(f"#{view.title}  ({level})", view.id)
        self.precedence_box = PrecedenceBox(self, document.precedence)
        form = QFormLayout()
        channel_caption = QLabel("&Channel:", self)
        channel_caption.setBuddy(self.channel_box)
        precedence_caption = QLabel("&Precedence:", self)
        precedence_caption.setBuddy(self.precedence_box)
        form.addRow(channel_caption, self.channel_box)
        form.addRow(precedence_caption, self.precedence_box)
        self.note = QLabel(
            f"The report's text goes to the channel as a message marked {document.marking}, "
            "or as the channel is if that is higher. It syncs like any message; FLASH and "
            "IMMEDIATE ask its readers to acknowledge.",
            self,
        )
        self.note.setWordWrap(True)
        self.note.setStyleSheet(MUTED_STYLE)
        self.error = InlineError(self)
        buttons, self.send_button, _cancel = action_buttons(self, "&Send", self._send)
        heading = QLabel(f"Send the {document.kind} as a message", self)
        heading.setFont(scaled_font(heading, 1.1, bold=True))
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addLayout(form)
        layout.addWidget(self.note)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        if not channels:
            self.send_button.setEnabled(False)
            self.error.show_message("This laptop has no channel to send it to yet.")
        self.resize(520, self.sizeHint().height())

    @property
    def precedence(self) -> Precedence:
        return self.precedence_box.precedence

    @Slot()
    def _send(self) -> None:
        channel = self.channel_box.currentData()
        if not isinstance(channel, str):
            return
        self.send_button.setEnabled(False)
        self.error.clear_message()
        self.send_requested.emit(channel, self.precedence)

    def sent(self) -> None:
        self.accept()

    def refused(self, message: str) -> None:
        self.send_button.setEnabled(True)
        self.error.show_message(f"Not sent: {message}")


ChannelLister = Callable[[], list[ChannelView]]
