"""Movements: plan one, check in (one call), arrive; and the escalation of missed check-ins.

The watch (`services/watch.py`) calls `escalate(since, now)`: one indexed query of the
projection `movement_watch` finds the movements whose next step is due, and the steps due are
written as `alert` records in one transaction. An escalation alert's id and fields depend only
on (movement, missed due time, step), so laptops escalating the same movement while apart
write the same record. A check-in or the arrival moves the due time on, which stops the steps
of the check-in that was missed. It all runs from the vault's own clock and records: offline.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from missiondesk.domain.coordinates import Location, parse_location
from missiondesk.domain.dtg import format_dtg
from missiondesk.domain.errors import FieldProblem, InvalidFields, InvalidInput, MissionDeskError
from missiondesk.domain.escalation import (
    AUDIENCE,
    PRECEDENCE,
    STEPS,
    DueStep,
    State,
    due_steps,
    state,
)
from missiondesk.domain.ids import derived_id
from missiondesk.domain.markings import Sensitivity
from missiondesk.domain.protection_rules import PLANNERS
from missiondesk.domain.records.alerts import Alert, AlertSource, AlertStep
from missiondesk.domain.records.movements import (
    Escalation,
    Movement,
    MovementCheckin,
    MovementStatus,
    Waypoint,
)
from missiondesk.services.alert_views import AlertView
from missiondesk.services.people import PeopleService
from missiondesk.services.protection_access import ProtectionAccess
from missiondesk.services.records import RecordService, validate, validate_model
from missiondesk.services.roster import RosterService
from missiondesk.services.writer import Change
from missiondesk.store.protection_reads import WatchRow
from missiondesk.store.vault import Vault

FUTURE_SLACK = timedelta(minutes=15)  # clocks of field laptops drift
STEP_TEXT = {
    AlertStep.WARNING: "{title}: check in now, the check-in due {due} was missed.",
    AlertStep.ALARM: "{title}: no check-in since it was due {due}; duty officer to act.",
    AlertStep.FLASH: "FLASH {title}: overdue since {due}, no contact.",
}


def moment(ms: int) -> datetime:
    return datetime.fromtimestamp(ms / 1000, UTC)


def millis(at: datetime) -> int:
    return int(at.timestamp() * 1000)


def alert_id(movement_id: str, due_ms: int, step: AlertStep) -> str:
    """The one id every laptop gives this step of this missed check-in."""
    return derived_id("alert", movement_id, str(due_ms), step.value)


@dataclass(frozen=True)
class MovementView:
    id: str
    movement: Movement
    people: tuple[str, ...]  # callsigns (else names)
    last_checkin: datetime | None
    last_position: Location | None
    next_due: datetime | None  # None once closed
    state: State
    escalate_at: datetime | None  # when the next step is raised, if it is still to come

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            **self.movement.model_dump(mode="json"),
            "labels": list(self.people),
            "last_checkin": self.last_checkin.isoformat() if self.last_checkin else None,
            "last_position": self.last_position.model_dump() if self.last_position else None,
            "next_due": self.next_due.isoformat() if self.next_due else None,
            "state": self.state.value,
            "escalate_at": self.escalate_at.isoformat() if self.escalate_at else None,
        }


@dataclass(frozen=True)
class MovementDetail:
    """One movement in full, as the board's details show it."""

    view: MovementView
    checkins: tuple[MovementCheckin, ...]  # the latest first
    alerts: tuple[AlertView, ...]  # every step raised for it, in the order raised


@dataclass(frozen=True)
class PeriodMovement:
    """A movement under way or planned in a period, as a SITREP lists it."""

    view: MovementView
    missed: int  # check-ins due in the period that were missed (a step was raised for them)
    escalation: AlertStep | None  # the highest step raised for those, None if none was
    points: tuple[Location, ...]  # the route's located waypoints, the period's check-in positions
    sensitivity: Sensitivity  # the highest of the movement and of those steps' alerts


@dataclass(frozen=True)
class CheckinResult:
    movement: str
    checkin: str
    at: datetime
    next_due: datetime | None


def waypoint(text: str) -> Waypoint:
    """``NAME`` or ``NAME=LOCATION`` (MGRS, decimal degrees or DMS)."""
    name, sep, where = text.partition("=")
    location = parse_location(where, name.strip()) if sep and where.strip() else None
    return validate_model(Waypoint, {"name": name, "location": location}, "waypoint")


