"""A report as it will leave the laptop: its plain text laid out for the radio, Save as, and
Send as message.

The text shown is exactly what "Save as text" writes and what "Send as message…" posts to a
channel; "Save as PDF" writes Qt's PDF of the same report, marked on every page. Saving is an
explicit export, recorded in the audit log by the service; nothing is written anywhere else.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase, QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from missiondesk.reports.document import ReportDocument
from missiondesk.reports.text import render_text
from missiondesk.services.reports import ReportFormat, ReportService, SentReport
from missiondesk.ui.choosers import PathChooser
from missiondesk.ui.feedback import InlineError
from missiondesk.ui.incidents.send_report import ChannelLister, SendReportDialog
from missiondesk.ui.tasks import Failure, TaskRunner
from missiondesk.ui.theme import MUTED_STYLE, scaled_font


class ReportView(QDialog):
    """Shows one report's text; saves it as text or PDF where the officer chooses."""

    def __init__(
        self,
        document: ReportDocument,
        reports: ReportService,
        tasks: TaskRunner,
        choose_save_path: PathChooser | None,
        parent: QWidget | None = None,
        *,
        channels: ChannelLister | None = None,
    ) -> None:
        super().__init__(parent)
        self.document = document
        self._channels = channels
        self.send_dialog: SendReportDialog | None = None
        self._reports = reports
        self._tasks = tasks
        self._choose = choose_save_path
        self.setWindowTitle(f"MissionDesk: {document.kind}")
        self.resize(720, 640)
        title = QLabel(document.title, self)
        title.setFont(scaled_font(title, 1.2, bold=True))
        self.marking = QLabel(document.marking, self)
        self.marking.setStyleSheet("font-weight: bold;")
        self.marking.setAccessibleName(f"Marking: {document.marking}")
        self.text = QPlainTextEdit(self)
        self.text.setReadOnly(True)
        self.text.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.text.setPlainText(render_text(document))
        # A report is laid out in fixed columns (tables, numbered lines): shown unwrapped, as
        # it is read out or pasted, and the window as wide as its widest line if it fits.
        self.text.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self._fit_width()
        self.text.setAccessibleName(f"{document.kind} text")
        self.note = QLabel(
            "Saving writes a copy outside the vault, marked with its sensitivity; the export is "
            "recorded in the audit log.",
            self,
        )
        self.note.setWordWrap(True)
        self.note.setStyleSheet(MUTED_STYLE)
        self.result_line = QLabel(self)
        self.result_line.setWordWrap(True)
        self.result_line.setTextFormat(Qt.TextFormat.PlainText)
        self.error = InlineError(self)
        self.text_button = QPushButton("Save as &text…", self)
        self.pdf_button = QPushButton("Save as &PDF…", self)
        self.copy_button = QPushButton("&Copy text", self)
        self.send_button = QPushButton("Se&nd as message…", self)
        self.send_button.setToolTip(
            "Post the report's text to a channel; it syncs like any message"
        )
        self.send_button.setEnabled(channels is not None)
        self.send_button.clicked.connect(self.open_send)
        close = QPushButton("Close", self)
        self.text_button.clicked.connect(lambda: self.save(ReportFormat.TEXT))
        self.pdf_button.clicked.connect(lambda: self.save(ReportFormat.PDF))
        self.copy_button.clicked.connect(self._copy)
        close.clicked.connect(self.close)
        for button in (self.text_button, self.pdf_button):
            button.setEnabled(choose_save_path is not None)
        buttons = QHBoxLayout()
        for button in (self.text_button, self.pdf_button, self.copy_button, self.send_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        top = QHBoxLayout()
        top.addWidget(title, 1)
        top.addWidget(self.marking)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.note)
        layout.addWidget(self.result_line)
        layout.addWidget(self.error)
        layout.addLayout(buttons)

    def _fit_width(self) -> None:
        lines = self.text.toPlainText().splitlines() or [""]
        widest = max(self.text.fontMetrics().horizontalAdvance(line) for line in lines)
        wanted = widest + 80  # the dialog's and the text box's margins, a scroll bar
        screen = self.screen().availableGeometry().width() if self.screen() else 1280
        self.resize(max(720, min(wanted, int(screen * 0.9))), 640)

    def save(self, fmt: ReportFormat) -> None:
        if self._choose is None:
            return
        suffix = "pdf" if fmt is ReportFormat.PDF else "txt"
        path = self._choose(self, f"{self.document.kind.lower()}.{suffix}")
        if not path:
            return
        reports, document = self._reports, self.document
        self._tasks.run(
            "save report",
            lambda: reports.write(document, fmt, Path(path)),
            self._on_saved,
            self._on_failed,
        )

    def _on_saved(self, written: Any) -> None:
        self.error.clear_message()
        self.result_line.setText(
            f"Saved to {written.path} ({written.format.value.upper()}, marked "
            f"{written.sensitivity.label})."
        )

    def _on_failed(self, failure: Failure) -> None:
        self.error.show_message(f"Not saved: {failure.message}")

    def open_send(self) -> None:
        """Read the channels (vault thread), then ask where and how urgently to send."""
        if self._channels is None:
            return
        if self.send_dialog is not None:
            self.send_dialog.raise_()
            self.send_dialog.activateWindow()
            return
        self.send_button.setEnabled(False)
        self._tasks.run("read channels", self._channels, self._ask_where, self._on_unread)

    def _ask_where(self, channels: list[Any]) -> None:
        self.send_button.setEnabled(True)
        dialog = SendReportDialog(self.document, channels, self)
        dialog.send_requested.connect(self._send)
        dialog.finished.connect(self._forget_send_dialog)
        self.send_dialog = dialog
        dialog.open()

    def _forget_send_dialog(self) -> None:
        if self.send_dialog is not None:
            self.send_dialog.deleteLater()
        self.send_dialog = None

    def _on_unread(self, failure: Failure) -> None:
        self.send_button.setEnabled(True)
        self.error.show_message(f"Not sent: {failure.message}")

    def _send(self, channel: str, precedence: Any) -> None:
        reports, document = self._reports, self.document
        self._tasks.run(
            "send report",
            lambda: reports.send(document, channel, precedence),
            self._on_sent,
            self._on_send_refused,
        )

    def _on_sent(self, sent: SentReport) -> None:
        self.error.clear_message()
        asked = " Acknowledgements are asked for." if sent.precedence.needs_acknowledgement else ""
        self.result_line.setText(
            f"Sent to #{sent.channel} as {sent.precedence.value.upper()}, marked "
            f"{sent.sensitivity.label}.{asked}"
        )
        if self.send_dialog is not None:
            self.send_dialog.sent()

    def _on_send_refused(self, failure: Failure) -> None:
        if self.send_dialog is not None:
            self.send_dialog.refused(failure.message)
        else:
            self.error.show_message(f"Not sent: {failure.message}")

    def _copy(self) -> None:
        clipboard = QGuiApplication.clipboard()
        if clipboard is not None:
            clipboard.setText(self.text.toPlainText())  # cleared by a panic lock
            self.result_line.setText("Copied. A panic lock (Ctrl+Shift+L) clears the clipboard.")
