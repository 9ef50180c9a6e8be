"""Bundles on USB sticks, where there is no network: export what chosen members lack, import a
bundle after a dry run has shown what it would add."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from missiondesk.domain.dtg import format_dtg
from missiondesk.domain.ids import fingerprint
from missiondesk.services.bundles import BundleReport
from missiondesk.services.mission import MemberView
from missiondesk.services.session import Session
from missiondesk.ui.feedback import BusyIndicator, InlineError, fit_height_to_width
from missiondesk.ui.result_line import ResultLine
from missiondesk.ui.sync.choosers import BUNDLE_FILES, OpenChooser, SaveChooser, safe_file_part
from missiondesk.ui.sync.overview import SyncOverview
from missiondesk.ui.tasks import Failure, TaskRunner
from missiondesk.ui.theme import muted_label

NOUNS: dict[str, tuple[str, str]] = {
    "message.create": ("message", "messages"),
    "message.ack": ("acknowledgement", "acknowledgements"),
    "person.create": ("person", "people"),
    "device.register": ("device registration", "device registrations"),
    "membership.grant": ("membership certificate", "membership certificates"),
    "membership.revoke": ("revocation", "revocations"),
    "conflict.resolve": ("conflict decision", "conflict decisions"),
}


def describe_kinds(added: Counter[str]) -> str:
    """'10 messages, 2 new incidents, 1 incident update'."""
    parts = []
    for kind, count in sorted(added.items(), key=lambda item: (-item[1], item[0])):
        if kind in NOUNS:
            one, many = NOUNS[kind]
        else:
            record, _, action = kind.partition(".")
            noun = record.replace("_", " ")
            one = f"new {noun}" if action == "create" else f"{noun} {action}"
            many = one + "s"
        parts.append(f"{count:,} {one if count == 1 else many}")
    return ", ".join(parts)


def member_label(members: tuple[MemberView, ...], device: str) -> str:
    for view in members:
        if view.membership.device == device:
            return view.membership.callsign or view.membership.name
    return fingerprint(device)


class ExportBundleDialog(QDialog):
    """For everyone in the mission, or for chosen members."""

    chosen = Signal(object)  # list of device ids; [] for every active member

    def __init__(self, others: list[MemberView], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export a bundle")
        self.setMinimumWidth(460)
        intro = muted_label(
            "The bundle holds what the chosen members do not have yet, as far as this laptop "
            "knows. It is encrypted so that only their laptops can open it, and signed by this "
            "one.",
            self,
        )
        self.everyone = QRadioButton("Everyone in the mission", self)
        self.some = QRadioButton("Only these members:", self)
        self.everyone.setChecked(True)
        self.members = QListWidget(self)
        self.members.setAccessibleName("Recipients")
        for view in others:
            m = view.membership
            text = f"{m.callsign}  ·  {m.name}" if m.callsign else m.name
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, m.device)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.members.addItem(item)
        self.members.setEnabled(False)
        self.some.toggled.connect(self.members.setEnabled)
        self.error = InlineError(self)
        self.buttons = QDialogButtonBox(self)
        self.ok_button = self.buttons.addButton(
            "Choose where to save…", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self._on_ok)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.everyone)
        layout.addWidget(self.some)
        layout.addWidget(self.members)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        if not others:
            self.error.show_message("There is no other member yet to export a bundle for.")
            self.ok_button.setEnabled(False)
            self.some.setEnabled(False)
        fit_height_to_width(self)

    def check(self, callsign: str) -> None:
        self.some.setChecked(True)
        for row in range(self.members.count()):
            item = self.members.item(row)
            if item.text().split("  ·  ")[0] == callsign:
                item.setCheckState(Qt.CheckState.Checked)

    @Slot()
    def _on_ok(self) -> None:
        devices: list[str] = []
        if self.some.isChecked():
            for row in range(self.members.count()):
                item = self.members.item(row)
                if item.checkState() == Qt.CheckState.Checked:
                    devices.append(str(item.data(Qt.ItemDataRole.UserRole)))
            if not devices:
                self.error.show_message("Tick at least one member, or choose everyone.")
                return
        self.chosen.emit(devices)
        self.accept()


class ImportPreviewDialog(QDialog):
    """What the dry run found; Import or Cancel."""

    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Import a bundle")
        self.setMinimumWidth(520)
        self.text = QLabel(text, self)
        self.text.setWordWrap(True)
        self.text.setTextFormat(Qt.TextFormat.PlainText)
        note = muted_label("Nothing has changed yet: this was a dry run.", self)
        self.buttons = QDialogButtonBox(self)
        self.import_button = self.buttons.addButton(
            "Import", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addWidget(note)
        layout.addWidget(self.buttons)
        fit_height_to_width(self)


class BundlesPanel(QGroupBox):
    changed = Signal()  # a bundle was imported or exported: read the vault again

    def __init__(
        self,
        session: Session,
        tasks: TaskRunner,
        *,
        choose_open: OpenChooser,
        choose_save: SaveChooser,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("USB bundles", parent)
        self._bundles = session.bundles
        self._tasks = tasks
        self._choose_open = choose_open
        self._choose_save = choose_save
        self._overview: SyncOverview | None = None
        self.export_dialog: ExportBundleDialog | None = None
        self.preview_dialog: ImportPreviewDialog | None = None
        intro = muted_label(
            "Where there is no network, carry the changes on a USB stick or with a courier. "
            "Only the laptops a bundle is for can read it.",
            self,
        )
        self.export_button = QPushButton("Export bundle…", self)
        self.export_button.clicked.connect(self.export_bundle)
        self.import_button = QPushButton("Import bundle…", self)
        self.import_button.clicked.connect(self.import_bundle)
        row = QHBoxLayout()
        row.addWidget(self.export_button)
        row.addWidget(self.import_button)
        row.addStretch(1)
        self.busy = BusyIndicator(self)
        self.result = ResultLine(self)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(row)
        layout.addWidget(self.busy)
        layout.addWidget(self.result)

    def show_overview(self, overview: SyncOverview) -> None:
        self._overview = overview

    def _label(self, device: str) -> str:
        members = self._overview.members if self._overview else ()
        return member_label(members, device)

    def _set_busy(self, text: str) -> None:
        self.export_button.setEnabled(not text)
        self.import_button.setEnabled(not text)
        if text:
            self.result.clear_line()
            self.busy.start(text)
        else:
            self.busy.stop()

    # -- export --------------------------------------------------------------------------------

    @Slot()
    def export_bundle(self) -> None:
        others = self._overview.others() if self._overview else []
        dialog = ExportBundleDialog(others, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.chosen.connect(self._on_recipients)
        dialog.destroyed.connect(self._forget_export)
        self.export_dialog = dialog
        dialog.show()

    def _forget_export(self) -> None:
        self.export_dialog = None

    @Slot(object)
    def _on_recipients(self, devices: list[str]) -> None:
        me = self._overview.me if self._overview else None
        mine = safe_file_part(me.membership.callsign or me.membership.name) if me else "laptop"
        stamp = format_dtg(datetime.now(UTC)).replace(" ", "")
        chosen = self._choose_save(
            self, "Save the bundle", f"bundle-{mine}-{stamp}.mdbundle", BUNDLE_FILES
        )
        if not chosen:
            return
        path = Path(chosen)
        self._set_busy("Writing the bundle…")
        bundles = self._bundles
        self._tasks.run(
            "export bundle",
            lambda: bundles.export(path, devices),
            lambda report: self._on_exported(report, path),
            self._on_failed,
        )

    def _on_exported(self, report: BundleReport, path: Path) -> None:
        self._set_busy("")
        names = ", ".join(self._label(d) for d in report.recipients)
        self.result.success(
            f"Bundle written to {path}: {report.operations:,} operation(s) for {names}. "
            "Only those laptops can open it."
        )
        self.changed.emit()

    # -- import --------------------------------------------------------------------------------

    @Slot()
    def import_bundle(self) -> None:
        chosen = self._choose_open(self, "Open a bundle", BUNDLE_FILES)
        if not chosen:
            return
        path = Path(chosen)
        self._set_busy("Checking the bundle (a dry run: nothing changes)…")
        bundles = self._bundles
        self._tasks.run(
            "preview bundle",
            lambda: bundles.import_(path, dry_run=True),
            lambda report: self._on_preview(report, path),
            self._on_failed,
        )

    def preview_text(self, report: BundleReport, path: Path) -> str:
        sender = self._label(report.sender)
        new = sum(report.added.values())
        if new:
            text = (
                f"{path.name} would add {new:,} operation(s) from {sender}: "
                f"{describe_kinds(report.added)}."
            )
        else:
            text = f"{path.name} from {sender} holds nothing this laptop does not have already."
        if report.operations > new:
            text += f" {report.operations - new:,} of the {report.operations:,} in it are here."
        if report.refused:
            reasons = "; ".join(sorted(set(report.reasons)))
            text += f" {report.refused:,} would be refused ({reasons})."
        return text

    def _on_preview(self, report: BundleReport, path: Path) -> None:
        self._set_busy("")
        dialog = ImportPreviewDialog(self.preview_text(report, path), self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._import(path))
        dialog.rejected.connect(lambda: self.result.note("Not imported: nothing changed."))
        dialog.destroyed.connect(self._forget_preview)
        self.preview_dialog = dialog
        dialog.show()

    def _forget_preview(self) -> None:
        self.preview_dialog = None

    def _import(self, path: Path) -> None:
        self._set_busy("Importing the bundle…")
        bundles = self._bundles
        self._tasks.run(
            "import bundle",
            lambda: bundles.import_(path),
            self._on_imported,
            self._on_failed,
        )

    def _on_imported(self, report: BundleReport) -> None:
        self._set_busy("")
        new = sum(report.added.values())
        text = f"Imported {new:,} operation(s) from {self._label(report.sender)}"
        text += f": {describe_kinds(report.added)}." if new else "; nothing was new."
        self.result.success(text)
        self.changed.emit()

    @Slot(object)
    def _on_failed(self, failure: Failure) -> None:
        self._set_busy("")
        self.result.failure(failure.message)

    def clear(self) -> None:
        for dialog in (self.export_dialog, self.preview_dialog):
            if dialog is not None:
                dialog.close()
        self.result.clear_line()