class MovementService:
    def __init__(
        self,
        vault: Vault,
        records: RecordService,
        people: PeopleService,
        roster: RosterService,
        access: ProtectionAccess,
        wall: Callable[[], int],
    ) -> None:
        self._vault = vault
        self._records = records
        self._people = people
        self._roster = roster
        self._access = access
        self._wall = wall

    def now(self) -> datetime:
        return moment(self._wall())

    def _me(self) -> str:
        return self._people.my_label()

    # -- planning and check-ins -------------------------------------------------------------

    def plan(
        self,
        title: str,
        people: Sequence[str],
        route: Sequence[str | Waypoint],
        *,
        eta: datetime,
        interval: int,
        depart: datetime | None = None,
        vehicles: Sequence[str] = (),
        warning: int | None = None,
        alarm: int | None = None,
        flash: int | None = None,
        sensitivity: Sensitivity = Sensitivity.CONFIDENTIAL,
    ) -> str:
        """Plan a movement; `people` by callsign, name or id, `route` as waypoints (``NAME`` or
        ``NAME=LOCATION``), `interval` and the escalation steps in minutes (steps default to
        the due time, half an interval and an interval after it). Returns its id."""
        self._access.require(PLANNERS, "plan a movement")
        problems: list[FieldProblem] = []
        person_ids: list[str] = []
        for i, who in enumerate(people):
            try:
                found = self._roster.resolve(who)
            except InvalidInput as exc:
                problems.append(FieldProblem(f"people.{i}", exc.message))
                continue
            if found not in person_ids:  # the same person named twice moves once
                person_ids.append(found)
        points: list[Waypoint] = []
        for i, point in enumerate(route):
            try:
                points.append(point if isinstance(point, Waypoint) else waypoint(point))
            except MissionDeskError as exc:
                why = str(exc).removeprefix("Invalid waypoint: ")
                problems.append(FieldProblem(f"route.{i}", why))
        if problems:
            raise InvalidFields("movement", tuple(problems))
        try:
            default = Escalation.default_for(interval)
            escalation: Any = {
                "warning": default.warning if warning is None else warning,
                "alarm": default.alarm if alarm is None else alarm,
                "flash": default.flash if flash is None else flash,
            }
        except ValueError:  # a bad interval: the record's own check names it
            escalation = {"warning": 0, "alarm": 0, "flash": 0}
        movement = validate(
            Movement,
            {
                "title": title,
                "people": tuple(person_ids),
                "vehicles": tuple(v for v in vehicles if v.strip()),
                "route": tuple(points),
                "depart": depart or self.now(),
                "eta": eta,
                "interval": interval,
                "escalation": escalation,
                "planned_by": self._me(),
                "sensitivity": sensitivity,
            },
        )
        movement_id, _ = self._records.create(movement)
        return movement_id

    def check_in(
        self,
        movement_id: str,
        position: str | Location | None = None,
        note: str = "",
        at: datetime | None = None,
    ) -> CheckinResult:
        """Check in on an active movement: now (or `at`), optionally where. One operation."""
        movement = self._active(movement_id)
        change, checkin_id, when = self._checkin_change(movement, movement_id, position, note, at)
        self._records.submit([change])
        watch = self._vault.protection.watch(movement_id)
        due = moment(watch.next_due) if watch and watch.active else None
        return CheckinResult(movement_id, checkin_id, when, due)

    def arrive(
        self, movement_id: str, position: str | Location | None = None, at: datetime | None = None
    ) -> MovementView:
        """Close a movement: a last check-in and the arrival, in one transaction. No step is
        raised for it after this."""
        movement = self._active(movement_id)
        checkin, _, when = self._checkin_change(movement, movement_id, position, "arrived", at)
        closed = movement.model_copy(update={"status": MovementStatus.ARRIVED, "arrived": when})
        fields = closed.model_dump(mode="json", include={"status", "arrived"})
        update = self._records.update_change(Movement, movement_id, fields)
        self._records.submit([checkin, *([update] if update else [])])
        return self.get(movement_id)

    def cancel(self, movement_id: str) -> MovementView:
        self._access.require(PLANNERS, "cancel a movement")
        self._active(movement_id)
        self._records.update(Movement, movement_id, {"status": MovementStatus.CANCELLED})
        return self.get(movement_id)

    def revise(
        self, movement_id: str, *, eta: datetime | None = None, interval: int | None = None
    ) -> MovementView:
        """Change an active movement's ETA or its check-in interval (planners): a patrol held
        up, a route that takes longer. With a new interval, a movement whose escalation steps
        were the defaults gets the defaults for the new interval; steps set by hand are kept.
        The next check-in falls due one (new) interval after the last check-in or the
        departure."""
        self._access.require(PLANNERS, "revise a movement")
        movement = self._active(movement_id)
        changes: dict[str, Any] = {}
        if eta is not None:
            changes["eta"] = eta if eta.tzinfo else eta.replace(tzinfo=UTC)
        if interval is not None and interval != movement.interval:
            changes["interval"] = interval
            if movement.escalation == Escalation.default_for(movement.interval):
                changes["escalation"] = Escalation.default_for(interval).model_dump()
        if not changes:
            raise InvalidInput("Give a new ETA or a new check-in interval for the movement.")
        self._records.update(Movement, movement_id, changes)
        return self.get(movement_id)

    def _active(self, movement_id: str) -> Movement:
        movement = self._records.get(Movement, movement_id)
        if movement.status is not MovementStatus.ACTIVE:
            raise InvalidInput(
                f"Movement {movement_id} is {movement.status.value}; it takes no check-in."
            )
        return movement

    def _checkin_change(
        self,
        movement: Movement,
        movement_id: str,
        position: str | Location | None,
        note: str,
        at: datetime | None,
    ) -> tuple[Change, str, datetime]:
        now = self.now()
        when = at or now
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        if when > now + FUTURE_SLACK:
            raise InvalidFields("check-in", (FieldProblem("at", "is in the future"),))
        if when < movement.depart - FUTURE_SLACK:  # the slack: laptops' clocks differ a little
            raise InvalidFields(
                "check-in",
                (FieldProblem("at", f"is before the departure ({format_dtg(movement.depart)})"),),
            )
        try:
            where = parse_location(position) if isinstance(position, str) else position
        except MissionDeskError as exc:
            raise InvalidFields("check-in", (FieldProblem("position", str(exc)),)) from None
        values = {"movement": movement_id, "at": when, "position": where, "note": note}
        checkin = validate(MovementCheckin, {**values, "by": self._me()})
        checkin_id, change = self._records.create_change(
            MovementCheckin, checkin.model_dump(mode="json")
        )
        return change, checkin_id, when

    # -- reading ----------------------------------------------------------------------------

    def resolve_id(self, text: str) -> str:
        """A movement's id from the id or its first characters (unique among movements)."""
        wanted = text.strip().lower()
        if len(wanted) < 4:
            raise InvalidInput("Give at least the first 4 characters of the movement id.")
        found = [
            s.id for s in self._vault.reads.of_type("movement", limit=1_000_000)
            if s.id.startswith(wanted)
        ]  # fmt: skip
        if len(found) == 1:
            return found[0]
        if not found:
            raise InvalidInput(f"There is no movement with id {text}.")
        raise InvalidInput(f"Several movements have ids starting with {text}; give more of it.")

    def get(self, movement_id: str) -> MovementView:
        movement = self._records.get(Movement, movement_id)
        watch = self._vault.protection.watch(movement_id)
        return self._view(movement_id, movement, watch, self._roster.label_map())

    def detail(self, movement_id: str, limit: int = 200) -> MovementDetail:
        """A movement with its check-ins (the latest `limit`) and the alerts raised for it."""
        view = self.get(movement_id)
        checkins = []
        for row in self._vault.protection.checkins(movement_id, limit):
            stored = self._vault.reads.get(row.checkin)
            if stored is None or stored.deleted:
                continue
            try:
                checkins.append(MovementCheckin.model_validate(stored.doc))
            except ValueError:
                continue
        alerts = []
        for _due, _step, alert in self._vault.protection.raised(movement_id):
            stored = self._vault.reads.get(alert)
            if stored is None or stored.deleted:
                continue
            try:
                found = Alert.model_validate(stored.doc)
            except ValueError:
                continue
            alerts.append(AlertView(alert, found, view.people))
        return MovementDetail(view, tuple(checkins), tuple(alerts))

    def active(self) -> list[MovementView]:
        """Active movements, the next check-in due first."""
        views = []
        labels = self._roster.label_map()
        for row in self._vault.protection.active():
            stored = self._vault.reads.get(row.movement)
            if stored is None or stored.deleted:
                continue
            try:
                movement = Movement.model_validate(stored.doc)
            except ValueError:
                continue
            views.append(self._view(row.movement, movement, row, labels))
        return views

    def _view(
        self,
        movement_id: str,
        movement: Movement,
        row: WatchRow | None,
        labels: Mapping[str, str],
    ) -> MovementView:
        last = self._vault.protection.last_position([movement_id])
        position = (
            Location(lat=last.lat, lon=last.lon, mgrs=last.mgrs)
            if last and last.lat is not None and last.lon is not None
            else None
        )
        active = movement.status is MovementStatus.ACTIVE and row is not None and row.active
        if not active or row is None:
            cancelled = movement.status is MovementStatus.CANCELLED
            closed = State.CANCELLED if cancelled else State.ARRIVED
            last_at = moment(row.last_checkin) if row and row.last_checkin else None
            return MovementView(
                movement_id, movement, self._roster.labels(movement.people, labels), last_at,
                position,
                None, closed, None,
            )  # fmt: skip
        return MovementView(
            movement_id,
            movement,
            self._roster.labels(movement.people, labels),
            moment(row.last_checkin) if row.last_checkin is not None else None,
            position,
            moment(row.next_due),
            state(True, row.stage, row.next_due, millis(self.now()), millis(movement.eta)),
            moment(row.escalate_at) if row.escalate_at is not None else None,
        )

    def of_period(self, start: datetime, end: datetime) -> list[PeriodMovement]:
        """The movements under way or planned in [start, end), by departure: those that
        depart before its end and were not closed before its start (arrived, at their
        arrival; cancelled, at their ETA: the span they were planned for; active ones are
        open), with the check-ins missed in it."""
        start_ms, end_ms = millis(start), millis(end)
        labels = self._roster.label_map()
        found = []
        for stored, movement in self._records.list(Movement, limit=1_000_000):
            closed = {
                MovementStatus.ARRIVED: movement.arrived or movement.eta,
                MovementStatus.CANCELLED: movement.eta,
            }.get(movement.status)
            if movement.depart >= end or (closed is not None and closed < start):
                continue
            watch = self._vault.protection.watch(stored.id)
            view = self._view(stored.id, movement, watch, labels)
            level = movement.sensitivity
            dues: set[int] = set()
            highest = -1
            for due, rank, alert in self._vault.protection.raised(stored.id):
                if not start_ms <= due < end_ms:
                    continue
                dues.add(due)
                highest = max(highest, rank)
                raised = self._vault.reads.get(alert)
                if raised is not None and not raised.deleted:
                    marked = Sensitivity.of_stored(raised.doc.get("sensitivity"))
                    level = max(level, marked, key=lambda s: s.rank)
            points = [w.location for w in movement.route if w.location is not None]
            points += [
                Location(lat=row.lat, lon=row.lon, mgrs=row.mgrs)
                for row in self._vault.protection.checkins(stored.id, limit=100_000)
                if start_ms <= row.at < end_ms and row.lat is not None and row.lon is not None
            ]
            found.append(
                PeriodMovement(
                    view, len(dues), STEPS[highest] if highest >= 0 else None, tuple(points),
                    level,
                )
            )  # fmt: skip
        found.sort(key=lambda p: (p.view.movement.depart, p.view.id))
        return found

    def last_position(self, person_id: str) -> Location | None:
        """Where a person last checked in with a position, on any movement they were on."""
        movements = [
            s.id for s, m in self._records.list(Movement, limit=1_000_000) if person_id in m.people
        ]
        last = self._vault.protection.last_position(movements)
        if last is None or last.lat is None or last.lon is None:
            return None
        return Location(lat=last.lat, lon=last.lon, mgrs=last.mgrs)

    # -- escalation -------------------------------------------------------------------------

    def escalate(self, since: datetime, now: datetime) -> list[AlertView]:
        """Raise every step due by `now` (a watcher: `since` is not needed, the projection
        knows which steps were raised). One indexed query, one transaction; returns the alerts
        this call wrote, in the order of their steps."""
        del since
        now_ms = millis(now)
        wanted: list[tuple[str, Alert]] = []
        for row in self._vault.protection.due(now_ms):
            steps = due_steps(row.next_due, row.offsets, row.stage, now_ms)
            if not steps:
                continue
            stored = self._vault.reads.get(row.movement)
            if stored is None or stored.deleted:
                continue
            try:
                movement = Movement.model_validate(stored.doc)
            except ValueError:
                continue
            last = self._vault.protection.last_position([row.movement])
            position = (
                Location(lat=last.lat, lon=last.lon, mgrs=last.mgrs)
                if last and last.lat is not None and last.lon is not None
                else None
            )
            wanted.extend(
                (alert_id(row.movement, step.due_ms, step.step),
                 self._alert(row.movement, movement, step, position))
                for step in steps
            )  # fmt: skip
        if not wanted:
            return []
        known = self._vault.protection.known([i for i, _ in wanted])
        fresh = [(i, a) for i, a in wanted if i not in known]
        changes = [
            self._records.create_change(Alert, a.model_dump(mode="json"), i)[1] for i, a in fresh
        ]
        if changes:
            self._records.submit(changes)
        labels = self._roster.label_map()
        return [AlertView(i, a, self._roster.labels(a.people, labels)) for i, a in fresh]

    @staticmethod
    def _alert(
        movement_id: str, movement: Movement, step: DueStep, position: Location | None
    ) -> Alert:
        """The alert of one step: a function of the movement, the due time and the step."""
        due = moment(step.due_ms)
        return Alert(
            source=AlertSource.MOVEMENT,
            step=step.step,
            precedence=PRECEDENCE[step.step],
            audience=AUDIENCE[step.step],
            subject=movement_id,
            people=movement.people,
            due=due,
            raised=moment(step.at_ms),
            text=STEP_TEXT[step.step].format(title=movement.title[:300], due=format_dtg(due)),
            position=position,
            sensitivity=movement.sensitivity,
        )
