"""What the Sync section asks the officer outside its own widgets: a file to open, where to save
one, a yes or no. Pages take these as constructor parameters so tests answer without dialogs."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

OpenChooser = Callable[[QWidget, str, str], str]  # (parent, caption, filter) -> path or ""
SaveChooser = Callable[[QWidget, str, str, str], str]  # (parent, caption, name, filter) -> ""
Confirmer = Callable[[QWidget, str, str, str], bool]  # (parent, title, text, yes button)

JOIN_FILES = "MissionDesk join requests (*.json);;All files (*)"
APPROVAL_FILES = "MissionDesk approvals (*.json);;All files (*)"
BUNDLE_FILES = "MissionDesk bundles (*.mdbundle);;All files (*)"
PACKAGE_FILES = "MissionDesk mission packages (*.mission);;All files (*)"


def ask_open_path(parent: QWidget, caption: str, name_filter: str) -> str:
    path, _ = QFileDialog.getOpenFileName(parent, caption, str(Path.home()), name_filter)
    return path


def ask_save_path(parent: QWidget, caption: str, suggestion: str, name_filter: str) -> str:
    path, _ = QFileDialog.getSaveFileName(
        parent, caption, str(Path.home() / suggestion), name_filter
    )
    return path


def ask_to_confirm(parent: QWidget, title: str, text: str, yes: str) -> bool:
    box = QMessageBox(QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.NoButton)
    confirm = box.addButton(yes, QMessageBox.ButtonRole.DestructiveRole)
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(cancel)
    box.exec()
    return box.clickedButton() is confirm


def safe_file_part(text: str) -> str:
    """A callsign or name as part of a suggested file name."""
    kept = "".join(c if c.isalnum() or c in "-_" else "-" for c in text.strip())
    return kept.strip("-") or "laptop"
