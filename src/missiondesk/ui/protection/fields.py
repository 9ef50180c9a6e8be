"""Labelled inputs with their refusal under each, for the Personnel section's dialogs.

A refusal (`InvalidFields`) names dotted fields (``route.1``, ``people.0``); each goes under the
input of its first part, the first such input takes the focus, and nothing typed is touched.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TypeVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from missiondesk.domain.errors import InvalidFields
from missiondesk.ui.feedback import InlineError
from missiondesk.ui.tasks import Failure
from missiondesk.ui.theme import MUTED_STYLE


class FieldRows:
    """Rows of a QFormLayout, each an input with an error line under it (hidden while empty).
    Refusals for fields no row has go to the `general` line."""

    def __init__(self, owner: QWidget, form: QFormLayout, general: InlineError) -> None:
        self._owner = owner
        self._form = form
        self.general = general
        self.inputs: dict[str, QWidget] = {}
        self.errors: dict[str, InlineError] = {}
        self.required_note: QLabel | None = None  # "* required", with the first such row

    def add(
        self,
        field: str,
        label: str,
        widget: QWidget,
        *,
        hint: QLabel | None = None,
        required: bool = False,
    ) -> None:
        """`label` carries the mnemonic (``&Title:``) that focuses `widget`; `required` marks
        it * (and says so to screen readers), with a line at the top of the form saying what
        * means."""
        holder = QWidget(self._owner)
        stack = QVBoxLayout(holder)
        stack.setContentsMargins(0, 0, 0, 0)
        stack.setSpacing(2)
        stack.addWidget(widget)
        if hint is not None:
            stack.addWidget(hint)
        error = InlineError(holder)
        stack.addWidget(error)
        caption = QLabel(label.replace(":", " *:") if required else label, self._owner)
        caption.setBuddy(widget)
        name = label.replace("&", "").rstrip(":")
        widget.setAccessibleName(f"{name} (required)" if required else name)
        if required and self.required_note is None:
            self.required_note = QLabel("* required", self._owner)
            self.required_note.setStyleSheet(MUTED_STYLE)
            self._form.insertRow(0, self.required_note)
        self._form.addRow(caption, holder)
        self.inputs[field] = widget
        self.errors[field] = error

    def alias(self, field: str, to: str) -> None:
        """Refusals of `field` (``escalation``, or ``value`` for the record as a whole) go
        under the input of `to`."""
        self.inputs[field] = self.inputs[to]
        self.errors[field] = self.errors[to]

    def show_errors(
        self, errors: Mapping[str, str], *, names: Mapping[str, str] | None = None
    ) -> None:
        """Each refusal under its field; `names` says how a dotted part reads (``route`` ->
        ``line``), so ``route.1`` shows as "line 2: ...". Focus goes to the first."""
        self.clear()
        names = names or {}
        first: QWidget | None = None
        shown: dict[InlineError, list[str]] = {}
        for field, message in errors.items():
            key, _, rest = field.partition(".")
            line = self.errors.get(key, self.general)
            text = message
            if rest.split(".")[0].isdigit() and key in names:
                text = f"{names[key]} {int(rest.split('.')[0]) + 1}: {message}"
            elif line is self.general and key not in self.errors and field:
                text = f"{field.replace('_', ' ')}: {message}"
            shown.setdefault(line, []).append(text)
            if first is None:
                first = self.inputs.get(key)
        for line, texts in shown.items():
            line.show_message(" ".join(t[:1].upper() + t[1:] + ("" if t.endswith(".") else ".")
                                        for t in texts))  # fmt: skip
        if first is not None:
            first.setFocus(Qt.FocusReason.OtherFocusReason)

    def clear(self) -> None:
        self.general.clear_message()
        for line in self.errors.values():
            line.clear_message()

    def error_text(self, field: str) -> str:
        """The refusal shown under a field ("" if none)."""
        line = self.errors.get(field, self.general)
        return line.text() if not line.isHidden() else ""


def hint_label(parent: QWidget, name: str) -> QLabel:
    """A muted line under an input saying what was understood."""
    hint = QLabel(parent)
    hint.setStyleSheet(MUTED_STYLE)
    hint.setTextFormat(Qt.TextFormat.PlainText)
    hint.setWordWrap(True)
    hint.setAccessibleName(name)
    return hint


def wipe(widget: QWidget) -> None:
    """Empty every input under `widget` (a dialog closing at lock: nothing typed stays in a
    widget waiting to be deleted)."""
    for line in widget.findChildren(QLineEdit):
        line.clear()
    for text in widget.findChildren(QPlainTextEdit):
        text.clear()
    for names in widget.findChildren(QListWidget):
        names.clear()
    for label in widget.findChildren(QLabel):
        if label.buddy() is None:
            label.clear()


class FieldsDialog(QDialog):
    """A dialog of `FieldRows` whose answer comes back from the vault thread. A refusal goes
    under its fields (nothing typed is touched) and gives the submit button back; at lock the
    dialog goes at once, emptied, and an answer still on its way is dropped (`_gone`).

    Subclasses set `rows`, `general_error` and `submit_button`, and may spread the fields of
    a refusal over more than one set of rows (`show_field_errors`)."""

    rows: FieldRows
    general_error: InlineError
    submit_button: QPushButton

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._gone = False

    def show_field_errors(self, fields: Mapping[str, str]) -> None:
        self.rows.show_errors(fields)

    def _refused(self, failure: Failure) -> None:
        if self._gone:
            return
        self.submit_button.setEnabled(True)
        if isinstance(failure.error, InvalidFields):
            self.show_field_errors(failure.error.fields())
        else:
            self.general_error.show_message(failure.message)

    def close_for_lock(self) -> None:
        self._gone = True
        wipe(self)
        self.done(0)
        self.close()


D = TypeVar("D", bound=FieldsDialog)


class OpenDialogs(list[D]):
    """The dialogs a page has open (not modal): opened in front, forgotten once closed, and
    all closed at once at lock."""

    def bring_to_front(self, wanted: Callable[[D], bool] = lambda _dialog: True) -> bool:
        """Raise the first open dialog `wanted` accepts; whether there was one."""
        for dialog in self:
            if wanted(dialog):
                dialog.raise_()
                dialog.activateWindow()
                return True
        return False

    def open(self, dialog: D) -> None:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.destroyed.connect(lambda: self._forget(dialog))
        self.append(dialog)
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()

    def _forget(self, dialog: D) -> None:
        if dialog in self:
            self.remove(dialog)

    def close_for_lock(self) -> None:
        for dialog in list(self):
            dialog.close_for_lock()
        self.clear()
