"""Previewing an attachment from memory (pictures, text) and "Save as…", the explicit export.

The bytes come from the vault into memory and are drawn from there: nothing is written to a
temp folder. Save as writes a decrypted copy where the officer chooses, suggests a file name
that starts with the sensitivity level, says so before writing, and is recorded in the audit log.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from missiondesk.domain.markings import Sensitivity
from missiondesk.services.attachments import AttachmentInfo, AttachmentService
from missiondesk.ui.choosers import PathChooser, ask_for_path
from missiondesk.ui.feedback import BusyIndicator, InlineError
from missiondesk.ui.tasks import Failure, TaskRunner
from missiondesk.ui.theme import MUTED_STYLE, SENSITIVITY_COLOURS, badge_style

TEXT_PREVIEW_LIMIT = 2_000_000


def suggested_name(info: AttachmentInfo) -> str:
    if info.sensitivity is Sensitivity.UNCLASSIFIED:
        return info.name
    return f"{info.sensitivity.label} - {info.name}"


class AttachmentViewer(QDialog):
    def __init__(
        self,
        info: AttachmentInfo,
        attachments: AttachmentService,
        tasks: TaskRunner,
        *,
        choose_path: PathChooser = ask_for_path,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.info = info
        self._attachments = attachments
        self._tasks = tasks
        self._choose_path = choose_path
        self.saved_to: Path | None = None
        self.setWindowTitle(f"{info.name}: MissionDesk")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.resize(760, 560)

        level = QLabel(info.sensitivity.label, self)
        level.setStyleSheet(badge_style(SENSITIVITY_COLOURS[info.sensitivity]))
        about = QLabel(f"{info.name} · {info.mime} · {info.size_text}", self)
        about.setTextFormat(Qt.TextFormat.PlainText)
        about.setStyleSheet(MUTED_STYLE)
        self.area = QScrollArea(self)
        self.area.setWidgetResizable(True)
        self.area.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder = QLabel("Opening…", self)
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.area.setWidget(self.placeholder)
        self.error = InlineError(self)
        self.busy = BusyIndicator(self)
        self.note = QLabel(self)
        self.note.setWordWrap(True)
        self.note.setTextFormat(Qt.TextFormat.PlainText)
        self.note.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.save_button: QPushButton = buttons.addButton(
            "&Save as…", QDialogButtonBox.ButtonRole.ActionRole
        )
        self.save_button.setToolTip("Write a decrypted copy of this file outside the vault")
        self.save_button.clicked.connect(self._on_save_clicked)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(level, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(about)
        layout.addWidget(self.area, 1)
        layout.addWidget(self.error)
        layout.addWidget(self.busy)
        layout.addWidget(self.note)
        layout.addWidget(buttons)
        self.preview_kind = "loading"
        tasks.run(
            "read attachment",
            lambda: attachments.content(info.id)[1],
            self._on_content,
            self._on_failed,
        )

    @Slot(object)
    def _on_content(self, data: bytes) -> None:
        if self.info.is_image:
            image = QImage.fromData(data)
            if not image.isNull():
                label = QLabel(self)
                label.setAlignment(Qt.AlignmentFlag.AlignCenter)
                room = self.area.viewport().size()
                pixmap = QPixmap.fromImage(image)
                if pixmap.width() > room.width() or pixmap.height() > room.height():
                    pixmap = pixmap.scaled(
                        room,
                        Qt.AspectRatioMode.KeepAspectRatio,
                        Qt.TransformationMode.SmoothTransformation,
                    )
                label.setPixmap(pixmap)
                label.setAccessibleName(f"Picture {self.info.name}")
                self.area.setWidget(label)
                self.preview_kind = "image"
                return
        if self.info.is_text or _looks_like_text(data):
            view = QPlainTextEdit(self)
            view.setReadOnly(True)
            view.setPlainText(data[:TEXT_PREVIEW_LIMIT].decode("utf-8", "replace"))
            view.setAccessibleName(f"Text of {self.info.name}")
            self.area.setWidget(view)
            self.preview_kind = "text"
            return
        self.placeholder.setText(
            "MissionDesk cannot show this type of file.\n"
            "Use Save as… to open it with another program."
        )
        self.preview_kind = "none"

    @Slot(object)
    def _on_failed(self, failure: Failure) -> None:
        self.placeholder.setText("The file could not be opened.")
        self.error.show_message(failure.message)
        self.preview_kind = "failed"

    @Slot()
    def _on_save_clicked(self) -> None:
        chosen = self._choose_path(self, suggested_name(self.info))
        if not chosen:
            return
        target = Path(chosen)
        self.save_button.setEnabled(False)
        self.busy.start("Writing a decrypted copy…")
        info_id = self.info.id
        self._tasks.run(
            "export attachment",
            lambda: self._attachments.export(info_id, target),
            lambda _info: self._on_saved(target),
            self._on_save_failed,
        )

    def _on_saved(self, target: Path) -> None:
        self.busy.stop()
        self.save_button.setEnabled(True)
        self.saved_to = target
        self.error.clear_message()
        note = f"Saved to {target}. This copy is not encrypted" + (
            f" and is {self.info.sensitivity.label}: keep it accordingly."
            if self.info.sensitivity is not Sensitivity.UNCLASSIFIED
            else "."
        )
        self.note.setText(note)
        self.note.show()

    @Slot(object)
    def _on_save_failed(self, failure: Failure) -> None:
        self.busy.stop()
        self.save_button.setEnabled(True)
        self.note.hide()  # an earlier copy's note is not about this try
        self.error.show_message(failure.message)


def _looks_like_text(data: bytes) -> bool:
    """UTF-8 (a character cut by the sample's end is no fault) with hardly any control
    characters besides tabs, line ends, form feeds and the escapes of coloured logs."""
    sample = data[:4096]
    if not sample or b"\x00" in sample:
        return False
    import codecs  # a file of unknown type opened: rare

    try:
        text = codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
    except UnicodeDecodeError:
        return False
    controls = sum(1 for c in text if (c < " " and c not in "\t\n\r\f\x1b") or c == "\x7f")
    return controls <= len(text) // 100
