"""The Alerts tab: escalation and panic alerts, the latest raised first, in their precedence's
colours (a FLASH one also in a banner above the list while it is open); who is concerned,
the last known position, when raised; Acknowledge; and Raise panic alarm… (`raise_panic`,
which the shell may also put in a menu), confirmed in a dialog before it goes.

Read on the vault thread, again on ChangeSets of alerts and the roster.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from PySide6.QtCore import QItemSelection, Qt, Signal, Slot
from PySide6.QtGui import QBrush, QFont
from PySide6.QtWidgets import (
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from missiondesk.domain.coordinates import Location
from missiondesk.domain.dtg import format_dtg
from missiondesk.domain.markings import Precedence
from missiondesk.services.alert_views import AlertView
from missiondesk.services.alerts import AlertService
from missiondesk.services.session import Session
from missiondesk.ui.changes import ChangeRelay, RefreshScheduler
from missiondesk.ui.feedback import InlineError, fit_height_to_width
from missiondesk.ui.pages import TablePage
from missiondesk.ui.protection.fields import FieldRows, FieldsDialog, OpenDialogs
from missiondesk.ui.rows_model import Index, RowsModel
from missiondesk.ui.tasks import TaskRunner
from missiondesk.ui.theme import (
    PRECEDENCE_COLOURS,
    badge_style,
    muted_label,
    precedence_bold,
    precedence_colour,
    precedence_row,
)

WATCHED = frozenset({"alert", "person"})
LIMIT = 500


def status_text(view: AlertView) -> str:
    seen = view.alert.acknowledged
    if seen is None:
        return "OPEN"
    by = view.alert.acknowledged_by or "someone"
    return f"acknowledged by {by} {format_dtg(seen)}"


class AlertRowsModel(RowsModel[AlertView]):
    COLUMNS: ClassVar[tuple[str, ...]] = (
        "Precedence", "Step", "Raised", "People", "Last known position", "Alert", "Status",
    )  # fmt: skip

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        v = self.row_at(index.row())
        precedence = v.alert.precedence
        if role == Qt.ItemDataRole.DisplayRole:
            where = v.alert.position.mgrs if v.alert.position else "unknown"
            return (
                precedence.value.upper(),
                v.alert.step.value.upper(),
                format_dtg(v.alert.raised),
                ", ".join(v.people) or "-",
                where,
                v.alert.text,
                status_text(v),
            )[index.column()]
        if role == Qt.ItemDataRole.BackgroundRole and v.open:
            fill = precedence_row(precedence)
            return QBrush(fill) if fill is not None else None
        if role == Qt.ItemDataRole.ForegroundRole and index.column() == 0:
            colour = precedence_colour(precedence)
            return QBrush(colour) if colour is not None else None
        if (
            role == Qt.ItemDataRole.FontRole
            and v.open
            and (index.column() in (0, 6) or precedence_bold(precedence))
        ):
            font = QFont()
            font.setBold(True)
            return font
        return None


@dataclass(frozen=True)
class PanicContext:
    """Who the alarm is for and where they were last known to be, shown before it goes."""

    label: str
    position: Location | None


def read_panic_context(session: Session) -> PanicContext:
    person = session.people.my_roster_id()
    label = session.roster.labels([person])[0] if person else ""
    where = session.movements.last_position(person) if person else None
    return PanicContext(label, where)


class PanicDialog(FieldsDialog):
    """Confirms the panic alarm; an optional position and note go with it. `raised(id)`."""

    raised = Signal(str)

    def __init__(
        self,
        alerts: AlertService,
        tasks: TaskRunner,
        context: PanicContext,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Raise panic alarm")
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 64)
        self._alerts = alerts
        self._tasks = tasks
        heading = QLabel("FLASH to the whole mission", self)
        heading.setStyleSheet(badge_style(PRECEDENCE_COLOURS[Precedence.FLASH]))
        who = context.label or "this laptop's officer"
        known = (
            f"Last known position: {context.position.mgrs}."
            if context.position
            else "No position is known yet (no check-in gave one)."
        )
        self.explanation = QLabel(
            f"This sends a FLASH alert to every laptop of the mission that {who} is in danger, "
            f"with the last known position. {known}",
            self,
        )
        self.explanation.setWordWrap(True)
        self.explanation.setTextFormat(Qt.TextFormat.PlainText)
        self.position_edit = QLineEdit(self)
        self.position_edit.setPlaceholderText("where you are now, if you know (MGRS or decimal)")
        self.note_edit = QLineEdit(self)
        self.note_edit.setMaxLength(400)
        self.note_edit.setPlaceholderText("e.g. vehicle ambushed, two injured")
        self.general_error = InlineError(self)
        form = QFormLayout()
        self.rows = FieldRows(self, form, self.general_error)
        self.rows.add("position", "&Position (optional):", self.position_edit)
        self.rows.add("note", "&Note (optional):", self.note_edit)
        self.raise_button = QPushButton("&Raise panic alarm", self)
        self.submit_button = self.raise_button
        self.raise_button.setDefault(True)
        buttons = QDialogButtonBox(self)
        buttons.addButton(self.raise_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel).setAutoDefault(False)
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(heading, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.explanation)
        layout.addLayout(form)
        layout.addWidget(self.general_error)
        layout.addWidget(buttons)
        self.position_edit.setFocus()
        fit_height_to_width(self)

    @Slot()
    def submit(self) -> None:
        if self._gone or not self.raise_button.isEnabled():
            return
        self.rows.clear()
        self.raise_button.setEnabled(False)
        alerts = self._alerts
        where, note = self.position_edit.text().strip() or None, self.note_edit.text().strip()
        self._tasks.run(
            "raise panic alarm",
            lambda: alerts.panic(position=where, note=note),
            self._done,
            self._refused,
        )

    def _done(self, view: AlertView) -> None:
        if not self._gone:
            self.raised.emit(view.id)
            self.accept()


class AlertsTab(TablePage):
    def __init__(
        self,
        session: Session,
        tasks: TaskRunner,
        changes: ChangeRelay,
        parent: QWidget | None = None,
    ) -> None:
        self.model = AlertRowsModel()
        super().__init__(
            "Alerts",
            self.model,
            tasks,
            empty_text="No alerts. A missed check-in raises a warning, then an alarm to the "
            "duty officer, then a FLASH alert to the mission; a panic alarm is FLASH at once.",
            stretch_column=5,
            parent=parent,
        )
        self.model.setParent(self)
        self._session = session
        self.shown: str | None = None
        self.dialogs: OpenDialogs[PanicDialog] = OpenDialogs()
        self.flash_banner = QLabel("", self)
        self.flash_banner.setStyleSheet(badge_style(PRECEDENCE_COLOURS[Precedence.FLASH]))
        self.flash_banner.setWordWrap(True)
        self.flash_banner.setTextFormat(Qt.TextFormat.PlainText)
        self.flash_banner.setAccessibleName("Open FLASH alerts")
        self.flash_banner.hide()
        self.acknowledge_button = QPushButton("Ac&knowledge", self)
        self.acknowledge_button.setToolTip(
            "Record that the selected alert is being handled (it does not stop an escalation: "
            "only a check-in or the arrival does)"
        )
        self.acknowledge_button.clicked.connect(self.acknowledge)
        self.panic_button = QPushButton("Raise pa&nic alarm…", self)
        self.panic_button.setStyleSheet(
            f"QPushButton {{ color: {PRECEDENCE_COLOURS[Precedence.FLASH].name()};"
            " font-weight: bold; }"
        )
        self.panic_button.setToolTip("A FLASH alert to the whole mission, asked to confirm first")
        self.panic_button.clicked.connect(self.raise_panic)
        self.note = muted_label("", self)
        row = QHBoxLayout()
        row.addWidget(self.acknowledge_button)
        row.addStretch(1)
        row.addWidget(self.panic_button)
        layout = self.layout()
        assert isinstance(layout, QVBoxLayout)
        layout.insertWidget(2, self.flash_banner)
        layout.addLayout(row)
        layout.addWidget(self.note)
        self.table.selectionModel().selectionChanged.connect(self._on_selection)
        self._scheduler = RefreshScheduler(changes, WATCHED, self)
        self._scheduler.refresh_requested.connect(self.refresh)
        self.refresh()

    def read(self) -> list[AlertView]:
        return self._session.alerts.list(limit=LIMIT)

    def show_rows(self, rows: list[AlertView]) -> None:
        self.model.set_rows(rows)
        open_ = [v for v in rows if v.open]
        flash = [v for v in open_ if v.alert.precedence is Precedence.FLASH]
        self.set_summary(f"{len(open_)} open, {len(rows) - len(open_)} acknowledged",
                         rows=len(rows))  # fmt: skip
        if flash:
            latest = flash[0]
            where = latest.alert.position.mgrs if latest.alert.position else "position unknown"
            more = f" (and {len(flash) - 1} more)" if len(flash) > 1 else ""
            self.flash_banner.setText(
                f"FLASH · {latest.alert.text} · {', '.join(latest.people) or '-'} · {where} · "
                f"{format_dtg(latest.alert.raised)}{more}"
            )
        self.flash_banner.setVisible(bool(flash))
        ids = [v.id for v in rows]
        if self.shown in ids:
            self.table.selectRow(ids.index(self.shown))
        elif rows:
            self.table.selectRow(0)
        self._update_buttons()

    @Slot(QItemSelection, QItemSelection)
    def _on_selection(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        view = self.selected()
        self.shown = view.id if view else None
        self._update_buttons()

    def _update_buttons(self) -> None:
        view = self.selected()
        self.acknowledge_button.setEnabled(view is not None and view.open)

    def selected(self) -> AlertView | None:
        picked = self.table.selectionModel().selectedRows()
        return self.model.row_at(picked[0].row()) if picked else None

    @Slot()
    def acknowledge(self) -> None:
        view = self.selected()
        if view is None or self._closed or not view.open:
            return
        alerts = self._session.alerts
        self._tasks.run(
            "acknowledge alert",
            lambda: alerts.acknowledge(view.id),
            lambda _view: self.refresh(),
            self._on_failed,
        )

    @Slot()
    def raise_panic(self) -> None:
        """Ask to confirm, then send a FLASH alert to the whole mission with the last known
        position (the menu's action calls this too)."""
        if self._closed:
            return
        if self.dialogs.bring_to_front():
            return
        session = self._session
        self._tasks.run(
            "read panic context",
            lambda: read_panic_context(session),
            self._open_panic,
            self._on_failed,
        )

    def _open_panic(self, context: PanicContext) -> None:
        if self._closed or self.dialogs:
            return
        dialog = PanicDialog(self._session.alerts, self._tasks, context, self)
        dialog.raised.connect(self._on_panic_raised)
        self.dialogs.open(dialog)

    def _on_panic_raised(self, alert_id: str) -> None:
        self.shown = alert_id
        self.note.setText("Panic alarm raised: FLASH to the whole mission.")
        self.refresh()

    def close_page(self) -> None:
        super().close_page()
        self.dialogs.close_for_lock()
        self.model.set_rows([])
        self.shown = None
        self.flash_banner.clear()
        self.flash_banner.hide()
        self.summary.setText("")
        self.note.setText("")
