"""The SITREP's form: its period as DTGs the officer can change (the filter's, or the last 24
hours), the area the filter gives, the level to mark it at least, and the paragraphs only the
officer can write: logistics, communications, assessment and next steps.

The figures (incidents, movements, personnel and headcount, the last syncs) are read from the
vault when the report is prepared. **Prepare SITREP** (Enter in a one-line field, Ctrl+Enter
anywhere, a paragraph included) hands a `SitrepRequest` on; the page prepares the report on the
vault thread and shows it in a report view, and the form stays open to change a paragraph and
prepare again. Esc closes it. Nothing typed here is stored: a SITREP is a message that leaves
the laptop, not a record.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from itertools import pairwise

from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from missiondesk.domain.dtg import format_dtg, parse_dtg
from missiondesk.domain.errors import InvalidInput, MissionDeskError
from missiondesk.domain.markings import Sensitivity
from missiondesk.ui.dialog_buttons import action_buttons
from missiondesk.ui.feedback import InlineError
from missiondesk.ui.incidents.form import NOT_A_DTG_YET, dtg_explained, paragraph_edit
from missiondesk.ui.theme import MUTED_STYLE, muted_label, scaled_font

PARAGRAPHS = (  # field, label, placeholder, lines shown
    ("logistics", "L&ogistics:", "Supplies, fuel, water, rations, vehicles; what is short", 3),
    ("communications", "Co&mmunications:",
     "Radio nets, relays, what is down. This laptop's last syncs with peers are added.", 3),
    ("assessment", "&Assessment:", "What the situation means and where it is going", 4),
    ("next_steps", "&Next steps:", "What is planned next, what is asked of headquarters", 3),
)  # fmt: skip


@dataclass(frozen=True)
class SitrepRequest:
    """What the officer gave for one SITREP."""

    start: datetime
    end: datetime
    floor: Sensitivity
    logistics: str
    communications: str
    assessment: str
    next_steps: str


class SitrepDialog(QDialog):
    """Fills the SITREP's period and paragraphs; `prepare` hands a checked request to
    `on_request`, and `prepared` or `refused` says how it went."""

    def __init__(
        self,
        on_request: Callable[[SitrepRequest], None],
        *,
        start: datetime,
        end: datetime,
        area: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._on_request = on_request
        self.setWindowTitle("MissionDesk: SITREP")
        title = QLabel("SITREP - situation report", self)
        title.setFont(scaled_font(title, 1.3, bold=True))
        intro = muted_label(
            "Incidents, movements, personnel and headcount come from the vault for this "
            "period. Write what only you know; an empty paragraph is read as NIL. Enter (or "
            "Ctrl+Enter in a paragraph) prepares the report to read out or save.",
            self,
        )

        form = QFormLayout()
        self.from_edit = QLineEdit(format_dtg(start), self)
        self.to_edit = QLineEdit(format_dtg(end), self)
        self.from_hint = muted_label("", self)
        self.to_hint = muted_label("", self)
        for dtg_edit, hint, label in (
            (self.from_edit, self.from_hint, "&From (DTG):"),
            (self.to_edit, self.to_hint, "&To (DTG):"),
        ):
            dtg_edit.setPlaceholderText("DTG, e.g. 011130Z DEC 26")
            dtg_edit.textChanged.connect(lambda text, h=hint: self._explain(text, h))
            self._explain(dtg_edit.text(), hint)
            box = QWidget(self)
            column = QVBoxLayout(box)
            column.setContentsMargins(0, 0, 0, 0)
            column.setSpacing(2)
            column.addWidget(dtg_edit)
            column.addWidget(hint)
            dtg_caption = QLabel(label, self)
            dtg_caption.setBuddy(dtg_edit)
            form.addRow(dtg_caption, box)
        self.area_label = QLabel(area, self)
        self.area_label.setTextFormat(Qt.TextFormat.PlainText)
        self.area_label.setWordWrap(True)
        self.area_label.setAccessibleName(f"Area: {area}")
        form.addRow("Area (the filter's):", self.area_label)
        self.sensitivity_box = QComboBox(self)
        for level in Sensitivity:
            self.sensitivity_box.addItem(level.label.title(), level.value)
        self.sensitivity_box.setToolTip(
            "The report is marked with the highest level of what it lists, or this if higher"
        )
        form.addRow("Mark at l&east:", self.sensitivity_box)
        self.paragraphs: dict[str, QPlainTextEdit] = {}
        for field, label, placeholder, lines in PARAGRAPHS:
            edit = paragraph_edit(self, placeholder, lines)
            edit.setAccessibleName(label.replace("&", "").rstrip(":"))
            caption = QLabel(label, self)
            caption.setBuddy(edit)
            form.addRow(caption, edit)
            self.paragraphs[field] = edit

        self.error = InlineError(self)
        self.state_line = QLabel(self)
        self.state_line.setStyleSheet(MUTED_STYLE)
        self.state_line.setTextFormat(Qt.TextFormat.PlainText)
        buttons, self.prepare_button, self.close_button = action_buttons(
            self, "&Prepare SITREP", self.prepare, QDialogButtonBox.StandardButton.Close
        )
        self.prepare_button.setToolTip("Prepare the report (Enter, Ctrl+Enter)")
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.activated.connect(self.prepare)

        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addStretch(1)
        layout.addWidget(self.error)
        layout.addWidget(self.state_line)
        layout.addWidget(buttons)

        order: list[QWidget] = [
            self.from_edit, self.to_edit, self.sensitivity_box, *self.paragraphs.values(),
            self.prepare_button, self.close_button,
        ]  # fmt: skip
        for first, second in pairwise(order):
            QWidget.setTabOrder(first, second)
        self.resize(720, self.sizeHint().height())
        self.paragraphs["logistics"].setFocus()  # the period is usually right as it stands

    @staticmethod
    def _explain(text: str, hint: QLabel) -> None:
        hint.setText(dtg_explained(text) or NOT_A_DTG_YET)

    def request(self) -> SitrepRequest:
        """What the form says, checked (InvalidInput naming the field otherwise)."""
        moments = []
        for name, edit in (("From", self.from_edit), ("To", self.to_edit)):
            try:
                moments.append(parse_dtg(edit.text()))
            except MissionDeskError as exc:
                edit.setFocus()
                raise InvalidInput(f"{name}: {exc.message}") from None
        start, end = moments
        if start >= end:
            self.to_edit.setFocus()
            raise InvalidInput("The period ends before it starts: To must come after From.")
        texts = {field: edit.toPlainText().strip() for field, edit in self.paragraphs.items()}
        return SitrepRequest(start, end, Sensitivity(self.sensitivity_box.currentData()), **texts)

    @Slot()
    def prepare(self) -> None:
        """Check the period and hand the request on; a refusal is said under the form and
        nothing typed is lost."""
        if not self.prepare_button.isEnabled():
            return  # one SITREP at a time
        try:
            request = self.request()
        except MissionDeskError as exc:
            self.error.show_message(exc.message)
            return
        self.error.clear_message()
        self.prepare_button.setEnabled(False)
        self.state_line.setText("Preparing the SITREP…")
        self._on_request(request)

    def prepared(self) -> None:
        """The report was prepared (and is shown): the form may prepare another."""
        self.prepare_button.setEnabled(True)
        self.state_line.setText("Prepared: the report is shown in its own window.")

    def refused(self, message: str) -> None:
        self.prepare_button.setEnabled(True)
        self.state_line.setText("")
        self.error.show_message(message)
