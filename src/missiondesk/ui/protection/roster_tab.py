"""The Roster tab: the mission's people (callsign, name, role, unit, outpost, linked devices)
by outpost; Add person… and Edit… (Enter or a double click on a row) open `PersonDialog`.

Read on the vault thread, again on ChangeSets of people and devices.
"""

from __future__ import annotations

from typing import Any, ClassVar

from PySide6.QtCore import QModelIndex, Qt, Slot
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from missiondesk.domain.ids import fingerprint
from missiondesk.services.roster import RosterEntry
from missiondesk.services.session import Session
from missiondesk.ui.changes import ChangeRelay, RefreshScheduler
from missiondesk.ui.pages import TablePage
from missiondesk.ui.protection.fields import OpenDialogs
from missiondesk.ui.protection.person_dialog import PersonDialog, role_label
from missiondesk.ui.rows_model import Index, RowsModel
from missiondesk.ui.tasks import TaskRunner

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
        self.table.activated.connect(self._on_activated)
        row = QHBoxLayout()
        row.addWidget(self.add_button)
        row.addWidget(self.edit_button)
        row.addStretch(1)
        layout = self.layout()
        assert isinstance(layout, QVBoxLayout)
        layout.addLayout(row)
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
