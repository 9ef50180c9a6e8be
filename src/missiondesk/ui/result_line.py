"""A sentence under a group of controls saying what the last action did, or why it failed."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

from missiondesk.ui.theme import ERROR, SUCCESS, muted


class ResultLine(QLabel):
    """Hidden while empty; red for a failure, green for a success, muted for a note."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.failed = False
        self.hide()

    def _show(self, text: str, style: str) -> None:
        self.setStyleSheet(style)
        self.setText(text)
        self.setAccessibleDescription(text)
        self.setVisible(bool(text))

    def success(self, text: str) -> None:
        self.failed = False
        self._show(text, f"color: {SUCCESS.name()};")

    def note(self, text: str) -> None:
        self.failed = False
        self._show(text, f"color: {muted().name()};")

    def failure(self, text: str) -> None:
        self.failed = True
        self._show(text, f"color: {ERROR.name()}; font-weight: bold;")

    def clear_line(self) -> None:
        self.failed = False
        self._show("", "")
