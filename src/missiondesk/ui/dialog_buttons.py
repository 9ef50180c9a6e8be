"""The button row of a form dialog: one action (the default button: Enter) and a dismiss."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QPushButton


def action_buttons(
    dialog: QDialog,
    label: str,
    on_action: Callable[[], None],
    dismiss: QDialogButtonBox.StandardButton = QDialogButtonBox.StandardButton.Cancel,
) -> tuple[QDialogButtonBox, QPushButton, QPushButton]:
    """The row, its action button (default) and its dismiss button (rejects the dialog)."""
    buttons = QDialogButtonBox(dialog)
    action = buttons.addButton(label, QDialogButtonBox.ButtonRole.AcceptRole)
    action.setDefault(True)
    dismissing = buttons.addButton(dismiss)
    buttons.accepted.connect(on_action)
    buttons.rejected.connect(dialog.reject)
    return buttons, action, dismissing
