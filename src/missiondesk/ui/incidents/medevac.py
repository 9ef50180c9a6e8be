"""The 9-line MEDEVAC request: one row per line, in the order the radio operator reads them.

"Prepare request" checks the nine lines (the request model says what does not add up, e.g.
litter plus ambulatory against the patients of line 3) and shows the readout, with its letter
codes spelled out, in a report view from which it can be saved as text or PDF. Nothing is
stored: a request is a message for the radio, not a record.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from missiondesk.domain.coordinates import parse_location
from missiondesk.domain.errors import InvalidInput, MissionDeskError
from missiondesk.domain.markings import Sensitivity
from missiondesk.domain.medevac import (
    CBRN,
    EQUIPMENT,
    MARKING,
    NATIONALITY,
    PRECEDENCE,
    SECURITY,
    MedevacRequest,
)
from missiondesk.services.records import validate_model
from missiondesk.ui.dialog_buttons import action_buttons
from missiondesk.ui.feedback import InlineError
from missiondesk.ui.theme import MUTED_STYLE, scaled_font


def _spins(parent: QWidget, codes: dict[str, str]) -> tuple[QWidget, dict[str, QSpinBox]]:
    box = QWidget(parent)
    row = QHBoxLayout(box)
    row.setContentsMargins(0, 0, 0, 0)
    spins: dict[str, QSpinBox] = {}
    for code, meaning in codes.items():
        spin = QSpinBox(parent)
        spin.setRange(0, 99)
        spin.setPrefix(f"{code}: ")
        spin.setToolTip(f"{code} · {meaning}")
        spin.setAccessibleName(meaning)
        row.addWidget(spin)
        spins[code] = spin
    row.addStretch(1)
    return box, spins


def _checks(parent: QWidget, codes: dict[str, str]) -> tuple[QWidget, dict[str, QCheckBox]]:
    box = QWidget(parent)
    row = QHBoxLayout(box)
    row.setContentsMargins(0, 0, 0, 0)
    checks: dict[str, QCheckBox] = {}
    for code, meaning in codes.items():
        check = QCheckBox(f"{code} {meaning}", parent)
        row.addWidget(check)
        checks[code] = check
    row.addStretch(1)
    return box, checks


class MedevacDialog(QDialog):
    """Fills the nine lines; `prepare` hands a checked request to `on_request`."""

    def __init__(
        self,
        on_request: Callable[[MedevacRequest], None],
        *,
        location: str = "",
        incident: str = "",
        sensitivity: Sensitivity = Sensitivity.UNCLASSIFIED,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._on_request = on_request
        self._incident = incident
        self.setWindowTitle("MissionDesk: 9-line MEDEVAC request")
        self.resize(820, 700)
        title = QLabel("9-line MEDEVAC request", self)
        title.setFont(scaled_font(title, 1.3, bold=True))
        intro = QLabel(
            "Fill the lines in order; Prepare shows the readout for the radio, with each code "
            "spelled out. Hover a box for what its letter means.",
            self,
        )
        intro.setWordWrap(True)
        intro.setStyleSheet(MUTED_STYLE)

        body = QWidget(self)
        form = QFormLayout(body)
        self.location_edit = QLineEdit(location, self)
        self.location_edit.setPlaceholderText("MGRS, decimal degrees or DMS")
        form.addRow("&1 Pickup site:", self.location_edit)
        self.frequency_edit = QLineEdit(self)
        self.frequency_edit.setPlaceholderText("e.g. 45.500")
        self.callsign_edit = QLineEdit(self)
        self.callsign_edit.setPlaceholderText("e.g. BRAVO-2")
        radio = QWidget(self)
        radio_row = QHBoxLayout(radio)
        radio_row.setContentsMargins(0, 0, 0, 0)
        radio_row.addWidget(self.frequency_edit)
        radio_row.addWidget(QLabel("Callsign:", self))
        radio_row.addWidget(self.callsign_edit)
        form.addRow("&2 Frequency:", radio)
        patients, self.patients = _spins(self, PRECEDENCE)
        form.addRow("3 Patients by precedence:", patients)
        equipment, self.equipment = _checks(self, EQUIPMENT)
        self.equipment["A"].setChecked(True)
        form.addRow("4 Special equipment:", equipment)
        carried = QWidget(self)
        carried_row = QHBoxLayout(carried)
        carried_row.setContentsMargins(0, 0, 0, 0)
        self.litter_spin = QSpinBox(self)
        self.litter_spin.setPrefix("Litter: ")
        self.ambulatory_spin = QSpinBox(self)
        self.ambulatory_spin.setPrefix("Ambulatory: ")
        for spin in (self.litter_spin, self.ambulatory_spin):
            spin.setRange(0, 99)
            carried_row.addWidget(spin)
        carried_row.addStretch(1)
        form.addRow("5 Patients by type:", carried)
        self.peacetime_check = QCheckBox(
            "Peacetime lines 6 and 9 (wounds, terrain) instead of security and CBRN", self
        )
        self.peacetime_check.toggled.connect(self._on_peacetime)
        form.addRow("", self.peacetime_check)
        self.security_box = QComboBox(self)
        for code, meaning in SECURITY.items():
            self.security_box.addItem(f"{code} · {meaning}", code)
        self.wounds_edit = QLineEdit(self)
        self.wounds_edit.setPlaceholderText("Number and type of wounds, injuries, illness")
        self.line6 = QLabel("&6 Security at the site:", self)
        self.line6.setBuddy(self.security_box)
        six = QWidget(self)
        six_row = QHBoxLayout(six)
        six_row.setContentsMargins(0, 0, 0, 0)
        six_row.addWidget(self.security_box, 1)
        six_row.addWidget(self.wounds_edit, 1)
        form.addRow(self.line6, six)
        self.marking_box = QComboBox(self)
        for code, meaning in MARKING.items():
            self.marking_box.addItem(f"{code} · {meaning}", code)
        self.marking_box.setCurrentIndex(self.marking_box.findData("D"))
        self.marking_detail = QLineEdit(self)
        self.marking_detail.setPlaceholderText("e.g. green smoke")
        seven = QWidget(self)
        seven_row = QHBoxLayout(seven)
        seven_row.setContentsMargins(0, 0, 0, 0)
        seven_row.addWidget(self.marking_box, 1)
        seven_row.addWidget(self.marking_detail, 1)
        form.addRow("&7 Marking of the site:", seven)
        nationality, self.nationality = _spins(self, NATIONALITY)
        form.addRow("8 Nationality and status:", nationality)
        cbrn, self.cbrn = _checks(self, CBRN)
        self.cbrn_row = cbrn
        self.terrain_edit = QLineEdit(self)
        self.terrain_edit.setPlaceholderText("Terrain of the site: flat, sloped, obstacles")
        nine = QWidget(self)
        nine_row = QHBoxLayout(nine)
        nine_row.setContentsMargins(0, 0, 0, 0)
        nine_row.addWidget(cbrn, 1)
        nine_row.addWidget(self.terrain_edit, 1)
        self.line9 = QLabel("9 CBRN contamination:", self)
        form.addRow(self.line9, nine)
        self.sensitivity_box = QComboBox(self)
        for level in Sensitivity:
            self.sensitivity_box.addItem(level.label.title(), level.value)
        self.sensitivity_box.setCurrentIndex(self.sensitivity_box.findData(sensitivity.value))
        form.addRow("Sensiti&vity:", self.sensitivity_box)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(body)

        self.error = InlineError(self)
        buttons, self.prepare_button, _close = action_buttons(
            self, "&Prepare request", self.prepare, QDialogButtonBox.StandardButton.Close
        )
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(intro)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self._on_peacetime(False)
        (self.frequency_edit if location else self.location_edit).setFocus()

    @Slot(bool)
    def _on_peacetime(self, peacetime: bool) -> None:
        self.security_box.setVisible(not peacetime)
        self.wounds_edit.setVisible(peacetime)
        self.cbrn_row.setVisible(not peacetime)
        self.terrain_edit.setVisible(peacetime)
        self.line6.setText("&6 Wounds:" if peacetime else "&6 Security at the site:")
        self.line6.setBuddy(self.wounds_edit if peacetime else self.security_box)
        self.line9.setText("9 Terrain:" if peacetime else "9 CBRN contamination:")

    def values(self) -> dict[str, Any]:
        """The nine lines as the request model takes them (the location still as text)."""
        peacetime = self.peacetime_check.isChecked()
        return {
            "location": self.location_edit.text().strip(),
            "frequency": self.frequency_edit.text().strip(),
            "callsign": self.callsign_edit.text().strip(),
            "patients": {c: s.value() for c, s in self.patients.items() if s.value()},
            "equipment": tuple(c for c, b in self.equipment.items() if b.isChecked()) or ("A",),
            "litter": self.litter_spin.value(),
            "ambulatory": self.ambulatory_spin.value(),
            "security": None if peacetime else self.security_box.currentData(),
            "wounds": self.wounds_edit.text().strip() if peacetime else "",
            "marking": self.marking_box.currentData(),
            "marking_detail": self.marking_detail.text().strip(),
            "nationality": {c: s.value() for c, s in self.nationality.items() if s.value()},
            "cbrn": () if peacetime else tuple(c for c, b in self.cbrn.items() if b.isChecked()),
            "terrain": self.terrain_edit.text().strip() if peacetime else "",
            "peacetime": peacetime,
            "sensitivity": self.sensitivity_box.currentData(),
            "incident": self._incident,
        }

    @Slot()
    def prepare(self) -> None:
        """Check the lines; a refusal is said under the form and nothing typed is lost."""
        values = self.values()
        try:
            if not values["location"]:
                raise InvalidInput("Line 1 needs the pickup site (MGRS, decimal degrees or DMS).")
            values["location"] = parse_location(values["location"])
            request = validate_model(MedevacRequest, values, "MEDEVAC request")
        except MissionDeskError as exc:
            self.error.show_message(exc.message)
            return
        self.error.clear_message()
        self._on_request(request)
