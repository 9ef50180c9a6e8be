"""The Sync section: the mission and this laptop's role; network sync (serve, sync now, find
peers) and the peers met; members; conflicts; USB bundles. Outside a mission: create or join.

The page routes and reads: every vault call runs on the vault thread through the TaskRunner;
the panels do the work, and the page reads the vault again when a ChangeSet (from this laptop,
a peer or a bundle) concerns what it shows.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QLabel,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from missiondesk.domain.kinds import RECORD_TYPES
from missiondesk.services.session import Session
from missiondesk.ui.changes import ChangeRelay, RefreshScheduler
from missiondesk.ui.reflow import Reflowing
from missiondesk.ui.result_line import ResultLine
from missiondesk.ui.sync.bundles import BundlesPanel
from missiondesk.ui.sync.choosers import (
    Confirmer,
    OpenChooser,
    SaveChooser,
    ask_open_path,
    ask_save_path,
    ask_to_confirm,
)
from missiondesk.ui.sync.conflicts import ConflictReviewDialog, ConflictsPanel
from missiondesk.ui.sync.controller import SyncController
from missiondesk.ui.sync.enrollment import OutsidePanel
from missiondesk.ui.sync.members import MembersPanel
from missiondesk.ui.sync.overview import SyncOverview, load_overview
from missiondesk.ui.sync.peers import PeersPanel
from missiondesk.ui.tasks import Failure, TaskRunner
from missiondesk.ui.theme import muted_label, page_title

# Conflicts can come from an edit of any record; members and peers from trust changes.
SYNC_TYPES = frozenset(RECORD_TYPES) | {"membership", "peer"}


class SyncPage(QWidget):
    def __init__(
        self,
        session: Session,
        tasks: TaskRunner,
        changes: ChangeRelay,
        controller: SyncController,
        *,
        choose_open: OpenChooser = ask_open_path,
        choose_save: SaveChooser = ask_save_path,
        confirm: Confirmer = ask_to_confirm,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._session = session
        self._tasks = tasks
        self._controller = controller
        self._closed = False
        self._stale = False
        self._loading = False
        self.overview: SyncOverview | None = None
        self.review_dialog: ConflictReviewDialog | None = None

        self.title = page_title("Sync", self)
        self.subtitle = muted_label("Reading the vault…", self)
        self.subtitle.setTextFormat(Qt.TextFormat.PlainText)
        self.error = ResultLine(self)

        self.outside = OutsidePanel(
            session, tasks, choose_open=choose_open, choose_save=choose_save, parent=self
        )
        self.outside.joined.connect(self.refresh)
        self.outside.set_up.connect(self.refresh)

        self.peers = PeersPanel(controller, self)
        self.members = MembersPanel(
            session,
            tasks,
            choose_open=choose_open,
            choose_save=choose_save,
            confirm=confirm,
            parent=self,
        )
        self.members.changed.connect(self.refresh)
        self.conflicts = ConflictsPanel(self)
        self.conflicts.review_requested.connect(self.open_review)
        self.bundles = BundlesPanel(
            session, tasks, choose_open=choose_open, choose_save=choose_save, parent=self
        )
        self.bundles.changed.connect(self.refresh)
        side = QWidget(self)
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        side_layout.addWidget(self.conflicts)
        side_layout.addWidget(self.bundles)
        side_layout.addStretch(1)
        side.setMaximumWidth(self.fontMetrics().horizontalAdvance("M") * 30)
        tables = QSplitter(Qt.Orientation.Vertical, self)
        tables.addWidget(self.peers)
        tables.addWidget(self.members)
        tables.setStretchFactor(0, 3)
        tables.setStretchFactor(1, 2)
        tables.setChildrenCollapsible(False)
        self.inside = Reflowing(self, spacing=14)  # the side panels go below on a narrow window
        self.inside.add_widget(tables, 1)
        self.inside.add_widget(side)

        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(self.outside)
        self.loading = QLabel("", self)
        self.body = QStackedWidget(self)
        self.body.addWidget(self.loading)
        self.body.addWidget(scroll)
        self.body.addWidget(self.inside)
        self._outside_view = scroll

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.setSpacing(6)
        layout.addWidget(self.title)
        layout.addWidget(self.subtitle)
        layout.addWidget(self.error)
        layout.addWidget(self.body, 1)

        self._scheduler = RefreshScheduler(changes, SYNC_TYPES, self)
        self._scheduler.refresh_requested.connect(self._on_changes)
        controller.report_received.connect(lambda _report: self._on_changes())
        self.refresh()

    # -- reading -----------------------------------------------------------------------------------

    @Slot()
    def refresh(self) -> None:
        if self._closed:
            return
        if self._loading:  # one read at a time; another follows if changes came meanwhile
            self._stale = True
            return
        self._loading = True
        self._stale = False
        session = self._session
        self._tasks.run(
            "sync overview", lambda: load_overview(session), self._on_overview, self._on_failed
        )

    @Slot()
    def _on_changes(self) -> None:
        """While hidden, only note that the page is out of date (sync may bring thousands)."""
        if self.isVisible():
            self.refresh()
        else:
            self._stale = True

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self.refresh()

    @Slot(object)
    def _on_overview(self, overview: SyncOverview) -> None:
        self._loading = False
        if self._closed:
            return
        self.overview = overview
        self.error.clear_line()
        if overview.mission is None:
            self.subtitle.setText(
                "Exchange messages and reports with the other laptops of your mission, over the "
                "network or on a USB stick."
            )
            self.outside.my_label = overview.my_label
            self.outside.show_pinned(overview.pinned)
            self.body.setCurrentWidget(self._outside_view)
        else:
            self.subtitle.setText(
                f"Mission {overview.mission.name} · this laptop: {overview.role_text()}"
            )
            self.peers.show_overview(overview)
            self.members.show_overview(overview)
            self.conflicts.show_conflicts(overview.conflicts)
            self.bundles.show_overview(overview)
            self.body.setCurrentWidget(self.inside)
        if self._stale:
            self.refresh()

    @Slot(object)
    def _on_failed(self, failure: Failure) -> None:
        self._loading = False
        if not self._closed:
            self.error.failure(failure.message)

    # -- conflicts -----------------------------------------------------------------------------

    @Slot()
    def open_review(self) -> None:
        if self.overview is None or not self.overview.conflicts:
            return
        if self.review_dialog is not None:
            self.review_dialog.raise_()
            return
        dialog = ConflictReviewDialog(
            self._session.conflicts, self._tasks, self.overview.conflicts, self
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.resolved.connect(self.refresh)
        dialog.destroyed.connect(self._forget_review)
        self.review_dialog = dialog
        dialog.show()

    def _forget_review(self) -> None:
        self.review_dialog = None

    def clear(self) -> None:
        """Forget everything shown (on lock), before the widget itself is deleted."""
        self._closed = True
        if self.review_dialog is not None:
            self.review_dialog.close()
        self.outside.clear()
        self.peers.clear()
        self.members.clear()
        self.conflicts.show_conflicts(())
        self.bundles.clear()
        self.subtitle.clear()
        self.overview = None
