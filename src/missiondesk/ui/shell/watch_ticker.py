"""The watch, ticked while a session is open, and the notifications of what it finds.

Every `TICK_MS` the watch ticks on the vault thread (`session.watch.tick`): missed check-ins
escalate and checklists turn late from this laptop's own clock, whatever section is shown and
with no link. Alerts meant for this laptop's officer (see `AlertService.meant_for_me`), raised
here by a tick or arriving from a peer, raise a desktop notification; so do checklists of this
officer or outpost that turned late. A notification names the step and the people, never the
position or the alert's text: it can be read on a locked screen.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal, Slot
from PySide6.QtWidgets import QWidget

from missiondesk.domain.changeset import ChangeSet, Origin
from missiondesk.domain.dtg import format_dtg
from missiondesk.services.session import Session
from missiondesk.ui.changes import ChangeRelay
from missiondesk.ui.shell.tray import Tray
from missiondesk.ui.tasks import Failure, TaskRunner

if TYPE_CHECKING:  # loaded by the first tick, on the vault thread, after the first screen
    from missiondesk.services.alert_views import AlertView
    from missiondesk.services.checklist_views import LateChecklist
    from missiondesk.services.watch import TickReport

TICK_MS = 10_000  # a few seconds: a tick costs tens of milliseconds on the vault thread


def alert_notice(view: AlertView) -> tuple[str, str]:
    """(title, body) of an alert's notification."""
    alert = view.alert
    who = ", ".join(view.people) or "a person"
    return (
        f"{alert.precedence.value.upper()} alert: {alert.step.value} for {who}",
        f"Raised {format_dtg(alert.raised)}. Open MissionDesk, Personnel, to acknowledge it.",
    )


def late_notice(late: Sequence[LateChecklist]) -> tuple[str, str]:
    first = late[0]
    if len(late) == 1:
        return (
            f"Checklist late: {first.title}",
            f"Due {format_dtg(first.late_at)} for {first.assignee or first.outpost}.",
        )
    return (f"{len(late)} checklists are late", "Open MissionDesk, Checklists, to see them.")


class WatchTicker(QObject):
    """Ticks the watch and notifies; `alerted` carries each AlertView notified, `late` each
    list of late checklists notified, `ticked` every TickReport (tests wait on it)."""

    alerted = Signal(object)
    late = Signal(object)
    ticked = Signal(object)

    def __init__(
        self,
        session: Session,
        relay: ChangeRelay,
        tasks: TaskRunner,
        tray: Tray,
        window: QWidget,
        *,
        tick_ms: int | None = None,
        parent: QObject | None = None,
        start: bool = True,
    ) -> None:
        """`tick_ms`: between ticks (None: TICK_MS); 0: no timer, a tick at the start and when
        `tick()` is called. `start`: the first tick at once (what fell due while the vault was
        shut); False leaves it to `tick()` (the app calls it once the first screen has
        painted)."""
        super().__init__(parent)
        self._session = session
        self._tasks = tasks
        self._tray = tray
        self._window = window
        self._told: set[str] = set()  # alert ids already notified
        self._active = True
        self._busy = False  # a tick is on the vault thread: the next timeout waits for it
        self._timer = QTimer(self)
        self._timer.setInterval(TICK_MS if tick_ms is None else tick_ms)
        self._timer.timeout.connect(self.tick)
        relay.changed.connect(self._on_changed)
        if self._timer.interval() > 0:
            self._timer.start()
        if start:
            QTimer.singleShot(0, self, self.tick)

    def stop(self) -> None:
        self._active = False
        self._timer.stop()

    @Slot()
    def tick(self) -> None:
        if not self._active or self._busy:
            return
        self._busy = True
        session = self._session

        def tick_and_sort() -> tuple[TickReport, tuple[AlertView, ...], list[LateChecklist]]:
            from missiondesk.services.alert_views import AlertView
            from missiondesk.services.checklist_views import LateChecklist

            report = session.watch.tick()
            raised = [v for v in report.found.get("movements", ()) if isinstance(v, AlertView)]
            late = [c for c in report.found.get("checklists", ()) if isinstance(c, LateChecklist)]
            return report, session.alerts.meant_for_me(raised), self._mine(late)

        self._tasks.run("watch tick", tick_and_sort, self._on_tick, self._on_failed)

    def _mine(self, late: list[LateChecklist]) -> list[LateChecklist]:
        """Late checklists of this officer (by name or callsign) or of their outpost."""
        me = self._session.people.me()
        if me is None:
            return late
        names = {n.lower() for n in (me.name, me.callsign) if n}
        return [
            c for c in late
            if c.assignee.lower() in names or (me.outpost and c.outpost == me.outpost)
        ]  # fmt: skip

    def _on_tick(
        self, result: tuple[TickReport, tuple[AlertView, ...], list[LateChecklist]]
    ) -> None:
        self._busy = False
        if not self._active:
            return
        report, alerts, late = result
        self._notify(alerts)
        if late:
            title, body = late_notice(late)
            self._tray.notify(title, body, self._window)
            self.late.emit(late)
        self.ticked.emit(report)

    def _on_failed(self, failure: Failure) -> None:
        self._busy = False  # the next tick tries again; the window's status shows vault errors

    @Slot(object)
    def _on_changed(self, changes: ChangeSet) -> None:
        if not self._active or changes.origin is not Origin.PEER:
            return
        fresh = [a for a in changes.ids_of("alert") if a not in self._told]
        if fresh:
            alerts = self._session.alerts
            self._tasks.run(
                "check new alerts",
                lambda: alerts.meant_for_me(alerts.views_of(fresh)),
                self._notify,
            )

    def _notify(self, views: Sequence[AlertView]) -> None:
        if not self._active:
            return
        for view in sorted(views, key=lambda v: v.alert.precedence.rank):
            if view.id in self._told:
                continue
            self._told.add(view.id)
            title, body = alert_notice(view)
            self._tray.notify(title, body, self._window)
            self.alerted.emit(view)
