"""The mission's members: every enrolled laptop, and on the authority's laptop approving a join
request and revoking a laptop; on any laptop, releasing one held for review."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
    Slot,
)
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from missiondesk.domain.ids import fingerprint
from missiondesk.domain.trust import JoinRequest, Membership, MemberStatus
from missiondesk.services.enrollment_files import read_join_request
from missiondesk.services.mission import MemberView
from missiondesk.services.session import Session
from missiondesk.ui.result_line import ResultLine
from missiondesk.ui.rows_model import RowsModel
from missiondesk.ui.sync.choosers import JOIN_FILES, Confirmer, OpenChooser, SaveChooser
from missiondesk.ui.sync.enrollment import ApproveDialog
from missiondesk.ui.sync.overview import ROLE_LABELS, STATUS_LABELS, SyncOverview
from missiondesk.ui.tasks import Failure, TaskRunner
from missiondesk.ui.theme import ERROR, scaled_font

Index = QModelIndex | QPersistentModelIndex


class MembersModel(RowsModel[MemberView]):
    COLUMNS = ("Device", "Name", "Callsign", "Role", "Status")
    DEVICE, NAME, CALLSIGN, ROLE, STATUS = range(5)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._me = ""

    def set_members(self, rows: list[MemberView], me: str) -> None:
        self._me = me
        self.set_rows(rows)

    def member_at(self, row: int) -> MemberView:
        return self.row_at(row)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        view = self._rows[index.row()]
        m = view.membership
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._text(view, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(view, column)
        warn = view.status in (MemberStatus.HELD, MemberStatus.REVOKED)
        if role == Qt.ItemDataRole.ForegroundRole and column == self.STATUS and warn:
            return ERROR
        if role == Qt.ItemDataRole.FontRole and m.device == self._me:
            font = QFont()
            font.setBold(True)
            return font
        return None

    def _text(self, view: MemberView, column: int) -> str:
        m = view.membership
        if column == self.DEVICE:
            return fingerprint(m.device) + ("  (this laptop)" if m.device == self._me else "")
        if column == self.NAME:
            return m.name
        if column == self.CALLSIGN:
            return m.callsign or "—"
        if column == self.ROLE:
            return ROLE_LABELS[m.role] + (" · authority" if m.authority else "")
        return STATUS_LABELS[view.status]

    def _tooltip(self, view: MemberView, column: int) -> str | None:
        m = view.membership
        if column == self.DEVICE:
            return m.device
        if column == self.STATUS and view.detail:
            return view.detail
        if column == self.ROLE:
            return f"Clearance: {m.clearance.label}"
        return None


class MembersPanel(QWidget):
    changed = Signal()  # a member was approved, revoked or released: read the vault again

    def __init__(
        self,
        session: Session,
        tasks: TaskRunner,
        *,
        choose_open: OpenChooser,
        choose_save: SaveChooser,
        confirm: Confirmer,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._session = session
        self._tasks = tasks
        self._choose_open = choose_open
        self._choose_save = choose_save
        self._confirm = confirm
        self._overview: SyncOverview | None = None
        self.approve_dialog: ApproveDialog | None = None
        self.heading = QLabel("Members", self)
        self.heading.setFont(scaled_font(self.heading, 1.1, bold=True))
        self.approve_button = QPushButton("Approve join request…", self)
        self.approve_button.setToolTip(
            "Open a join request file, compare the code with the officer, and write the "
            "approval file they carry back"
        )
        self.approve_button.clicked.connect(self.approve_request)
        self.revoke_button = QPushButton("Revoke…", self)
        self.revoke_button.setToolTip("Revoke the selected laptop: peers refuse it from then on")
        self.revoke_button.clicked.connect(self.revoke_selected)
        self.release_button = QPushButton("Release…", self)
        self.release_button.setToolTip(
            "Accept again the operations of a laptop held for review (a cloned laptop, a clock "
            "far ahead) once you have checked it"
        )
        self.release_button.clicked.connect(self.release_selected)
        top = QHBoxLayout()
        top.addWidget(self.heading)
        top.addStretch(1)
        for button in (self.approve_button, self.revoke_button, self.release_button):
            top.addWidget(button)

        self.model = MembersModel(self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setAccessibleName("Members")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setHighlightSections(False)
        for column in range(len(MembersModel.COLUMNS)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(MembersModel.NAME, QHeaderView.ResizeMode.Stretch)
        self.table.selectionModel().currentRowChanged.connect(self._on_current)
        self.result = ResultLine(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.result)
        self._enable()

    def show_overview(self, overview: SyncOverview) -> None:
        self._overview = overview
        selected = self.selected()
        self.model.set_members(list(overview.members), overview.device_id)
        self.heading.setText(f"Members ({len(overview.members)})")
        self.approve_button.setVisible(overview.authority_here)
        self.revoke_button.setVisible(overview.authority_here)
        if selected is not None:
            for row in range(self.model.rowCount()):
                if self.model.member_at(row).membership.device == selected.membership.device:
                    self.table.selectRow(row)
        self._enable()

    def selected(self) -> MemberView | None:
        index = self.table.currentIndex()
        return self.model.member_at(index.row()) if index.isValid() else None

    def select_member(self, callsign: str) -> bool:
        for row in range(self.model.rowCount()):
            if self.model.member_at(row).membership.callsign == callsign:
                self.table.selectRow(row)
                return True
        return False

    @Slot(QModelIndex, QModelIndex)
    def _on_current(self, _current: QModelIndex, _previous: QModelIndex) -> None:
        self._enable()

    def _enable(self) -> None:
        view = self.selected()
        me = self._overview.device_id if self._overview else ""
        self.revoke_button.setEnabled(
            view is not None
            and view.membership.device != me
            and view.status is not MemberStatus.REVOKED
        )
        self.release_button.setEnabled(view is not None and view.status is MemberStatus.HELD)

    # -- approving ---------------------------------------------------------------------------------

    @Slot()
    def approve_request(self) -> None:
        chosen = self._choose_open(self, "Open a join request", JOIN_FILES)
        if not chosen:
            return
        path = Path(chosen)
        self._tasks.run(
            "read join request",
            lambda: read_join_request(path),
            lambda found: self._show_request(*found),
            self._on_failed,
        )

    def _show_request(self, content: bytes, request: JoinRequest) -> None:
        earlier = next(
            (
                self.model.member_at(row)
                for row in range(self.model.rowCount())
                if self.model.member_at(row).membership.device == request.device
            ),
            None,
        )
        dialog = ApproveDialog(
            request, content, self._session, self._tasks, self._choose_save, self, earlier=earlier
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.approved.connect(self._on_approved)
        dialog.destroyed.connect(self._forget_dialog)
        self.approve_dialog = dialog
        dialog.show()

    def _forget_dialog(self) -> None:
        self.approve_dialog = None

    @Slot(object, object)
    def _on_approved(self, membership: Membership, out: Path) -> None:
        who = membership.callsign or membership.name
        self.result.success(
            f"Approved {who} as {ROLE_LABELS[membership.role].lower()}. Give them the approval "
            f"file {out}: they open it in Sync with Accept approval file…"
        )
        self.changed.emit()

    # -- revoking and releasing ----------------------------------------------------------------

    @Slot()
    def revoke_selected(self) -> None:
        view = self.selected()
        if view is None:
            return
        m = view.membership
        who = f"{m.callsign} ({m.name})" if m.callsign else m.name
        if not self._confirm(
            self,
            "Revoke a laptop",
            f"Revoke {who}, device {fingerprint(m.device)}?\n\nEvery laptop refuses it once it "
            "has synced with this one, and nothing it writes from now on is accepted. This "
            "cannot be undone: to come back, the laptop needs a new vault and a new approval.",
            "Revoke",
        ):
            return
        mission = self._session.mission
        self._tasks.run(
            "revoke member",
            lambda: mission.revoke(m.device, "revoked from the desktop app"),
            lambda _revocation: self._on_done(
                f"{who} is revoked. Peers refuse that laptop once they sync with this one."
            ),
            self._on_failed,
        )

    @Slot()
    def release_selected(self) -> None:
        view = self.selected()
        if view is None:
            return
        m = view.membership
        who = m.callsign or m.name
        if not self._confirm(
            self,
            "Release a held laptop",
            f"{who} is held for review: {view.detail}.\n\nRelease it only after checking "
            "the laptop (a cloned disk, a wrong clock). Its operations are then accepted again "
            "at the next sync.",
            "Release",
        ):
            return
        mission = self._session.mission
        self._tasks.run(
            "release member",
            lambda: mission.release(m.device),
            lambda _none: self._on_done(
                f"{who} is released: its operations are accepted at the next sync."
            ),
            self._on_failed,
        )

    def _on_done(self, text: str) -> None:
        self.result.success(text)
        self.changed.emit()

    @Slot(object)
    def _on_failed(self, failure: Failure) -> None:
        self.result.failure(failure.message)

    def clear(self) -> None:
        if self.approve_dialog is not None:
            self.approve_dialog.close()
        self.model.set_members([], "")
        self.result.clear_line()
