"""The incident form: every field of an incident report, typed from the keyboard.

The form knows the fields and how officers type them; it does not save. `values()` gives what
was typed (DTGs and locations as text, parsed by the service), `show_errors` puts each refusal
under its field and keeps everything typed, and `edited` fires on every change so the page can
autosave the draft. Dates and locations are checked as they are typed, with a plain line under
the field saying what was understood.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from missiondesk.domain.coordinates import parse_location
from missiondesk.domain.dtg import format_dtg, parse_dtg
from missiondesk.domain.errors import MissionDeskError
from missiondesk.domain.markings import Sensitivity
from missiondesk.ui.feedback import InlineError
from missiondesk.ui.theme import MUTED_STYLE

SEVERITIES = {
    1: "1 · minor",
    2: "2 · moderate",
    3: "3 · serious",
    4: "4 · severe",
    5: "5 · critical",
}
RELIABILITY = {
    "A": "A · completely reliable",
    "B": "B · usually reliable",
    "C": "C · fairly reliable",
    "D": "D · not usually reliable",
    "E": "E · unreliable",
    "F": "F · reliability cannot be judged",
}
CREDIBILITY = {
    1: "1 · confirmed by other sources",
    2: "2 · probably true",
    3: "3 · possibly true",
    4: "4 · doubtful",
    5: "5 · improbable",
    6: "6 · truth cannot be judged",
}
CASUALTY_KINDS = (("killed", "Killed"), ("injured", "Injured"), ("missing", "Missing"))
CASUALTY_GROUPS = (
    ("civilians", "Civilians"),
    ("un_personnel", "UN personnel"),
    ("national_forces", "National forces"),
    ("others", "Others"),
)
NOT_A_DTG_YET = "Not a date-time group yet: DDHHMMZ MON YY, in UTC."
TEXT_FIELDS = (  # (field, label, placeholder, lines)
    ("perpetrators", "Perpetrators", "Who did it, as far as known", 2),
    ("narrative", "Narrative", "What happened, in order: who, what, where, when", 6),
    ("action_taken", "Action taken", "What was done, by whom", 3),
    ("assessment", "Assessment", "What it means; what may follow", 3),
)


def paragraph_edit(parent: QWidget, placeholder: str, lines: int) -> QPlainTextEdit:
    """A box for a paragraph, `lines` high, that Tab leaves: the keyboard never gets stuck."""
    edit = QPlainTextEdit(parent)
    edit.setPlaceholderText(placeholder)
    edit.setTabChangesFocus(True)
    edit.setFixedHeight(edit.fontMetrics().lineSpacing() * lines + 14)
    return edit


def dtg_explained(text: str) -> str | None:
    """A DTG as the officer reads it (UTC and local time); None when it is no DTG (yet)."""
    try:
        moment = parse_dtg(text)
    except MissionDeskError:
        return None
    return f"{moment:%d %b %Y %H:%M} UTC ({moment.astimezone():%H:%M %a %d %b} local time)"


class IncidentForm(QScrollArea):
    """Every field of one incident. Emits `edited` whenever the officer changes something."""

    edited = Signal()

    def __init__(self, categories: Mapping[str, str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFrameShape(QScrollArea.Shape.NoFrame)
        self._loading = False
        self.errors: dict[str, InlineError] = {}
        self.inputs: dict[str, QWidget] = {}
        body = QWidget(self)
        column = QVBoxLayout(body)
        column.setSpacing(12)
        self.required_note = QLabel("* needed to submit; a draft is kept without them.", self)
        self.required_note.setStyleSheet(MUTED_STYLE)
        column.addWidget(self.required_note)
        column.addWidget(self._what_group(categories))
        column.addWidget(self._where_group())
        column.addWidget(self._casualties_group())
        column.addWidget(self._details_group())
        column.addWidget(self._source_group())
        column.addWidget(self._related_group())
        column.addStretch(1)
        self._column = column
        self.setWidget(body)
        self._connect_edits()
        self.clear()

    # -- building ------------------------------------------------------------------------------

    def _row(
        self, form: QFormLayout, field: str, label: str, widget: QWidget, *, required: bool = False
    ) -> None:
        """A labelled input with its error line under it; the label's mnemonic focuses it;
        `required`: needed to submit (marked *, said to screen readers)."""
        holder = QWidget(self)
        stack = QVBoxLayout(holder)
        stack.setContentsMargins(0, 0, 0, 0)
        stack.setSpacing(2)
        stack.addWidget(widget)
        error = InlineError(holder)
        stack.addWidget(error)
        caption = QLabel(label.replace(":", " *:") if required else label, self)
        caption.setBuddy(widget)
        name = label.replace("&", "").rstrip(":")
        widget.setAccessibleName(f"{name} (required)" if required else name)
        form.addRow(caption, holder)
        self.inputs[field] = widget
        self.errors[field] = error

    def _hint(self, form: QFormLayout, name: str) -> QLabel:
        hint = QLabel(self)
        hint.setStyleSheet(MUTED_STYLE)
        hint.setTextFormat(Qt.TextFormat.PlainText)
        hint.setAccessibleName(name)
        form.addRow("", hint)
        return hint

    def _what_group(self, categories: Mapping[str, str]) -> QGroupBox:
        box = QGroupBox("What and when", self)
        form = QFormLayout(box)
        self.title_edit = QLineEdit(self)
        self.title_edit.setMaxLength(200)
        self.title_edit.setPlaceholderText("One line: what happened, where")
        self._row(form, "title", "&Title:", self.title_edit, required=True)
        self.category_box = QComboBox(self)
        self.set_categories(categories)
        self._row(form, "category", "Cate&gory:", self.category_box, required=True)
        self.severity_box = QComboBox(self)
        for value, label in SEVERITIES.items():
            self.severity_box.addItem(label, value)
        self._row(form, "severity", "Se&verity:", self.severity_box, required=True)
        self.occurred_edit = QLineEdit(self)
        self.occurred_edit.setPlaceholderText("DTG, e.g. 011130Z DEC 26")
        self._row(form, "occurred", "&Occurred (DTG):", self.occurred_edit, required=True)
        self.occurred_hint = self._hint(form, "Occurred, as understood")
        self.reported_label = QLabel(self)
        self.reported_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form.addRow("Reported:", self.reported_label)
        self.sensitivity_box = QComboBox(self)
        for level in Sensitivity:
            self.sensitivity_box.addItem(level.label.title(), level)
        self._row(form, "sensitivity", "Sens&itivity:", self.sensitivity_box)
        return box

    def _where_group(self) -> QGroupBox:
        box = QGroupBox("Where", self)
        form = QFormLayout(box)
        self.location_edit = QLineEdit(self)
        self.location_edit.setPlaceholderText(
            "MGRS (36N UL 44753 36243), decimal (34.5123, 69.1234) or DMS"
        )
        self._row(form, "location", "&Location:", self.location_edit)
        self.location_hint = self._hint(form, "Location, as understood")
        self.place_edit = QLineEdit(self)
        self.place_edit.setMaxLength(200)
        self.place_edit.setPlaceholderText("Village, road, landmark")
        self._row(form, "place", "&Place name:", self.place_edit)
        return box

    def _casualties_group(self) -> QGroupBox:
        box = QGroupBox("Casualties", self)
        grid = QGridLayout(box)
        self.casualty_spins: dict[tuple[str, str], QSpinBox] = {}
        for col, (_group, label) in enumerate(CASUALTY_GROUPS, start=1):
            grid.addWidget(QLabel(label, self), 0, col)
        for row, (kind, kind_label) in enumerate(CASUALTY_KINDS, start=1):
            grid.addWidget(QLabel(kind_label, self), row, 0)
            for col, (group, group_label) in enumerate(CASUALTY_GROUPS, start=1):
                spin = QSpinBox(self)
                spin.setRange(0, 100_000)
                spin.setAccessibleName(f"{kind_label}, {group_label.lower()}")
                grid.addWidget(spin, row, col)
                self.casualty_spins[(kind, group)] = spin
        self.casualties_error = InlineError(self)
        grid.addWidget(self.casualties_error, len(CASUALTY_KINDS) + 1, 0, 1, 5)
        self.errors["casualties"] = self.casualties_error
        return box

    def _details_group(self) -> QGroupBox:
        box = QGroupBox("Details", self)
        form = QFormLayout(box)
        self.text_edits: dict[str, QPlainTextEdit] = {}
        for field, label, placeholder, lines in TEXT_FIELDS:
            edit = paragraph_edit(self, placeholder, lines)
            self._row(form, field, f"{label}:", edit)
            self.text_edits[field] = edit
        return box

    def _source_group(self) -> QGroupBox:
        box = QGroupBox("Source", self)
        form = QFormLayout(box)
        self.source_edit = QLineEdit(self)
        self.source_edit.setMaxLength(500)
        self.source_edit.setPlaceholderText("Who told us, or how we know")
        self._row(form, "source", "Sour&ce:", self.source_edit)
        self.reliability_box = QComboBox(self)
        self.reliability_box.addItem("Not graded", None)
        for value, label in RELIABILITY.items():
            self.reliability_box.addItem(label, value)
        self._row(form, "source_reliability", "Source reliabilit&y:", self.reliability_box)
        self.credibility_box = QComboBox(self)
        self.credibility_box.addItem("Not graded", None)
        for number, label in CREDIBILITY.items():
            self.credibility_box.addItem(label, number)
        self._row(form, "source_credibility", "Information cre&dibility:", self.credibility_box)
        return box

    def _related_group(self) -> QGroupBox:
        box = QGroupBox("Related incidents", self)
        layout = QVBoxLayout(box)
        self.related_list = QListWidget(self)
        self.related_list.setAccessibleName("Related incidents")
        self.related_list.setMaximumHeight(self.fontMetrics().lineSpacing() * 6 + 10)
        layout.addWidget(self.related_list)
        self.related_empty = QLabel("No other incidents yet.", self)
        self.related_empty.setStyleSheet(MUTED_STYLE)
        layout.addWidget(self.related_empty)
        self.errors["related"] = InlineError(self)
        layout.addWidget(self.errors["related"])
        return box

    def _connect_edits(self) -> None:
        for edit in (self.title_edit, self.occurred_edit, self.location_edit, self.place_edit):
            edit.textChanged.connect(self._on_edited)
        self.source_edit.textChanged.connect(self._on_edited)
        for box in (
            self.category_box,
            self.severity_box,
            self.sensitivity_box,
            self.reliability_box,
            self.credibility_box,
        ):
            box.currentIndexChanged.connect(self._on_edited)
        for spin in self.casualty_spins.values():
            spin.valueChanged.connect(self._on_edited)
        for text in self.text_edits.values():
            text.textChanged.connect(self._on_edited)
        self.related_list.itemChanged.connect(self._on_edited)
        self.occurred_edit.textChanged.connect(self._explain_occurred)
        self.location_edit.textChanged.connect(self._explain_location)

    def add_section(self, widget: QWidget) -> None:
        """A part the window adds below the fields (files, history): it scrolls with them."""
        self._column.insertWidget(self._column.count() - 1, widget)

    # -- reading and filling -------------------------------------------------------------------

    def set_categories(self, categories: Mapping[str, str]) -> None:
        """The mission's taxonomy: slug -> label. Keeps the chosen one if it still exists."""
        current = self.category_box.currentData()
        self.category_box.blockSignals(True)
        self.category_box.clear()
        for slug, label in categories.items():
            self.category_box.addItem(label, slug)
        found = self.category_box.findData(current)
        self.category_box.setCurrentIndex(max(found, 0))
        self.category_box.blockSignals(False)

    def set_related_choices(self, choices: Sequence[tuple[str, str]]) -> None:
        """Other incidents the officer may tick: (id, label), newest first."""
        ticked = set(self.related_ids())
        self._loading = True
        self.related_list.clear()
        for incident_id, label in choices:
            item = QListWidgetItem(label, self.related_list)
            item.setData(Qt.ItemDataRole.UserRole, incident_id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            checked = incident_id in ticked
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
        self.related_empty.setVisible(not choices)
        self._loading = False

    def related_ids(self) -> list[str]:
        found = []
        for row in range(self.related_list.count()):
            item = self.related_list.item(row)
            if item.checkState() == Qt.CheckState.Checked:
                found.append(str(item.data(Qt.ItemDataRole.UserRole)))
        return found

    def values(self) -> dict[str, Any]:
        """What was typed, keyed by the incident's field names. `occurred` and `location` stay
        text (the service parses them and says what is wrong)."""
        spins = self.casualty_spins
        casualties = {
            kind: {group: spins[(kind, group)].value() for group, _ in CASUALTY_GROUPS}
            for kind, _ in CASUALTY_KINDS
        }
        return {
            "title": self.title_edit.text().strip(),
            "category": self.category_box.currentData(),
            "severity": self.severity_box.currentData(),
            "occurred": self.occurred_edit.text().strip(),
            "sensitivity": Sensitivity(self.sensitivity_box.currentData()),
            "location": self.location_edit.text().strip(),
            "place": self.place_edit.text().strip(),
            "casualties": casualties,
            **{field: edit.toPlainText().strip() for field, edit in self.text_edits.items()},
            "source": self.source_edit.text().strip(),
            "source_reliability": self.reliability_box.currentData(),
            "source_credibility": self.credibility_box.currentData(),
            "related": self.related_ids(),
        }

    def set_values(self, values: Mapping[str, Any], *, reported: datetime | None = None) -> None:
        """Fill the form (an incident or a draft being resumed) without raising `edited`."""
        self._loading = True
        try:
            self.title_edit.setText(str(values.get("title", "")))
            self._choose(self.category_box, values.get("category"))
            self._choose(self.severity_box, values.get("severity", 3))
            occurred = values.get("occurred", "")
            if isinstance(occurred, datetime):
                occurred = format_dtg(occurred)
            self.occurred_edit.setText(str(occurred))
            self._choose(self.sensitivity_box, values.get("sensitivity", Sensitivity.UNCLASSIFIED))
            self.location_edit.setText(str(values.get("location", "")))
            self.place_edit.setText(str(values.get("place", "")))
            casualties = values.get("casualties") or {}
            for (kind, group), spin in self.casualty_spins.items():
                spin.setValue(int((casualties.get(kind) or {}).get(group, 0)))
            for field, edit in self.text_edits.items():
                edit.setPlainText(str(values.get(field, "")))
            self.source_edit.setText(str(values.get("source", "")))
            self._choose(self.reliability_box, values.get("source_reliability"))
            self._choose(self.credibility_box, values.get("source_credibility"))
            related = set(values.get("related") or ())
            for row in range(self.related_list.count()):
                item = self.related_list.item(row)
                checked = item.data(Qt.ItemDataRole.UserRole) in related
                item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
            if reported is None:
                self.reported_label.setText("Set when the report is first saved")
            else:
                self.reported_label.setText(format_dtg(reported))
        finally:
            self._loading = False
        self.clear_errors()

    def clear(self) -> None:
        """An empty report: occurred now, severity 3, Unclassified."""
        self.set_values({"occurred": datetime.now(UTC), "severity": 3})

    @staticmethod
    def _choose(box: QComboBox, data: object) -> None:
        found = box.findData(data)
        box.setCurrentIndex(found if found >= 0 else 0)

    # -- errors --------------------------------------------------------------------------------

    def show_errors(self, errors: Mapping[str, str]) -> None:
        """Each refusal under its field (unknown fields under the title); focus the first."""
        self.clear_errors()
        first: QWidget | None = None
        for field, message in errors.items():
            key = field.split(".")[0]
            line = self.errors.get(key, self.errors["title"])
            line.show_message(f"{line.text()} {message}".strip())
            if first is None:
                first = self.inputs.get(key) or self._first_casualty(key)
        if first is not None:
            first.setFocus(Qt.FocusReason.OtherFocusReason)
            self.ensureWidgetVisible(first)

    def _first_casualty(self, key: str) -> QWidget | None:
        return next(iter(self.casualty_spins.values())) if key == "casualties" else None

    def clear_errors(self) -> None:
        for line in self.errors.values():
            line.clear_message()

    def error_text(self, field: str) -> str:
        line = self.errors.get(field)
        return line.text() if line is not None and line.isVisible() else ""

    # -- live feedback -------------------------------------------------------------------------

    @Slot()
    def _on_edited(self) -> None:
        if not self._loading:
            self.edited.emit()

    @Slot(str)
    def _explain_occurred(self, text: str) -> None:
        if not text.strip():
            self.occurred_hint.setText("Required: when it happened, as a DTG in UTC.")
            return
        self.occurred_hint.setText(dtg_explained(text) or NOT_A_DTG_YET)

    @Slot(str)
    def _explain_location(self, text: str) -> None:
        if not text.strip():
            self.location_hint.setText("Optional. MGRS, decimal degrees or DMS.")
            return
        try:
            where = parse_location(text)
        except MissionDeskError:
            self.location_hint.setText("Not a location yet: MGRS, decimal degrees or DMS.")
            return
        self.location_hint.setText(f"MGRS {where.mgrs} · {where.lat:.5f}, {where.lon:.5f}")
