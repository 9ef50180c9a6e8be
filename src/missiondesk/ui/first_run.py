"""First run: create the encrypted vault, the officer's identity and this device's keys."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from missiondesk.crypto.keywrap import KdfParams
from missiondesk.services.passphrase_policy import MIN_LENGTH, assess
from missiondesk.services.session import Session
from missiondesk.services.vault_access import create_vault
from missiondesk.ui.feedback import BusyIndicator, InlineError, fit_height_to_width
from missiondesk.ui.tasks import Failure, TaskRunner
from missiondesk.ui.theme import MUTED, MUTED_STYLE, STRENGTH_COLOURS, muted_label, scaled_font

INTRO = (
    "MissionDesk keeps your messages, incident reports and this device's keys in an encrypted "
    "vault on this computer. Choose a passphrase you can remember: nobody can recover it for you."
)


class FirstRunDialog(QDialog):
    """Asks for name, callsign and a passphrase; creates the vault off the GUI thread."""

    created = Signal(object)  # the open Session of the new vault

    def __init__(
        self,
        vault_dir: Path,
        tasks: TaskRunner,
        *,
        kdf: KdfParams | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._vault_dir = vault_dir
        self._tasks = tasks
        self._kdf = kdf
        self._busy = False
        self.setWindowTitle("MissionDesk: create your vault")
        self.setMinimumWidth(520)

        title = QLabel("Welcome to MissionDesk", self)
        title.setFont(scaled_font(title, 1.4, bold=True))
        intro = muted_label(INTRO, self)

        self.name_edit = QLineEdit(self)
        self.name_edit.setPlaceholderText("e.g. Anna Berg")
        self.name_edit.setMaxLength(120)
        self.callsign_edit = QLineEdit(self)
        self.callsign_edit.setPlaceholderText("optional, e.g. ALPHA-1")
        self.callsign_edit.setMaxLength(40)
        self.passphrase_edit = QLineEdit(self)
        self.passphrase_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase_edit.setPlaceholderText("four or more unrelated words")
        self.confirm_edit = QLineEdit(self)
        self.confirm_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.strength_label = QLabel(self)
        self.strength_label.setWordWrap(True)
        self.folder_label = QLabel(str(vault_dir), self)
        self.folder_label.setWordWrap(True)
        self.folder_label.setTextFormat(Qt.TextFormat.PlainText)
        self.folder_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.folder_label.setStyleSheet(MUTED_STYLE)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow("&Full name:", self.name_edit)
        form.addRow("&Callsign:", self.callsign_edit)
        form.addRow("&Passphrase:", self.passphrase_edit)
        form.addRow("C&onfirm passphrase:", self.confirm_edit)
        form.addRow("Strength:", self.strength_label)
        form.addRow("Vault folder:", self.folder_label)
        for widget, name in (
            (self.name_edit, "Full name"),
            (self.callsign_edit, "Callsign"),
            (self.passphrase_edit, "Passphrase"),
            (self.confirm_edit, "Confirm passphrase"),
            (self.strength_label, "Passphrase strength"),
            (self.folder_label, "Vault folder"),
        ):
            widget.setAccessibleName(name)

        self.error = InlineError(self)
        self.busy = BusyIndicator(self)
        self.buttons = QDialogButtonBox(self)
        self.create_button: QPushButton = self.buttons.addButton(
            "Create vault", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.cancel_button: QPushButton = self.buttons.addButton(
            "Cancel", QDialogButtonBox.ButtonRole.RejectRole
        )
        self.create_button.setDefault(True)
        self.buttons.accepted.connect(self._on_create_clicked)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.addWidget(title)
        layout.addWidget(intro)
        layout.addSpacing(4)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.busy)
        layout.addStretch(1)
        layout.addWidget(self.buttons)

        QWidget.setTabOrder(self.name_edit, self.callsign_edit)
        QWidget.setTabOrder(self.callsign_edit, self.passphrase_edit)
        QWidget.setTabOrder(self.passphrase_edit, self.confirm_edit)
        QWidget.setTabOrder(self.confirm_edit, self.create_button)
        QWidget.setTabOrder(self.create_button, self.cancel_button)
        self.passphrase_edit.textChanged.connect(self._on_passphrase_edited)
        self._on_passphrase_edited("")
        self.name_edit.setFocus()
        fit_height_to_width(self)

    @property
    def is_busy(self) -> bool:
        return self._busy

    @Slot(str)
    def _on_passphrase_edited(self, text: str) -> None:
        if not text:
            self.strength_label.setText(f"Use at least {MIN_LENGTH} characters.")
            self.strength_label.setStyleSheet(MUTED_STYLE)
            return
        strength = assess(text)
        self.strength_label.setText(f"{strength.label.capitalize()}. {strength.hint}")
        colour = STRENGTH_COLOURS.get(strength.label, MUTED)
        self.strength_label.setStyleSheet(f"color: {colour.name()};")

    def _refuse(self, message: str, field: QLineEdit) -> None:
        self.error.show_message(message)
        field.setFocus()
        field.selectAll()

    @Slot()
    def _on_create_clicked(self) -> None:
        if self._busy:
            return
        self.error.clear_message()
        name = self.name_edit.text().strip()
        callsign = self.callsign_edit.text().strip()
        passphrase = self.passphrase_edit.text()
        if not name:
            self._refuse("Enter your full name.", self.name_edit)
            return
        if assess(passphrase).label == "too short":
            self._refuse(
                f"The passphrase is too short: use at least {MIN_LENGTH} characters.",
                self.passphrase_edit,
            )
            return
        if self.confirm_edit.text() != passphrase:
            self.confirm_edit.clear()
            self._refuse(
                "The two passphrases do not match. Type the passphrase again to confirm it.",
                self.confirm_edit,
            )
            return
        self._set_busy(True)
        root, kdf = self._vault_dir, self._kdf

        def create() -> Session:
            if kdf is None:
                return create_vault(root, passphrase, name=name, callsign=callsign)
            return create_vault(root, passphrase, name=name, callsign=callsign, kdf=kdf)

        self._tasks.run("create vault", create, self._on_created, self._on_create_failed)

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        for widget in (
            self.name_edit,
            self.callsign_edit,
            self.passphrase_edit,
            self.confirm_edit,
            self.create_button,
            self.cancel_button,
        ):
            widget.setEnabled(not busy)
        if busy:
            self.busy.start("Creating the encrypted vault and this device's keys…")
            self.setCursor(Qt.CursorShape.WaitCursor)
        else:
            self.busy.stop()
            self.unsetCursor()

    @Slot(object)
    def _on_created(self, session: Session) -> None:
        self._set_busy(False)
        self.passphrase_edit.clear()
        self.confirm_edit.clear()
        self.created.emit(session)
        self.accept()

    @Slot(object)
    def _on_create_failed(self, failure: Failure) -> None:
        self._set_busy(False)
        self.error.show_message(failure.message)
        self.name_edit.setFocus()

    def reject(self) -> None:
        if not self._busy:  # the vault is half made while busy: let it finish first
            super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._busy:
            event.ignore()
            return
        super().closeEvent(event)
