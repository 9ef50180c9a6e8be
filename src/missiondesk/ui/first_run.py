"""First run: create the encrypted vault, the officer's identity and this device's keys; to join
a mission, also write the join request the mission authority approves, and show the code."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLayout,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from missiondesk.crypto.keywrap import KdfParams
from missiondesk.services.enrollment_files import write_join_request
from missiondesk.services.passphrase_policy import MIN_LENGTH, assess, refusal
from missiondesk.services.session import Session
from missiondesk.services.vault_access import create_vault
from missiondesk.ui.feedback import BusyIndicator, InlineError, fit_height_to_width
from missiondesk.ui.sync.choosers import (
    JOIN_FILES,
    PACKAGE_FILES,
    OpenChooser,
    SaveChooser,
    ask_open_path,
    ask_save_path,
    safe_file_part,
)
from missiondesk.ui.sync.enrollment import code_label
from missiondesk.ui.tasks import Failure, TaskRunner
from missiondesk.ui.theme import MUTED, MUTED_STYLE, STRENGTH_COLOURS, muted_label, scaled_font

if TYPE_CHECKING:
    from missiondesk.services.mission_package import MissionPackage, PackageImport

INTRO = (
    "MissionDesk keeps your messages, incident reports and this device's keys in an encrypted "
    "vault on this computer. Choose a passphrase you can remember: nobody can recover it for you."
)
JOIN_NEXT = (
    "What happens next: carry the file to the mission authority (usually the comms officer), "
    "on a USB stick for instance. When they open it, their screen shows a code: read yours "
    "aloud, it must be the same. They then give you an approval file: open it in the Sync "
    "section of MissionDesk (Accept approval file…) and this laptop is in the mission."
)
PACKAGE_HINT = (
    "If the mission authority gave you a mission package, use it: this laptop starts with the "
    "mission's channels, checklists, incident categories and maps, before any sync."
)


class FirstRunDialog(QDialog):
    """Asks for name, callsign and a passphrase; creates the vault off the GUI thread. To join
    a mission it then writes the join request (where `choose_save_path` says) and shows the
    code to compare before the app opens."""

    created = Signal(object)  # the open Session of the new vault

    def __init__(
        self,
        vault_dir: Path,
        tasks: TaskRunner,
        *,
        kdf: KdfParams | None = None,
        choose_save_path: SaveChooser = ask_save_path,
        choose_open_path: OpenChooser = ask_open_path,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._vault_dir = vault_dir
        self._tasks = tasks
        self._kdf = kdf
        self._choose_save_path = choose_save_path
        self._choose_open_path = choose_open_path
        self._package: MissionPackage | None = None  # read and verified, not imported yet
        self._package_note = ""
        self._busy = False
        self._session: Session | None = None  # made, shown on the join page, not handed on yet
        self.setWindowTitle("MissionDesk: create your vault")
        self.setMinimumWidth(560)
        self.form_page = QWidget(self)

        title = QLabel("Welcome to MissionDesk", self.form_page)
        title.setFont(scaled_font(title, 1.4, bold=True))
        intro = muted_label(INTRO, self.form_page)
        choice = QGroupBox("What is this laptop for?", self.form_page)
        self.start_radio = QRadioButton("Start a new vault", choice)
        self.start_radio.setChecked(True)
        start_note = muted_label(
            "For the laptop that creates the mission, or to work on your own for now. You can "
            "create or join a mission later in the Sync section.",
            choice,
        )
        self.join_radio = QRadioButton("Join a mission", choice)
        join_note = muted_label(
            "The mission already exists: after the vault, MissionDesk writes a join request "
            "file for the mission authority to approve, and shows a code you both compare.",
            choice,
        )
        self.package_button = QPushButton("Use a &mission package…", choice)
        self.package_button.setAutoDefault(False)
        self.package_button.clicked.connect(self._on_choose_package)
        self.package_label = muted_label(PACKAGE_HINT, choice)
        self.package_label.setTextFormat(Qt.TextFormat.PlainText)  # names come from the file
        self.package_label.setAccessibleName("Mission package")
        package_row = QVBoxLayout()
        package_row.setContentsMargins(24, 4, 0, 0)
        package_row.setSpacing(6)
        package_row.addWidget(self.package_button, 0, Qt.AlignmentFlag.AlignLeft)
        package_row.addWidget(self.package_label)
        for note in (start_note, join_note):
            note.setContentsMargins(24, 0, 0, 0)
        self._choice = QButtonGroup(self)
        self._choice.addButton(self.start_radio)
        self._choice.addButton(self.join_radio)
        choice_layout = QVBoxLayout(choice)
        choice_layout.setSpacing(4)
        choice_layout.addWidget(self.start_radio)
        choice_layout.addWidget(start_note)
        choice_layout.addWidget(self.join_radio)
        choice_layout.addWidget(join_note)
        choice_layout.addLayout(package_row)
        self.join_radio.toggled.connect(self._on_choice)

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

        form_layout = QVBoxLayout(self.form_page)
        form_layout.setContentsMargins(0, 0, 0, 0)
        form_layout.setSpacing(10)
        form_layout.addWidget(title)
        form_layout.addWidget(intro)
        form_layout.addWidget(choice)
        form_layout.addLayout(form)
        form_layout.addWidget(self.error)
        form_layout.addWidget(self.busy)
        form_layout.addStretch(1)
        form_layout.addWidget(self.buttons)
        self._build_join_page()
        self.pages = QStackedWidget(self)
        self.pages.addWidget(self.form_page)
        self.pages.addWidget(self.join_page)
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages)

        QWidget.setTabOrder(self.name_edit, self.callsign_edit)
        QWidget.setTabOrder(self.callsign_edit, self.passphrase_edit)
        QWidget.setTabOrder(self.passphrase_edit, self.confirm_edit)
        QWidget.setTabOrder(self.confirm_edit, self.create_button)
        QWidget.setTabOrder(self.create_button, self.cancel_button)
        self.passphrase_edit.textChanged.connect(self._on_passphrase_edited)
        self._on_passphrase_edited("")
        self.name_edit.setFocus()
        fit_height_to_width(self)

    def _build_join_page(self) -> None:
        self.join_page = QWidget(self)
        done = QLabel("Your vault is ready", self.join_page)
        done.setFont(scaled_font(done, 1.4, bold=True))
        self.join_saved = QLabel(self.join_page)
        self.join_saved.setWordWrap(True)
        self.join_saved.setTextFormat(Qt.TextFormat.PlainText)
        self.join_saved.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.join_code = code_label(self.join_page)
        self.join_package = QLabel(self.join_page)
        self.join_package.setWordWrap(True)
        self.join_package.setTextFormat(Qt.TextFormat.PlainText)
        self.join_package.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.join_next = QLabel(JOIN_NEXT, self.join_page)
        self.join_next.setWordWrap(True)
        self.open_button = QPushButton("Open MissionDesk", self.join_page)
        self.open_button.setAutoDefault(False)
        self.open_button.clicked.connect(self._hand_on)
        layout = QVBoxLayout(self.join_page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(12)
        layout.addWidget(done)
        layout.addWidget(self.join_saved)
        layout.addWidget(self.join_code)
        layout.addWidget(self.join_package)
        layout.addWidget(self.join_next)
        layout.addStretch(1)
        layout.addWidget(self.open_button, 0, Qt.AlignmentFlag.AlignRight)

    @property
    def is_busy(self) -> bool:
        return self._busy

    @property
    def joining(self) -> bool:
        return self.join_radio.isChecked()

    @Slot(bool)
    def _on_choice(self, joining: bool) -> None:
        self.create_button.setText("Create vault and join request…" if joining else "Create vault")

    @property
    def package(self) -> MissionPackage | None:
        """The mission package the new vault will be set up from (when joining)."""
        return self._package if self.joining else None

    @Slot()
    def _on_choose_package(self) -> None:
        if self._busy:
            return
        chosen = self._choose_open_path(self, "Open the mission package", PACKAGE_FILES)
        if not chosen:
            return
        self.join_radio.setChecked(True)
        self.error.clear_message()
        self._set_busy(True, "Checking the mission package's signature…")
        path = Path(chosen)

        def read() -> MissionPackage:
            from missiondesk.services.mission_package import read_package

            return read_package(path)

        self._tasks.run("read mission package", read, self._on_package_read, self._on_package_bad)

    @Slot(object)
    def _on_package_read(self, package: MissionPackage) -> None:
        self._set_busy(False)
        self._package = package
        m = package.manifest
        self.package_label.setText(
            f"Mission: {m.mission.name}\nMission code: {m.mission.code}\n"
            f"Holds {m.contents()}; marked {m.sensitivity.label}.\n"
            "Check the mission code with the mission authority before you go on."
        )
        self.package_label.setStyleSheet("")
        self.package_button.setText("Use another &mission package…")
        self.name_edit.setFocus()

    @Slot(object)
    def _on_package_bad(self, failure: Failure) -> None:
        self._set_busy(False)
        self._package = None
        self.package_label.setText(PACKAGE_HINT)
        self.package_label.setStyleSheet(MUTED_STYLE)
        self.package_button.setText("Use a &mission package…")
        self.error.show_message(failure.message)
        self.package_button.setFocus()

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
        refused = refusal(passphrase)
        if refused is not None:
            self._refuse(refused, self.passphrase_edit)
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

    def _set_busy(self, busy: bool, text: str = "") -> None:
        self._busy = busy
        for widget in (
            self.start_radio,
            self.join_radio,
            self.package_button,
            self.name_edit,
            self.callsign_edit,
            self.passphrase_edit,
            self.confirm_edit,
            self.create_button,
            self.cancel_button,
        ):
            widget.setEnabled(not busy)
        if busy:
            self.busy.start(text or "Creating the encrypted vault and this device's keys…")
            self.setCursor(Qt.CursorShape.WaitCursor)
        else:
            self.busy.stop()
            self.unsetCursor()

    @Slot(object)
    def _on_created(self, session: Session) -> None:
        self._set_busy(False)
        self.passphrase_edit.clear()
        self.confirm_edit.clear()
        if not self.joining:
            self.created.emit(session)
            self.accept()
            return
        self._session = session
        package = self.package
        if package is None:
            self._write_request(session)
            return
        self._set_busy(True, "Setting the laptop up from the mission package…")
        self._tasks.run(
            "import mission package",
            lambda: session.packages.import_(package),
            lambda done: self._after_package(session, done),
            lambda failure: self._package_failed(session, failure),
        )

    def _after_package(self, session: Session, done: PackageImport) -> None:
        m = done.package.manifest
        self._package_note = (
            f"Set up for the mission {m.mission.name} (mission code {m.mission.code}) from its "
            f"package: {m.contents()}."
        )
        self._write_request(session)

    def _package_failed(self, session: Session, failure: Failure) -> None:
        self._package_note = (
            f"The mission package was not used: {failure.message} The mission's channels, "
            "checklists and maps arrive when this laptop first syncs."
        )
        self._write_request(session)

    def _write_request(self, session: Session) -> None:
        self._set_busy(False)
        label = safe_file_part(self.callsign_edit.text() or self.name_edit.text())
        chosen = self._choose_save_path(
            self, "Save the join request", f"join-{label}.json", JOIN_FILES
        )
        if not chosen:
            self._show_join_page("", "The join request was not saved.")
            return
        path = Path(chosen)
        self._set_busy(True, "Writing the join request…")
        self._tasks.run(
            "write join request",
            lambda: write_join_request(session.mission, path),
            lambda code: self._show_join_page(code, f"Join request saved to {path}."),
            lambda failure: self._show_join_page("", failure.message),
        )

    def _show_join_page(self, code: str, saved: str) -> None:
        self._set_busy(False)
        if code:
            self.join_saved.setText(saved)
            self.join_code.setText(f"Your code: {code}")
            self.join_next.setText(JOIN_NEXT)
        else:
            self.join_saved.setText(saved)
            self.join_code.clear()
            self.join_next.setText(
                "You can write it later: open the Sync section and choose Join a mission…"
            )
        self.join_code.setVisible(bool(code))
        self.join_package.setText(self._package_note)
        self.join_package.setVisible(bool(self._package_note))
        self.pages.setCurrentWidget(self.join_page)
        self.pages.removeWidget(self.form_page)  # no way back; the dialog fits this page now
        self.form_page.hide()
        self.create_button.setDefault(False)
        self.open_button.setDefault(True)
        self.open_button.setFocus()
        layout = self.layout()
        if layout is not None:  # fit the short page, not the form's wrapped minimum
            layout.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
            margins = layout.contentsMargins()
            inner = self.width() - margins.left() - margins.right()
            height = max(self.join_page.heightForWidth(inner), self.join_page.sizeHint().height())
            self.setMinimumHeight(0)
            self.resize(self.width(), height + margins.top() + margins.bottom())

    @Slot()
    def _hand_on(self) -> None:
        session, self._session = self._session, None
        if session is not None:
            self.created.emit(session)
            self.accept()

    @Slot(object)
    def _on_create_failed(self, failure: Failure) -> None:
        self._set_busy(False)
        self.error.show_message(failure.message)
        self.name_edit.setFocus()

    def reject(self) -> None:
        if self._busy:  # the vault is half made while busy: let it finish first
            return
        session, self._session = self._session, None
        if session is not None:  # closed on the join page: the vault is made; close it
            self._tasks.run("close vault", session.close)
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._busy:
            event.ignore()
            return
        super().closeEvent(event)
