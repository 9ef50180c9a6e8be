"""The Roster tab: the mission's people (callsign, name, role, unit, outpost, linked devices)
by outpost; Add person… and Edit… (Enter or a double click on a row) open `PersonDialog`;
Remove… (Delete) takes the selected person off the roster once the officer has confirmed.

Read on the vault thread, again on ChangeSets of people and devices.
"""

from __future__ import annotations

from typing import Any, ClassVar

from PySide6.QtCore import QModelIndex, Qt, Slot
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from missiondesk.domain.ids import fingerprint
from missiondesk.services.roster import RosterEntry
from missiondesk.services.session import Session
from missiondesk.ui.changes import ChangeRelay, RefreshScheduler
from missiondesk.ui.choosers import Confirmer, ask_yes_no
from missiondesk.ui.pages import TablePage
from missiondesk.ui.protection.fields import OpenDialogs
from missiondesk.ui.protection.person_dialog import PersonDialog, role_label
from missiondesk.ui.result_line import ResultLine
from missiondesk.ui.rows_model import Index, RowsModel
from missiondesk.ui.tasks import Failure, TaskRunner

WATCHED = frozenset({"person", "device"})


class RosterRowsModel(RowsModel[RosterEntry]):
    COLUMNS: ClassVar[tuple[str, ...]] = (
        "Callsign", "Name", "Role", "Unit", "Outpost", "Devices",
    )  # fmt: skip

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole or not index.isValid():
            return None
        e = self.row_at(index.row())
        return (
            e.person.callsign or "-",
            e.person.name,
            role_label(e.person.role),
            e.person.unit or "-",
            e.outpost,
            ", ".join(fingerprint(d) for d in e.devices) or "none linked",
        )[index.column()]


class RosterTab(TablePage):
    def __init__(
        self,
        session: Session,
        tasks: TaskRunner,
        changes: ChangeRelay,
        parent: QWidget | None = None,
    ) -> None:
        self.model = RosterRowsModel()
        super().__init__(
            "Roster",
            self.model,
            tasks,
            empty_text="No one on the roster yet. Add person… puts someone on it.",
            stretch_column=1,
            parent=parent,
        )
        self.model.setParent(self)
        self._session = session
        self.dialogs: OpenDialogs[PersonDialog] = OpenDialogs()
        self.add_button = QPushButton("A&dd person…", self)
        self.add_button.clicked.connect(self.add_person)
        self.edit_button = QPushButton("&Edit…", self)
        self.edit_button.setToolTip("Edit the selected person (Enter or a double click)")
        self.edit_button.clicked.connect(self.edit_person)
        self.remove_button = QPushButton("Remo&ve…", self)
        self.remove_button.setToolTip(
            "Take the selected person off the roster, for every laptop (Delete)"
        )
        self.remove_button.clicked.connect(self.remove_person)
        self.confirm: Confirmer = ask_yes_no
        remove_key = QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.table)
        remove_key.setContext(Qt.ShortcutContext.WidgetShortcut)
        remove_key.activated.connect(self.remove_person)
        self.note = ResultLine(self)  # what Remove… did, or why it was refused
        self.table.activated.connect(self._on_activated)
        row = QHBoxLayout()
        row.addWidget(self.add_button)
        row.addWidget(self.edit_button)
        row.addWidget(self.remove_button)
        row.addStretch(1)
        layout = self.layout()
        assert isinstance(layout, QVBoxLayout)
        layout.addLayout(row)
        layout.addWidget(self.note)
        self._scheduler = RefreshScheduler(changes, WATCHED, self)
        self._scheduler.refresh_requested.connect(self.refresh)
        self.refresh()

    def read(self) -> list[RosterEntry]:
        return self._session.roster.entries()

    def show_rows(self, rows: list[RosterEntry]) -> None:
        chosen = self.selected()
        self.model.set_rows(rows)
        outposts = {e.outpost for e in rows}
        self.set_summary(f"{len(rows)} people, {len(outposts)} outposts", rows=len(rows))
        ids = [e.id for e in rows]
        if chosen is not None and chosen.id in ids:
            self.table.selectRow(ids.index(chosen.id))
        elif rows:
            self.table.selectRow(0)
        self.edit_button.setEnabled(bool(rows))
        self.remove_button.setEnabled(bool(rows))

    def selected(self) -> RosterEntry | None:
        picked = self.table.selectionModel().selectedRows()
        return self.model.row_at(picked[0].row()) if picked else None

    @Slot(QModelIndex)
    def _on_activated(self, _index: QModelIndex) -> None:
        self.edit_person()

    @Slot()
    def add_person(self) -> None:
        self._open(None)

    @Slot()
    def edit_person(self) -> None:
        entry = self.selected()
        if entry is not None:
            self._open(entry)

    @Slot()
    def remove_person(self) -> None:
        entry = self.selected()
        if entry is None or self._closed:
            return
        question = (
            f"Take {entry.label} ({entry.person.name}) off the roster, for every laptop?\n\n"
            "New headcounts and movements will no longer list them; past records still name "
            "them. Their emergency details are removed with the card."
        )
        if not self.confirm(self, question):
            return
        roster, person_id = self._session.roster, entry.id
        self._tasks.run(
            "remove person", lambda: roster.remove(person_id), self._on_removed, self._on_refused
        )

    def _on_removed(self, entry: RosterEntry) -> None:
        if self._closed:
            return
        text = f"{entry.label} is off the roster."
        if entry.devices:
            text += " Their laptop stays a member of the mission until revoked (Sync section)."
        self.note.success(text)
        self.refresh()

    def _on_refused(self, failure: Failure) -> None:
        if not self._closed:
            self.note.failure(failure.message)

    def _open(self, entry: RosterEntry | None) -> None:
        if self._closed:
            return
        if entry is not None and self.dialogs.bring_to_front(
            lambda open_dialog: open_dialog.entry is not None and open_dialog.entry.id == entry.id
        ):
            return
        dialog = PersonDialog(self._session, self._tasks, entry, self)
        dialog.saved.connect(lambda _id: self.refresh())
        self.dialogs.open(dialog)

    def close_page(self) -> None:
        super().close_page()
        self.dialogs.close_for_lock()
        self.model.set_rows([])
        self.summary.setText("")
        self.note.clear_line()
