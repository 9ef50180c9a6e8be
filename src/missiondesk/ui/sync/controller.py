"""Sync while the app runs: serving peers in the background and syncing with one on request.

(First version: sync is driven from the command line; the desktop shows its state.)
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal


class SyncController(QObject):
    state_changed = Signal(str)  # a short phrase for the status bar: "off", "serving on ..."

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.state = "off"

    def stop(self) -> None:
        """Stop serving and syncing before the vault closes (lock, quit). Safe to call twice."""
        self.state = "off"
