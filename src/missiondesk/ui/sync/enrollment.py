"""Getting a laptop into a mission: create one here, or join one by carrying two files; and, on
the authority's laptop, approving a join request after both officers compared the code."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from missiondesk.domain.ids import fingerprint
from missiondesk.domain.markings import Sensitivity
from missiondesk.domain.records.people import Role
from missiondesk.domain.trust import JoinRequest, Membership
from missiondesk.services.enrollment_files import (
    accept_approval_file,
    approve_to_file,
    write_join_request,
)
from missiondesk.services.mission import MemberView, MissionInfo, MissionService
from missiondesk.services.session import Session
from missiondesk.ui.feedback import BusyIndicator, InlineError, fit_height_to_width
from missiondesk.ui.result_line import ResultLine
from missiondesk.ui.sync.choosers import (
    APPROVAL_FILES,
    JOIN_FILES,
    PACKAGE_FILES,
    OpenChooser,
    SaveChooser,
    safe_file_part,
)
from missiondesk.ui.sync.overview import ROLE_LABELS, STATUS_LABELS
from missiondesk.ui.tasks import Failure, TaskRunner
from missiondesk.ui.theme import muted_label, scaled_font

if TYPE_CHECKING:
    from missiondesk.domain.mission_package import PackageMission
    from missiondesk.services.mission_package import PackageImport

OUTSIDE_TEXT = (
    "MissionDesk exchanges messages and reports only between laptops of the same mission. "
    "A mission is created once, on the laptop of the officer who enrolls the others (usually "
    "the comms officer). Every other laptop joins it with two small files carried on a USB "
    "stick: no network is needed."
)
NEXT_STEPS = (
    "Carry the file to the mission authority. When they open it, their screen shows a code: "
    "read yours aloud, it must be the same. They then give you an approval file: open it "
    "below with Accept approval file…"
)


def code_label(parent: QWidget) -> QLabel:
    """The eight digits two officers compare aloud, large and in a fixed-width font."""
    label = QLabel(parent)
    font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
    font.setPointSizeF(max(font.pointSizeF(), 10) * 1.8)
    font.setBold(True)
    label.setFont(font)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setAccessibleName("Code to compare")
    return label


class CreateMissionDialog(QDialog):
    """Asks for the mission's name; makes this laptop the mission authority."""

    created = Signal(object)  # MissionInfo

    def __init__(
        self, mission: MissionService, tasks: TaskRunner, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._mission = mission
        self._tasks = tasks
        self.setWindowTitle("Create a mission")
        self.setMinimumWidth(500)
        self.name_edit = QLineEdit(self)
        self.name_edit.setMaxLength(120)
        self.name_edit.setPlaceholderText("e.g. Sector North")
        self.name_edit.setAccessibleName("Mission name")
        note = muted_label(
            "This laptop becomes the mission authority: it approves the laptops that join and "
            "can revoke them. Its vault holds the mission's key, so keep it with you and lock it "
            "when you leave it.",
            self,
        )
        form = QFormLayout()
        form.addRow("Mission &name:", self.name_edit)
        self.error = InlineError(self)
        self.busy = BusyIndicator(self)
        self.buttons = QDialogButtonBox(self)
        self.create_button = self.buttons.addButton(
            "Create mission", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.create_button.setDefault(True)
        self.buttons.accepted.connect(self._on_create)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(self.error)
        layout.addWidget(self.busy)
        layout.addWidget(self.buttons)
        fit_height_to_width(self)

    @Slot()
    def _on_create(self) -> None:
        name = self.name_edit.text().strip()
        if not name:
            self.error.show_message("Enter the mission's name.")
            self.name_edit.setFocus()
            return
        self.error.clear_message()
        self.create_button.setEnabled(False)
        self.busy.start("Making the mission's key and certificates…")
        self._tasks.run(
            "create mission", lambda: self._mission.create(name), self._on_created, self._on_failed
        )

    @Slot(object)
    def _on_created(self, info: MissionInfo) -> None:
        self.busy.stop()
        self.created.emit(info)
        self.accept()

    @Slot(object)
    def _on_failed(self, failure: Failure) -> None:
        self.busy.stop()
        self.create_button.setEnabled(True)
        self.error.show_message(failure.message)


PACKAGE_NOTE = (
    "If the mission authority gave you a mission package (a .mission file), import it before "
    "you write the join request: the mission's channels, checklists, incident categories and "
    "maps are here at once, and only that mission's approval will be accepted."
)


class OutsidePanel(QWidget):
    """Shown while the vault is in no mission: create one, or join one by file."""

    joined = Signal()  # the vault is in a mission now
    set_up = Signal()  # a mission package set the laptop up (still outside the mission)

    def __init__(
        self,
        session: Session,
        tasks: TaskRunner,
        *,
        choose_open: OpenChooser,
        choose_save: SaveChooser,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._session = session
        self._mission = session.mission
        self._tasks = tasks
        self._choose_open = choose_open
        self._choose_save = choose_save
        self.my_label = "laptop"
        self.create_dialog: CreateMissionDialog | None = None
        heading = QLabel("This laptop is not in a mission yet", self)
        heading.setFont(scaled_font(heading, 1.15, bold=True))
        intro = muted_label(OUTSIDE_TEXT, self)

        create_box = QGroupBox("Start a mission", self)
        self.create_button = QPushButton("Create a mission…", create_box)
        self.create_button.clicked.connect(self.open_create_dialog)
        create_note = muted_label(
            "This laptop becomes the mission authority: it approves the laptops that join and "
            "can revoke them.",
            create_box,
        )
        grid = QGridLayout(create_box)
        grid.addWidget(self.create_button, 0, 0, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(create_note, 0, 1)
        grid.setColumnStretch(1, 1)

        join_box = QGroupBox("Join a mission", self)
        self.join_button = QPushButton("Join a mission…", join_box)
        self.join_button.clicked.connect(self.request_to_join)
        join_note = muted_label(
            "Saves a join request file (on a USB stick, say) for the mission authority and shows "
            "a code that both of you compare.",
            join_box,
        )
        self.code = code_label(join_box)
        self.code.hide()
        self.join_result = ResultLine(join_box)
        self.accept_button = QPushButton("Accept approval file…", join_box)
        self.accept_button.clicked.connect(self.accept_approval)
        accept_note = muted_label(
            "When the mission authority gives you the approval file, open it here to join.",
            join_box,
        )
        grid = QGridLayout(join_box)
        grid.addWidget(self.join_button, 0, 0, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(join_note, 0, 1)
        grid.addWidget(self.code, 1, 1)
        grid.addWidget(self.join_result, 2, 1)
        grid.addWidget(self.accept_button, 3, 0, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(accept_note, 3, 1)
        grid.setColumnStretch(1, 1)
        self.package_button = QPushButton("Import mission package…", join_box)
        self.package_button.clicked.connect(self.import_package)
        self.package_note = muted_label(PACKAGE_NOTE, join_box)
        self.package_note.setTextFormat(Qt.TextFormat.PlainText)  # names come from the file
        grid.addWidget(self.package_button, 4, 0, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(self.package_note, 4, 1)
        buttons = (self.create_button, self.join_button, self.accept_button, self.package_button)
        width = max(b.sizeHint().width() for b in buttons)
        for button in buttons:
            button.setFixedWidth(width)

        self.busy = BusyIndicator(self)
        self.result = ResultLine(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(10)
        layout.addWidget(heading)
        layout.addWidget(intro)
        layout.addWidget(create_box)
        layout.addWidget(join_box)
        layout.addWidget(self.busy)
        layout.addWidget(self.result)
        layout.addStretch(1)
        self.setMaximumWidth(self.fontMetrics().horizontalAdvance("M") * 62)  # lines one can read

    @Slot()
    def open_create_dialog(self) -> None:
        dialog = CreateMissionDialog(self._mission, self._tasks, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.created.connect(self._on_created)
        dialog.destroyed.connect(self._forget_dialog)
        self.create_dialog = dialog
        dialog.show()

    def _forget_dialog(self) -> None:
        self.create_dialog = None

    @Slot(object)
    def _on_created(self, info: MissionInfo) -> None:
        self.result.success(f"Mission '{info.name}' created. This laptop is its authority.")
        self.joined.emit()

    @Slot()
    def request_to_join(self) -> None:
        chosen = self._choose_save(
            self, "Save the join request", f"join-{safe_file_part(self.my_label)}.json", JOIN_FILES
        )
        if not chosen:
            return
        path = Path(chosen)
        self._busy(True, "Writing the join request…")
        self._tasks.run(
            "write join request",
            lambda: write_join_request(self._mission, path),
            lambda code: self._on_request_written(path, code),
            self._on_failed,
        )

    def _on_request_written(self, path: Path, code: str) -> None:
        self._busy(False)
        self.code.setText(f"Your code: {code}")
        self.code.show()
        self.join_result.note(f"Join request saved to {path}. {NEXT_STEPS}")

    @Slot()
    def accept_approval(self) -> None:
        chosen = self._choose_open(self, "Open the approval file", APPROVAL_FILES)
        if not chosen:
            return
        path = Path(chosen)
        self._busy(True, "Checking the approval against the mission's key…")
        self._tasks.run(
            "accept approval",
            lambda: accept_approval_file(self._mission, path),
            self._on_accepted,
            self._on_failed,
        )

    def show_pinned(self, pinned: PackageMission | None) -> None:
        """Say which mission a package set this laptop up for (and only then, how to join)."""
        if pinned is None:
            self.package_note.setText(PACKAGE_NOTE)
            return
        self.package_note.setText(
            f"Set up for the mission {pinned.name} (mission code {pinned.code}) from its "
            "package: write the join request above; only that mission's approval is accepted."
        )

    @Slot()
    def import_package(self) -> None:
        chosen = self._choose_open(self, "Open the mission package", PACKAGE_FILES)
        if not chosen:
            return
        path = Path(chosen)
        session = self._session
        self._busy(True, "Checking the mission package and setting this laptop up from it…")

        def import_it() -> PackageImport:
            from missiondesk.services.mission_package import read_package

            return session.packages.import_(read_package(path))

        self._tasks.run("import mission package", import_it, self._on_package, self._on_failed)

    def _on_package(self, done: PackageImport) -> None:
        self._busy(False)
        m = done.package.manifest
        self.show_pinned(m.mission)
        self.result.success(
            f"Set up from {done.package.path.name}: {m.contents()}. Write the join request now."
        )
        self.set_up.emit()

    @Slot(object)
    def _on_accepted(self, membership: Membership) -> None:
        self._busy(False)
        self.result.success(
            f"Joined mission '{membership.mission_name}' as "
            f"{ROLE_LABELS[membership.role].lower()}. Sync with a member to receive what the "
            "mission holds."
        )
        self.joined.emit()

    @Slot(object)
    def _on_failed(self, failure: Failure) -> None:
        self._busy(False)
        self.result.failure(failure.message)

    def _busy(self, busy: bool, text: str = "") -> None:
        for button in (
            self.create_button,
            self.join_button,
            self.accept_button,
            self.package_button,
        ):
            button.setEnabled(not busy)
        if busy:
            self.result.clear_line()
            self.busy.start(text)
        else:
            self.busy.stop()

    def clear(self) -> None:
        if self.create_dialog is not None:
            self.create_dialog.close()
        self.code.clear()
        self.join_result.clear_line()
        self.result.clear_line()


class ApproveDialog(QDialog):
    """On the authority's laptop: who asks to join, the code to compare, the role to give."""

    approved = Signal(object, object)  # Membership, the approval file's Path

    def __init__(
        self,
        request: JoinRequest,
        content: bytes,
        session: Session,
        tasks: TaskRunner,
        choose_save: SaveChooser,
        parent: QWidget | None = None,
        *,
        earlier: MemberView | None = None,
    ) -> None:
        """`earlier`: this device's membership when it is already a member."""
        super().__init__(parent)
        self.request = request
        self._content = content
        self._session = session
        self._tasks = tasks
        self._choose_save = choose_save
        self.setWindowTitle("Approve a join request")
        self.setMinimumWidth(540)
        who = QLabel(self)
        who.setTextFormat(Qt.TextFormat.PlainText)
        who.setText(
            f"{request.name}"
            + (f" ({request.callsign})" if request.callsign else "")
            + " asks to join the mission."
        )
        who.setFont(scaled_font(who, 1.1, bold=True))
        who.setWordWrap(True)
        device = QLabel(f"Device fingerprint: {fingerprint(request.device)}", self)
        device.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.code = code_label(self)
        self.code.setText(f"Code: {request.code}")
        compare = muted_label(
            "Ask the officer to read aloud the code on their screen. Approve only if it is "
            "exactly this one: a different code means the file was changed on its way.",
            self,
        )
        self.already = muted_label("", self)
        if earlier is not None:
            self.already.setText(
                f"This device is already a member ({ROLE_LABELS[earlier.membership.role].lower()}, "
                f"{STATUS_LABELS[earlier.status].lower()}). A new approval replaces its "
                "certificate on every laptop once it syncs."
            )
        self.already.setVisible(earlier is not None)
        self.role_box = QComboBox(self)
        for role, label in ROLE_LABELS.items():
            self.role_box.addItem(label, role)
        self.role_box.setAccessibleName("Role")
        self.clearance_box = QComboBox(self)
        for level in Sensitivity:
            self.clearance_box.addItem(level.label.title(), level)
        self.clearance_box.setCurrentIndex(list(Sensitivity).index(Sensitivity.CONFIDENTIAL))
        self.clearance_box.setAccessibleName("Clearance")
        form = QFormLayout()
        form.addRow("&Role:", self.role_box)
        form.addRow("C&learance:", self.clearance_box)
        self.error = InlineError(self)
        self.busy = BusyIndicator(self)
        self.buttons = QDialogButtonBox(self)
        self.approve_button = self.buttons.addButton(
            "Same code: approve…", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self._on_approve)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.setSpacing(8)
        layout.addWidget(who)
        layout.addWidget(device)
        layout.addWidget(self.code)
        layout.addWidget(compare)
        layout.addWidget(self.already)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.busy)
        layout.addWidget(self.buttons)
        fit_height_to_width(self)

    def choose_role(self, role: Role) -> None:
        self.role_box.setCurrentIndex(self.role_box.findData(role))

    @Slot()
    def _on_approve(self) -> None:
        request = self.request
        label = safe_file_part(request.callsign or request.name)
        chosen = self._choose_save(
            self, "Save the approval file", f"approval-{label}.json", APPROVAL_FILES
        )
        if not chosen:
            return
        out = Path(chosen)
        role = Role(self.role_box.currentData())
        clearance = Sensitivity(self.clearance_box.currentData())
        session, content = self._session, self._content
        self.error.clear_message()
        self.approve_button.setEnabled(False)
        self.busy.start("Signing the certificate and writing the approval…")

        def approve() -> Membership:
            return approve_to_file(
                session.mission,
                session.audit,
                content,
                out,
                role=role,
                clearance=clearance,
                expect_code=request.code,
            )

        self._tasks.run(
            "approve join request",
            approve,
            lambda membership: self._on_approved(membership, out),
            self._on_failed,
        )

    def _on_approved(self, membership: Membership, out: Path) -> None:
        self.busy.stop()
        self.approved.emit(membership, out)
        self.accept()

    @Slot(object)
    def _on_failed(self, failure: Failure) -> None:
        self.busy.stop()
        self.approve_button.setEnabled(True)
        self.error.show_message(failure.message)
