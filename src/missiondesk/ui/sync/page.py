"""The Sync section (first version: what the command line does, described)."""

from __future__ import annotations

from PySide6.QtWidgets import QVBoxLayout, QWidget

from missiondesk.ui.pages import LaterPage


class SyncPage(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(
            LaterPage(
                "Sync",
                "Exchange messages and reports with other MissionDesk computers when they are "
                "in reach, and see when each outpost was last heard from.",
                self,
            )
        )

    def clear(self) -> None:
        """Forget what is shown (on lock)."""
