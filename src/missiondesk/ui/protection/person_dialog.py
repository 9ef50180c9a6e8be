"""Add person… / Edit…: one person's roster card, and their emergency details (Strictly
Confidential) shown only when asked for, and only when this laptop's clearance covers them;
when it does not, the dialog says they are withheld and why.

The emergency details are read on the vault thread when the officer asks, and live only in
this dialog's widgets: they go when it closes (and at lock, which closes it).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from missiondesk.domain.markings import Sensitivity
from missiondesk.domain.records.people import Role
from missiondesk.domain.records.roster import EmergencyDetails
from missiondesk.services.roster import EMERGENCY_FIELDS, RosterCard, RosterEntry
from missiondesk.services.session import Session
from missiondesk.ui.feedback import InlineError, fit_height_to_width
from missiondesk.ui.protection.fields import FieldRows, FieldsDialog
from missiondesk.ui.tasks import Failure, TaskRunner
from missiondesk.ui.theme import SENSITIVITY_COLOURS, badge_style, muted_label

BLOOD_GROUPS = ("", "O-", "O+", "A-", "A+", "B-", "B+", "AB-", "AB+")
CARD_FIELDS = ("name", "callsign", "role", "unit", "outpost", "devices", "sensitivity")


def role_label(role: Role) -> str:
    return role.value.replace("_", " ").capitalize()


def withheld_text(clearance: Sensitivity | None) -> str:
    level = f" ({clearance.label.title()})" if clearance is not None else ""
    return (
        "Withheld: this person's emergency details are Strictly Confidential, and this "
        f"laptop's membership clearance{level} does not cover that level, so they are not shown "
        "or changed here. A laptop cleared for Strictly Confidential (ask your commander) "
        "shows them."
    )


class PersonDialog(FieldsDialog):
    """Emits `saved(person id)` once the card (and details) are in the vault, then closes."""

    saved = Signal(str)

    def __init__(
        self,
        session: Session,
        tasks: TaskRunner,
        entry: RosterEntry | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Edit {entry.label}" if entry else "Add person")
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 64)
        self._session = session
        self._tasks = tasks
        self.entry = entry
        self.emergency: EmergencyDetails | None = None  # as read, when shown
        self.emergency_shown = False
        self.withheld = False

        self.name_edit = QLineEdit(self)
        self.name_edit.setMaxLength(120)
        self.callsign_edit = QLineEdit(self)
        self.callsign_edit.setMaxLength(40)
        self.callsign_edit.setPlaceholderText("e.g. BRAVO-2")
        self.role_box = QComboBox(self)
        for role in Role:
            self.role_box.addItem(role_label(role), role)
        self.unit_edit = QLineEdit(self)
        self.unit_edit.setMaxLength(120)
        self.unit_edit.setPlaceholderText("unit or contingent")
        self.outpost_edit = QLineEdit(self)
        self.outpost_edit.setMaxLength(120)
        self.devices_edit = QPlainTextEdit(self)
        self.devices_edit.setTabChangesFocus(True)
        self.devices_edit.setPlaceholderText("device ids (32 hex digits), one a line")
        self.devices_edit.setFixedHeight(self.fontMetrics().lineSpacing() * 3 + 14)
        self.sensitivity_box = QComboBox(self)
        for level in (Sensitivity.UNCLASSIFIED, Sensitivity.CONFIDENTIAL):
            self.sensitivity_box.addItem(level.label.title(), level)
        self.general_error = InlineError(self)
        card = QFormLayout()
        self.rows = FieldRows(self, card, self.general_error)
        self.rows.add("name", "&Name:", self.name_edit, required=True)
        self.rows.add("callsign", "&Callsign:", self.callsign_edit)
        self.rows.add("role", "&Role:", self.role_box)
        self.rows.add("unit", "&Unit:", self.unit_edit)
        self.rows.add("outpost", "&Outpost:", self.outpost_edit)
        self.rows.add("devices", "De&vices:", self.devices_edit)
        self.rows.add("sensitivity", "Card sens&itivity:", self.sensitivity_box)

        # -- emergency details, on request
        self.emergency_box = QGroupBox("Emergency details", self)
        marking = QLabel("STRICTLY CONFIDENTIAL", self.emergency_box)
        marking.setStyleSheet(badge_style(SENSITIVITY_COLOURS[Sensitivity.STRICTLY_CONFIDENTIAL]))
        self.show_emergency_button = QPushButton(
            "Show emergency &details" if entry else "Add emergency &details", self.emergency_box
        )
        self.show_emergency_button.setAutoDefault(False)
        self.show_emergency_button.clicked.connect(self.show_emergency)
        self.emergency_note = muted_label(
            "Next of kin, blood group, allergies and medical notes are kept apart from the "
            "card and shown only on request.",
            self.emergency_box,
        )
        self.withheld_note = QLabel("", self.emergency_box)
        self.withheld_note.setWordWrap(True)
        self.withheld_note.setTextFormat(Qt.TextFormat.PlainText)
        self.withheld_note.setAccessibleName("Emergency details withheld")
        self.withheld_note.hide()
        self.emergency_fields = QWidget(self.emergency_box)
        self.kin_edit = QLineEdit(self.emergency_fields)
        self.kin_edit.setMaxLength(200)
        self.kin_contact_edit = QLineEdit(self.emergency_fields)
        self.kin_contact_edit.setMaxLength(200)
        self.blood_box = QComboBox(self.emergency_fields)
        for group in BLOOD_GROUPS:
            self.blood_box.addItem(group or "not known", group)
        self.allergies_edit = QLineEdit(self.emergency_fields)
        self.allergies_edit.setMaxLength(1000)
        self.medical_edit = QPlainTextEdit(self.emergency_fields)
        self.medical_edit.setTabChangesFocus(True)
        self.medical_edit.setFixedHeight(self.fontMetrics().lineSpacing() * 3 + 14)
        self.emergency_error = InlineError(self.emergency_box)
        details = QFormLayout(self.emergency_fields)
        details.setContentsMargins(0, 0, 0, 0)
        self.emergency_rows = FieldRows(self.emergency_fields, details, self.emergency_error)
        self.emergency_rows.add("next_of_kin", "Next of &kin:", self.kin_edit)
        self.emergency_rows.add("next_of_kin_contact", "Next of kin con&tact:",
                                self.kin_contact_edit)  # fmt: skip
        self.emergency_rows.add("blood_group", "&Blood group:", self.blood_box)
        self.emergency_rows.add("allergies", "A&llergies:", self.allergies_edit)
        self.emergency_rows.add("medical_notes", "&Medical notes:", self.medical_edit)
        self.emergency_fields.hide()
        box = QVBoxLayout(self.emergency_box)
        box.addWidget(marking, 0, Qt.AlignmentFlag.AlignLeft)
        box.addWidget(self.emergency_note)
        box.addWidget(self.show_emergency_button, 0, Qt.AlignmentFlag.AlignLeft)
        box.addWidget(self.withheld_note)
        box.addWidget(self.emergency_fields)
        box.addWidget(self.emergency_error)

        self.save_button = QPushButton("&Save", self)
        self.submit_button = self.save_button
        self.save_button.setDefault(True)
        buttons = QDialogButtonBox(self)
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel).setAutoDefault(False)
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(card)
        layout.addWidget(self.emergency_box)
        layout.addWidget(self.general_error)
        layout.addWidget(buttons)
        if entry is not None:
            self._fill(entry)
        self.name_edit.setFocus()
        fit_height_to_width(self)

    def _fill(self, entry: RosterEntry) -> None:
        person = entry.person
        self.name_edit.setText(person.name)
        self.callsign_edit.setText(person.callsign)
        self.role_box.setCurrentIndex(max(self.role_box.findData(person.role), 0))
        self.unit_edit.setText(person.unit)
        self.outpost_edit.setText(person.outpost)
        self.devices_edit.setPlainText("\n".join(person.devices))
        found = self.sensitivity_box.findData(person.sensitivity)
        if found < 0:
            self.sensitivity_box.addItem(person.sensitivity.label.title(), person.sensitivity)
            found = self.sensitivity_box.count() - 1
        self.sensitivity_box.setCurrentIndex(found)

    # -- emergency details ----------------------------------------------------------------------

    @Slot()
    def show_emergency(self) -> None:
        """Read the emergency details now (a new person: just open the fields)."""
        if self._gone:
            return
        if self.entry is None:
            self._open_emergency(None)
            return
        session, person = self._session, self.entry.id
        self.show_emergency_button.setEnabled(False)
        self._tasks.run(
            "read emergency details",
            lambda: (session.roster.card(person), session.protection_access.clearance()),
            self._on_card,
            self._on_card_failed,
        )

    def _on_card(self, answer: tuple[RosterCard, Sensitivity | None]) -> None:
        if self._gone:
            return
        card, clearance = answer
        self.show_emergency_button.hide()
        if card.withheld:
            self.withheld = True
            self.withheld_note.setText(withheld_text(clearance))
            self.withheld_note.show()
            return
        self._open_emergency(card.emergency)
        if card.emergency is None:
            self.emergency_note.setText("None recorded yet; what you type here is added.")

    def _on_card_failed(self, failure: Failure) -> None:
        if not self._gone:
            self.show_emergency_button.setEnabled(True)
            self.emergency_error.show_message(failure.message)

    def _open_emergency(self, details: EmergencyDetails | None) -> None:
        self.emergency = details
        self.emergency_shown = True
        self.show_emergency_button.hide()
        if details is not None:
            self.kin_edit.setText(details.next_of_kin)
            self.kin_contact_edit.setText(details.next_of_kin_contact)
            self.blood_box.setCurrentIndex(max(self.blood_box.findData(details.blood_group), 0))
            self.allergies_edit.setText(details.allergies)
            self.medical_edit.setPlainText(details.medical_notes)
        self.emergency_fields.show()
        self.kin_edit.setFocus()
        fit_height_to_width(self)

    def emergency_values(self) -> dict[str, Any]:
        return {
            "next_of_kin": self.kin_edit.text().strip(),
            "next_of_kin_contact": self.kin_contact_edit.text().strip(),
            "blood_group": self.blood_box.currentData() or "",
            "allergies": self.allergies_edit.text().strip(),
            "medical_notes": self.medical_edit.toPlainText().strip(),
        }

    # -- saving ---------------------------------------------------------------------------------

    def card_values(self) -> dict[str, Any]:
        devices = [d.strip() for d in self.devices_edit.toPlainText().splitlines() if d.strip()]
        return {
            "name": self.name_edit.text().strip(),
            "callsign": self.callsign_edit.text().strip(),
            "role": Role(self.role_box.currentData()),
            "unit": self.unit_edit.text().strip(),
            "outpost": self.outpost_edit.text().strip(),
            "devices": tuple(devices),
            "sensitivity": Sensitivity(self.sensitivity_box.currentData()),
        }

    @Slot()
    def submit(self) -> None:
        if self._gone or not self.save_button.isEnabled():
            return
        self.rows.clear()
        self.emergency_rows.clear()
        roster, values = self._session.roster, self.card_values()
        emergency = self.emergency_values() if self.emergency_shown else None
        entry, before = self.entry, self.emergency
        if emergency is not None and before is not None:
            emergency = {k: v for k, v in emergency.items() if getattr(before, k) != v}
        elif emergency is not None:
            emergency = {k: v for k, v in emergency.items() if v}

        def work() -> str:
            if entry is None:
                return roster.add(values.pop("name"), **values, emergency=emergency or None)
            current = entry.person.model_dump(include=set(CARD_FIELDS))
            changes = {k: v for k, v in values.items() if current.get(k) != v}
            if changes:
                roster.update(entry.id, changes)
            if emergency:
                roster.set_emergency(entry.id, emergency)
            return entry.id

        self.save_button.setEnabled(False)
        self._tasks.run("save person", work, self._done, self._refused)

    def show_field_errors(self, fields: Mapping[str, str]) -> None:
        mine = {k: v for k, v in fields.items() if k.split(".")[0] in EMERGENCY_FIELDS}
        self.rows.show_errors({k: v for k, v in fields.items() if k not in mine})
        if mine:
            self.emergency_rows.show_errors(mine)

    def _done(self, person_id: str) -> None:
        if not self._gone:
            self.saved.emit(person_id)
            self.accept()
