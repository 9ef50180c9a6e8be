"""Sync over the network: serve peers, sync now with one, find peers on the LAN, and the peers
this laptop has met with when and how it went."""

from __future__ import annotations

import time
from typing import Any

from PySide6.QtCore import (
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Slot,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGridLayout,
    QGroupBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from missiondesk.domain.ids import fingerprint
from missiondesk.services.sync_service import PeerSeen
from missiondesk.ui.feedback import BusyIndicator
from missiondesk.ui.result_line import ResultLine
from missiondesk.ui.rows_model import RowsModel
from missiondesk.ui.shell.status_panel import ago, format_dtg_ms
from missiondesk.ui.sync.controller import PeerFound, PeerReport, SyncController
from missiondesk.ui.sync.overview import SyncOverview
from missiondesk.ui.theme import ERROR, muted, muted_label, scaled_font

Index = QModelIndex | QPersistentModelIndex
AGO_REFRESH_MS = 30_000
DISCOVERY_OFF = (
    "The mission authority has switched finding peers on the LAN off: type the peer's address."
)


LOOPBACK = ("127.", "::1", "[::1]", "localhost")  # addresses only this computer reaches


class PeersModel(RowsModel[PeerSeen]):
    COLUMNS = ("Peer", "Address", "Last seen", "Last result", "Sent / received")
    PEER, ADDRESS, SEEN, RESULT, COUNTS = range(5)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.now_ms = time.time_ns() // 1_000_000

    def set_rows(self, rows: list[PeerSeen]) -> None:
        self.now_ms = time.time_ns() // 1_000_000
        super().set_rows(rows)

    def tick(self) -> None:
        """Let "12 min ago" count on without reading the vault."""
        self.now_ms = time.time_ns() // 1_000_000
        if self._rows:
            self.dataChanged.emit(
                self.index(0, self.SEEN), self.index(len(self._rows) - 1, self.SEEN)
            )

    def peer_at(self, row: int) -> PeerSeen:
        return self.row_at(row)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        peer = self._rows[index.row()]
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            if column == self.PEER:
                return peer.label
            if column == self.ADDRESS:
                return peer.address or "USB bundle"
            if column == self.SEEN:
                return f"{format_dtg_ms(peer.last_seen_ms)} ({ago(peer.last_seen_ms, self.now_ms)})"
            if column == self.RESULT:
                return peer.last_result
            return f"{peer.sent:,} / {peer.received:,}"
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == self.PEER:
                return f"Device {fingerprint(peer.device)}"
            if column == self.RESULT:
                return peer.last_result
            if column == self.COUNTS:
                return "Operations sent to it / received from it in the last session"
        failed = peer.last_result.startswith("failed")
        if role == Qt.ItemDataRole.ForegroundRole and column == self.RESULT and failed:
            return ERROR
        return None


class PeersPanel(QWidget):
    """Serving on/off with its address, Sync now with HOST:PORT, Find peers; the peers met."""

    def __init__(self, controller: SyncController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._controller = controller
        self._discovery_allowed = True

        box = QGroupBox("Network", self)
        self.listen_edit = QLineEdit(controller.default_listen, box)
        self.listen_edit.setAccessibleName("Serve on address")
        self.listen_edit.setToolTip(
            "HOST:PORT this laptop listens on. 0.0.0.0 means every network it is on."
        )
        self.serve_button = QPushButton("Start serving", box)
        self.serve_button.clicked.connect(self._on_serve_clicked)
        self.serve_note = muted_label("", box)
        self.peer_edit = QComboBox(box)
        self.peer_edit.setEditable(True)
        self.peer_edit.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.peer_edit.setAccessibleName("Peer address")
        line = self.peer_edit.lineEdit()
        if line is not None:
            line.setPlaceholderText("e.g. 192.168.1.20:7447")
            line.returnPressed.connect(self.sync_now)
        self.sync_button = QPushButton("Sync now", box)
        self.sync_button.setDefault(False)
        self.sync_button.clicked.connect(self.sync_now)
        self.find_button = QPushButton("Find peers on the LAN", box)
        self.find_button.clicked.connect(self.find_peers)
        self.find_note = muted_label("", box)
        self.find_note.hide()
        self.busy = BusyIndicator(box)
        self.result = ResultLine(box)
        metrics = self.fontMetrics()
        for field in (self.listen_edit, self.peer_edit):
            field.setMinimumWidth(metrics.horizontalAdvance("255.255.255.255:65535") + 40)
        grid = QGridLayout(box)
        grid.setHorizontalSpacing(8)
        grid.addWidget(QLabel("Serve peers on:", box), 0, 0)
        grid.addWidget(self.listen_edit, 0, 1)
        grid.addWidget(self.serve_button, 0, 2)
        grid.addWidget(self.serve_note, 1, 1, 1, 3)
        grid.addWidget(QLabel("Sync with:", box), 2, 0)
        grid.addWidget(self.peer_edit, 2, 1)
        grid.addWidget(self.sync_button, 2, 2)
        grid.addWidget(self.find_button, 2, 3)
        grid.addWidget(self.find_note, 3, 1, 1, 3)
        grid.addWidget(self.busy, 4, 1, 1, 3)
        grid.addWidget(self.result, 5, 1, 1, 3)
        grid.setColumnStretch(4, 1)

        heading = QLabel("Peers met", self)
        heading.setFont(scaled_font(heading, 1.1, bold=True))
        self.model = PeersModel(self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setAccessibleName("Peers met")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setHighlightSections(False)
        for column in range(len(PeersModel.COLUMNS)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(PeersModel.RESULT, QHeaderView.ResizeMode.Stretch)
        self.table.selectionModel().currentRowChanged.connect(self._on_peer_chosen)
        self.table.doubleClicked.connect(lambda _index: self.sync_now())
        self.empty_note = QLabel(
            "No peer met yet. Sync with a laptop of the mission, or let one sync with this "
            "laptop while it serves.",
            self,
        )
        self.empty_note.setWordWrap(True)
        self.empty_note.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_note.setStyleSheet(f"color: {muted().name()};")
        self.body = QStackedWidget(self)
        self.body.addWidget(self.table)
        self.body.addWidget(self.empty_note)
        self.body.setCurrentWidget(self.empty_note)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(box)
        layout.addWidget(heading)
        layout.addWidget(self.body, 1)

        controller.serving_changed.connect(self._on_serving_changed)
        controller.announcement_changed.connect(self._on_announcement)
        controller.serve_failed.connect(self._on_serve_failed)
        controller.syncing_changed.connect(self._on_syncing_changed)
        controller.report_received.connect(self._on_report)
        controller.sync_failed.connect(self._on_sync_failed)
        controller.peers_found.connect(self._on_peers_found)
        controller.discovery_failed.connect(self._on_discovery_failed)
        self._timer = QTimer(self)
        self._timer.setInterval(AGO_REFRESH_MS)
        self._timer.timeout.connect(self.model.tick)
        self._timer.start()
        self._show_serving()
        if controller.last_report is not None:
            self._on_report(controller.last_report)

    # -- what the vault says ---------------------------------------------------------------------

    def show_overview(self, overview: SyncOverview) -> None:
        self.model.set_rows(list(overview.peers))
        self.body.setCurrentWidget(self.table if overview.peers else self.empty_note)
        known = {p.address for p in overview.peers if p.address}
        for address in sorted(known):
            if self.peer_edit.findText(address) < 0:
                self.peer_edit.addItem(address)
        if not self.peer_edit.currentText() and overview.peers and overview.peers[0].address:
            self.peer_edit.setEditText(overview.peers[0].address)
        allowed = overview.mission is not None and overview.mission.discovery
        self._discovery_allowed = allowed
        self.find_button.setEnabled(allowed)
        self.find_button.setToolTip("" if allowed else DISCOVERY_OFF)
        if not allowed:
            self.find_note.setText(DISCOVERY_OFF)
        self.find_note.setVisible(not allowed or bool(self.find_note.property("found")))
        self._show_serving()

    # -- serving ---------------------------------------------------------------------------------

    @Slot()
    def _on_serve_clicked(self) -> None:
        if self._controller.is_serving:
            self._controller.stop_serving()
        else:
            self.result.clear_line()
            self._controller.start_serving(self.listen_edit.text())
        self._show_serving()

    def _show_serving(self, announcement: str = "") -> None:
        c = self._controller
        serving = c.is_serving
        self.serve_button.setText("Stop serving" if serving else "Start serving")
        self.listen_edit.setEnabled(not serving)
        if c.serving_address and c.serving_address.startswith(LOOPBACK):
            self.serve_note.setText(  # no other laptop can reach a loopback address
                f"Serving on {c.serving_address}: only this computer can reach it. To serve"
                " other laptops, listen on 0.0.0.0 or this laptop's network address."
            )
        elif c.serving_address:
            text = f"Serving on {c.serving_address}: other laptops of the mission can sync with "
            text += "this one." if not announcement else f"this one. {announcement}"
            self.serve_note.setText(text)
        elif serving:
            self.serve_note.setText("Opening the port…")
        else:
            self.serve_note.setText(
                "Not serving. While it serves, other laptops of the mission can sync with this one."
            )

    @Slot(str)
    def _on_serving_changed(self, _address: str) -> None:
        self._show_serving()

    @Slot(str)
    def _on_announcement(self, text: str) -> None:
        self._show_serving(text)

    @Slot(str)
    def _on_serve_failed(self, message: str) -> None:
        self._show_serving()
        self.result.failure(message)

    # -- syncing -------------------------------------------------------------------------------

    @Slot()
    def sync_now(self) -> None:
        address = self.peer_edit.currentText().strip()
        self.result.clear_line()
        self._controller.sync_now(address)

    @Slot(bool)
    def _on_syncing_changed(self, syncing: bool) -> None:
        self.sync_button.setEnabled(not syncing)
        self.peer_edit.setEnabled(not syncing)
        if syncing:
            self.busy.start(
                f"Syncing with {self._controller.syncing_with}… The app stays usable meanwhile."
            )
        else:
            self.busy.stop()

    @Slot(object)
    def _on_report(self, report: PeerReport) -> None:
        if report.failed:
            self.result.failure(report.sentence())
        else:
            self.result.success(report.sentence())

    @Slot(str)
    def _on_sync_failed(self, message: str) -> None:
        self.result.failure(message)

    @Slot(QModelIndex, QModelIndex)
    def _on_peer_chosen(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            address = self.model.peer_at(current.row()).address
            if address:
                self.peer_edit.setEditText(address)

    # -- finding peers ---------------------------------------------------------------------------

    @Slot()
    def find_peers(self) -> None:
        if not self._discovery_allowed:
            return
        self.find_button.setEnabled(False)
        self.find_note.setText("Looking for peers of this mission on the LAN (3 s)…")
        self.find_note.show()
        self._controller.find_peers()

    @Slot(object)
    def _on_peers_found(self, found: list[PeerFound]) -> None:
        self.find_button.setEnabled(self._discovery_allowed)
        self.find_note.setProperty("found", True)
        if not found:
            self.find_note.setText(
                "No peer of this mission announces itself on this network. Type its address."
            )
            return
        for peer in found:
            if self.peer_edit.findText(peer.address) < 0:
                self.peer_edit.insertItem(0, peer.address)
        self.peer_edit.setEditText(found[0].address)
        listed = ", ".join(f"{p.label} at {p.address}" for p in found)
        self.find_note.setText(f"Found {listed}. Choose one in Sync with, then Sync now.")

    @Slot(str)
    def _on_discovery_failed(self, message: str) -> None:
        self.find_button.setEnabled(self._discovery_allowed)
        self.find_note.setText(message)
        self.find_note.show()

    def clear(self) -> None:
        self._timer.stop()
        self.model.set_rows([])
        self.peer_edit.clear()
        self.result.clear_line()
        self.find_note.clear()
