"""The file choosers and questions the screens ask (tests replace them): a light module, so
the main window does not load the dialogs that use them until one is opened."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QWidget

FilesChooser = Callable[[QWidget], list[str]]  # (parent) -> chosen paths, none if cancelled
PathChooser = Callable[[QWidget, str], str]  # (parent, suggested name) -> chosen path or ""
Confirmer = Callable[[QWidget, str], bool]  # (parent, question) -> yes


def ask_for_files(parent: QWidget) -> list[str]:
    from PySide6.QtWidgets import QFileDialog

    paths, _ = QFileDialog.getOpenFileNames(parent, "Attach files")
    return list(paths)


def ask_for_layer_files(parent: QWidget) -> list[str]:
    from PySide6.QtWidgets import QFileDialog

    paths, _ = QFileDialog.getOpenFileNames(
        parent,
        "Import map layers",
        "",
        "Map layers (*.mbtiles *.geojson *.json *.kml *.kmz *.gpx);;All files (*)",
    )
    return list(paths)


def ask_for_path(parent: QWidget, suggestion: str) -> str:
    from PySide6.QtWidgets import QFileDialog

    path, _ = QFileDialog.getSaveFileName(parent, "Save a decrypted copy as", suggestion)
    return path


def ask_text(parent: QWidget, question: str) -> str | None:
    """One line of text (a filter's name, a reason); None if cancelled."""
    from PySide6.QtWidgets import QInputDialog

    text, ok = QInputDialog.getText(parent, "MissionDesk", question)
    return text.strip() if ok else None


def ask_yes_no(parent: QWidget, question: str) -> bool:
    """A yes/no question; No is the default button, so Enter does not confirm by accident."""
    from PySide6.QtWidgets import QMessageBox

    answer = QMessageBox.question(
        parent,
        "MissionDesk",
        question,
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    return answer == QMessageBox.StandardButton.Yes
