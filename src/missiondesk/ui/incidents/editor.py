"""One incident in its own window: the form, its workflow, its history, its files, its INCREP.

A new report is a draft from the first keystroke: the form autosaves it (1.5 s after the last
change, and when the window closes), so nothing typed at an outpost is lost to a flat battery.
A submitted report is changed with Save, which checks the whole report. Verified and closed
reports are locked until sent back to draft with a reason. Every call runs on the vault thread.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtGui import QCloseEvent, QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from missiondesk.domain.dtg import format_dtg
from missiondesk.domain.errors import InvalidFields
from missiondesk.domain.records.incidents import IncidentStatus
from missiondesk.services.attachments import NewAttachment
from missiondesk.services.incidents import IncidentDetail, IncidentService
from missiondesk.ui.choosers import FilesChooser, ask_text
from missiondesk.ui.feedback import InlineError
from missiondesk.ui.incidents.form import IncidentForm
from missiondesk.ui.tasks import Failure, TaskRunner
from missiondesk.ui.theme import MUTED_STYLE, badge_style, scaled_font

AUTOSAVE_MS = 1500
STATUS_COLOURS = {
    IncidentStatus.DRAFT: "#6b7280",
    IncidentStatus.SUBMITTED: "#1565c0",
    IncidentStatus.VERIFIED: "#2e7d32",
    IncidentStatus.CLOSED: "#37474f",
}
STEP_LABELS = {
    IncidentStatus.SUBMITTED: "Su&bmit",
    IncidentStatus.VERIFIED: "V&erify",
    IncidentStatus.CLOSED: "Close i&ncident",
    IncidentStatus.DRAFT: "Back to dr&aft…",
}


def draft_values(values: Mapping[str, Any]) -> dict[str, Any]:
    """What a draft sends: fields left empty are not sent (a draft may lack them)."""
    return {k: v for k, v in values.items() if not (k == "occurred" and v == "")}


class IncidentDialog(QDialog):
    """Shows and edits one incident. Emits `saved(incident_id)` after every save or step."""

    saved = Signal(str)
    report_requested = Signal(str)  # the incident id: the page shows its INCREP
    medevac_requested = Signal()  # the page opens the 9-line form for this incident

    def __init__(
        self,
        incidents: IncidentService,
        tasks: TaskRunner,
        categories: Mapping[str, str],
        *,
        detail: IncidentDetail | None = None,
        related: Sequence[tuple[str, str]] = (),
        choose_files: FilesChooser | None = None,
        ask_reason: Callable[[QWidget, str], str | None] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._incidents = incidents
        self._tasks = tasks
        self._choose_files = choose_files
        self._ask_reason = ask_reason or ask_text
        self.detail = detail
        self.incident_id = detail.id if detail is not None else None
        self._edits = 0  # changes typed; `_saved_edits` of them are in the vault
        self._saved_edits = 0
        self._saving = False
        self._closing = False
        self._gone = False  # locked away: answers still on their way are dropped
        # The id as the vault thread knows it: a save queued behind the one that creates the
        # draft reads it there, so a draft is never made twice.
        self._id_box: list[str | None] = [self.incident_id]
        self._pending_files: list[NewAttachment] = []
        self.setWindowTitle("MissionDesk: incident")
        self.resize(760, 820)

        self.heading = QLabel(self)
        self.heading.setFont(scaled_font(self.heading, 1.3, bold=True))
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        self.status_badge = QLabel(self)
        self.state_line = QLabel(self)  # "Draft saved at 011131Z DEC 26", "Still needed: ..."
        self.state_line.setStyleSheet(MUTED_STYLE)
        self.state_line.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(self.heading, 1)
        top.addWidget(self.status_badge)

        self.form = IncidentForm(categories, self)
        self.form.set_related_choices([c for c in related if c[0] != self.incident_id])
        self.form.edited.connect(self._on_edited)

        self.files_list = QListWidget(self)
        self.files_list.setAccessibleName("Attached files")
        self.files_list.setMaximumHeight(self.fontMetrics().lineSpacing() * 4 + 10)
        self.attach_button = QPushButton("Attac&h files…", self)
        self.attach_button.clicked.connect(self._on_attach)
        self.history_list = QListWidget(self)
        self.history_list.setAccessibleName("History")
        self.history_list.setMaximumHeight(self.fontMetrics().lineSpacing() * 4 + 10)
        files_box = QGroupBox("Files (kept encrypted in the vault)", self)
        files_column = QVBoxLayout(files_box)
        files_column.addWidget(self.files_list)
        files_column.addWidget(self.attach_button, 0, Qt.AlignmentFlag.AlignLeft)
        history_box = QGroupBox("History", self)
        QVBoxLayout(history_box).addWidget(self.history_list)
        self.form.add_section(files_box)
        self.form.add_section(history_box)

        self.error = InlineError(self)
        self.save_button = QPushButton("&Save", self)
        self.save_button.setToolTip("Save (Ctrl+S)")
        self.save_button.clicked.connect(self.save_now)
        self.step_buttons: dict[IncidentStatus, QPushButton] = {}
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        for status, label in STEP_LABELS.items():
            button = QPushButton(label, self)
            button.clicked.connect(lambda _=False, s=status: self.step(s))
            buttons.addWidget(button)
            self.step_buttons[status] = button
        self.report_button = QPushButton("INC&REP…", self)
        self.report_button.setToolTip("The incident report as it goes out: text or PDF")
        self.report_button.clicked.connect(self._on_report)
        buttons.addWidget(self.report_button)
        self.medevac_button = QPushButton("&MEDEVAC…", self)
        self.medevac_button.setToolTip("A 9-line MEDEVAC request from this incident's site")
        self.medevac_button.clicked.connect(self.medevac_requested)
        buttons.addWidget(self.medevac_button)
        buttons.addStretch(1)
        self.close_button = QPushButton("Close", self)
        self.close_button.clicked.connect(self.close)
        buttons.addWidget(self.close_button)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.state_line)
        layout.addWidget(self.form, 1)
        layout.addWidget(self.error)
        layout.addLayout(buttons)

        save_keys = QShortcut(QKeySequence(QKeySequence.StandardKey.Save), self)
        save_keys.activated.connect(self.save_now)
        submit_keys = QShortcut(QKeySequence("Ctrl+Return"), self)
        submit_keys.activated.connect(self._submit_shortcut)
        self._autosave = QTimer(self)
        self._autosave.setSingleShot(True)
        self._autosave.setInterval(AUTOSAVE_MS)
        self._autosave.timeout.connect(self._on_autosave)
        self._show_detail(detail)
        self.form.title_edit.setFocus()

    # -- what the window shows -------------------------------------------------------------------

    @property
    def status(self) -> IncidentStatus:
        return self.detail.status if self.detail is not None else IncidentStatus.DRAFT

    @property
    def is_dirty(self) -> bool:
        return self._edits != self._saved_edits or bool(self._pending_files)

    def _show_detail(self, detail: IncidentDetail | None) -> None:
        self.detail = detail
        if detail is None:
            self.heading.setText("New incident")
            self.form.clear()
            self.state_line.setText("A draft: saved as you type. Submit it when it is complete.")
        else:
            fields = dict(detail.fields)
            location = fields.get("location") or {}
            fields["location"] = location.get("mgrs") or (
                f"{location['lat']:.5f}, {location['lon']:.5f}" if "lat" in location else ""
            )
            fields["place"] = location.get("place", "")
            if detail.incident is not None:
                fields["occurred"] = detail.incident.occurred
            reported = detail.incident.reported if detail.incident is not None else None
            self.form.set_values(fields, reported=reported)
            self.heading.setText(str(fields.get("title") or "Untitled draft"))
            self._explain_state()
        self._show_lists()
        self._enable()

    def _explain_state(self) -> None:
        detail = self.detail
        if detail is None:
            return
        if detail.status is IncidentStatus.DRAFT and detail.missing:
            needed = ", ".join(name.replace("_", " ") for name in detail.missing)
            self.state_line.setText(
                f"A draft, saved. Still needed before it can be submitted: {needed}."
            )
        elif detail.status is IncidentStatus.DRAFT:
            self.state_line.setText("A draft, saved and complete: Submit sends it for review.")
        elif not detail.editable:
            self.state_line.setText(
                f"This incident is {detail.status.value}: locked. Back to draft (with a reason) "
                "makes it editable again."
                if detail.status in (IncidentStatus.VERIFIED, IncidentStatus.CLOSED)
                else f"This incident is {detail.status.value}; your role cannot change it."
            )
        else:
            self.state_line.setText(
                f"This incident is {detail.status.value}: Save checks the whole report."
            )

    def _show_lists(self) -> None:
        status = self.status
        self.status_badge.setText(status.value.capitalize())
        self.status_badge.setStyleSheet(badge_style(QColor(STATUS_COLOURS[status])))
        self.status_badge.setAccessibleName(f"Status: {status.value}")
        self.files_list.clear()
        for info in self.detail.attachments if self.detail is not None else ():
            self.files_list.addItem(f"{info.name} · {info.size_text}")
        for new in self._pending_files:
            self.files_list.addItem(f"{new.name} · {new.size_text} (saved with the next save)")
        self.history_list.clear()
        for step in self.detail.history if self.detail is not None else ():
            reason = f": {step.reason}" if step.reason else ""
            self.history_list.addItem(
                f"{format_dtg(step.at)} · {step.source.value} → {step.target.value} "
                f"by {step.by}{reason}"
            )
        if self.history_list.count() == 0:
            self.history_list.addItem("Not submitted yet.")

    def _enable(self) -> None:
        detail = self.detail
        editable = detail is None or detail.editable
        body = self.form.widget()
        if body is not None:
            body.setEnabled(editable and not self._saving)
        self.attach_button.setEnabled(editable and self._choose_files is not None)
        self.save_button.setEnabled(editable and not self._saving)
        steps = set(detail.next_steps) if detail is not None else {IncidentStatus.SUBMITTED}
        for status, button in self.step_buttons.items():
            button.setVisible(status in steps)
            button.setEnabled(not self._saving)
        self.report_button.setEnabled(detail is not None and detail.incident is not None)
        self.medevac_button.setEnabled(detail is not None)

    # -- saving ----------------------------------------------------------------------------------

    @Slot()
    def _on_edited(self) -> None:
        self._edits += 1
        if self.status is IncidentStatus.DRAFT:
            self._autosave.start()

    @Slot()
    def _on_autosave(self) -> None:
        if self.is_dirty and self.status is IncidentStatus.DRAFT:
            self.save()

    @Slot()
    def save_now(self) -> None:
        self.save()

    def save(self, then: Callable[[], None] | None = None) -> None:
        """Save what the form holds: a draft as a draft, a submitted report checked whole."""
        if self._saving:
            self._autosave.start()  # again once this save is in
            return
        self._autosave.stop()
        marker = self._edits
        files = tuple(self._pending_files)
        self._set_saving(True)
        self._tasks.run(
            "save incident",
            self._save_work(files),
            lambda detail: self._on_saved(detail, marker, len(files), then),
            self._on_save_failed,
        )

    def _save_work(self, files: tuple[NewAttachment, ...]) -> Callable[[], IncidentDetail]:
        """What a save does on the vault thread, with the values as they are now."""
        values = self.form.values()
        box = self._id_box
        service = self._incidents
        if self.status is IncidentStatus.DRAFT:

            def work() -> IncidentDetail:
                saved = service.save_draft(draft_values(values), box[0], files)
                box[0] = saved
                return service.get(saved)

            return work

        def update() -> IncidentDetail:
            assert box[0] is not None
            return service.update(box[0], values, files)

        return update

    def _set_saving(self, saving: bool) -> None:
        self._saving = saving
        self._enable()

    def _on_saved(
        self,
        detail: IncidentDetail,
        marker: int,
        files: int,
        then: Callable[[], None] | None,
    ) -> None:
        if self._gone:
            return
        self._set_saving(False)
        self.incident_id = detail.id
        self._saved_edits = marker
        del self._pending_files[:files]
        self.form.clear_errors()
        self.error.clear_message()
        typed_since = self._edits != marker
        self.detail = detail
        if typed_since:  # keep what is being typed; only the side of the window follows
            self._show_lists()
            self._enable()
        else:
            self._show_detail(detail)
        self._explain_state()
        if detail.status is IncidentStatus.DRAFT:
            self.state_line.setText(f"{self.state_line.text()} (saved {_now_dtg()})")
        self.saved.emit(detail.id)
        if typed_since and self.status is IncidentStatus.DRAFT:
            self._autosave.start()
        if then is not None:
            then()

    def _on_save_failed(self, failure: Failure) -> None:
        if self._gone:
            return
        self._set_saving(False)
        self._closing = False
        if isinstance(failure.error, InvalidFields):
            self.form.show_errors(failure.error.fields())
            self.error.show_message("Not saved: see the fields marked in red.")
        else:
            self.error.show_message(f"Not saved: {failure.message}")

    # -- the workflow ----------------------------------------------------------------------------

    @Slot()
    def _submit_shortcut(self) -> None:
        button = self.step_buttons[IncidentStatus.SUBMITTED]
        if button.isVisible() and button.isEnabled():
            self.step(IncidentStatus.SUBMITTED)

    def step(self, target: IncidentStatus) -> None:
        """Save what was typed first, then move the incident one step."""
        reason = ""
        if target is IncidentStatus.DRAFT:
            asked = self._ask_reason(self, "Why does this incident go back to draft?")
            if asked is None:
                return
            reason = asked
        locked = self.status in (IncidentStatus.VERIFIED, IncidentStatus.CLOSED)
        if (self.is_dirty or self.incident_id is None) and not locked:
            self.save(then=lambda: self.step_now(target, reason))  # nothing typed is lost
            return
        self.step_now(target, reason)

    def step_now(self, target: IncidentStatus, reason: str = "") -> None:
        incident_id = self.incident_id
        if incident_id is None:
            return
        service = self._incidents

        def work() -> IncidentDetail:
            service.transition(incident_id, target, reason)
            return service.get(incident_id)

        self._set_saving(True)
        self._tasks.run("change incident status", work, self._on_stepped, self._on_step_failed)

    def _on_stepped(self, detail: IncidentDetail) -> None:
        if self._gone:
            return
        self._set_saving(False)
        self.error.clear_message()
        self._show_detail(detail)
        self.saved.emit(detail.id)

    def _on_step_failed(self, failure: Failure) -> None:
        if self._gone:
            return
        self._set_saving(False)
        if isinstance(failure.error, InvalidFields):
            fields = failure.error.fields()
            self.form.show_errors({k: v for k, v in fields.items() if k != "reason"})
            self.error.show_message(f"Not done: {failure.message}")
        else:
            self.error.show_message(f"Not done: {failure.message}")

    # -- files and reports -----------------------------------------------------------------------

    @Slot()
    def _on_attach(self) -> None:
        if self._choose_files is None:
            return
        paths = self._choose_files(self)
        if not paths:
            return

        def read() -> list[NewAttachment]:
            return [NewAttachment.read(Path(p)) for p in paths]

        self._tasks.run("read files", read, self._on_files_read, self._on_save_failed)

    def _on_files_read(self, files: list[NewAttachment]) -> None:
        if self._gone:
            return
        self._pending_files.extend(files)
        self._show_lists()
        if self.status is IncidentStatus.DRAFT:
            self._autosave.start()

    @Slot()
    def _on_report(self) -> None:
        if self.incident_id is not None:
            self.report_requested.emit(self.incident_id)

    # -- closing ---------------------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:
        """Nothing typed is lost: a draft with changes is saved before the window goes."""
        if self._gone:
            super().closeEvent(event)
            return
        if self._saving or (self.is_dirty and self._can_save_now()):
            event.ignore()
            if not self._closing:
                self._closing = True
                if self._saving:
                    QTimer.singleShot(100, self.close)
                else:
                    self.save(then=self._close_again)
            return
        super().closeEvent(event)

    def _close_again(self) -> None:
        self.close()

    def _can_save_now(self) -> bool:
        return self.detail is None or self.detail.editable

    def close_for_lock(self) -> None:
        """At lock or panic: the window goes at once. What was typed and not saved yet is
        saved on the vault thread, queued before the vault closes; its answer is dropped (a
        refusal is logged). A report that is locked or not this laptop's to edit is not."""
        self._autosave.stop()
        if self.is_dirty and self._can_save_now():
            self._tasks.run("save incident at lock", self._save_work(tuple(self._pending_files)))
        self._gone = True
        self._saving = False
        self.done(0)
        self.close()


def _now_dtg() -> str:
    return format_dtg(datetime.now(UTC))
