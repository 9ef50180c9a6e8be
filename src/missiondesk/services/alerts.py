"""Alerts: the list (open ones first), acknowledging one, and the panic alarm.

Escalation alerts are raised by the watch (`MovementService.escalate`); a panic is pressed by
a person on any laptop and goes to the whole mission as FLASH with their last known position
(given, or their last check-in that had one).
"""

from __future__ import annotations

import builtins
from collections.abc import Callable, Sequence
from datetime import datetime

from pydantic import ValidationError

from missiondesk.domain.coordinates import Location, parse_location
from missiondesk.domain.errors import FieldProblem, InvalidFields, InvalidInput, MissionDeskError
from missiondesk.domain.escalation import AUDIENCE, PRECEDENCE
from missiondesk.domain.protection_rules import reaches
from missiondesk.domain.records.alerts import Alert, AlertSource, AlertStep
from missiondesk.services.alert_views import AlertView
from missiondesk.services.mission import MissionService
from missiondesk.services.movements import MovementService, moment
from missiondesk.services.people import PeopleService
from missiondesk.services.records import RecordService
from missiondesk.services.roster import RosterService
from missiondesk.store.vault import Vault


class AlertService:
    def __init__(
        self,
        vault: Vault,
        records: RecordService,
        people: PeopleService,
        roster: RosterService,
        movements: MovementService,
        mission: MissionService,
        wall: Callable[[], int],
    ) -> None:
        self._vault = vault
        self._mission = mission
        self._records = records
        self._people = people
        self._roster = roster
        self._movements = movements
        self._wall = wall

    def _now(self) -> datetime:
        return moment(self._wall())

    def list(self, *, open_only: bool = False, limit: int = 500) -> list[AlertView]:
        """Alerts, the latest raised first (open ones only, if asked)."""
        found: list[tuple[str, Alert]] = []
        for stored in self._vault.reads.of_type("alert", limit=1_000_000):
            try:
                alert = Alert.model_validate(stored.doc)
            except ValidationError:
                continue
            if open_only and alert.acknowledged is not None:
                continue
            found.append((stored.id, alert))
        found.sort(key=lambda pair: (pair[1].raised, pair[0]), reverse=True)
        labels = self._roster.label_map()
        return [AlertView(i, a, self._roster.labels(a.people, labels)) for i, a in found[:limit]]

    def get(self, alert_id: str) -> AlertView:
        alert = self._records.get(Alert, alert_id)
        return AlertView(alert_id, alert, self._roster.labels(alert.people))

    def resolve_id(self, text: str) -> str:
        wanted = text.strip().lower()
        if len(wanted) < 4:
            raise InvalidInput("Give at least the first 4 characters of the alert id.")
        found = [
            s.id for s in self._vault.reads.of_type("alert", limit=1_000_000)
            if s.id.startswith(wanted)
        ]  # fmt: skip
        if len(found) == 1:
            return found[0]
        if not found:
            raise InvalidInput(f"There is no alert with id {text}.")
        raise InvalidInput(f"Several alerts have ids starting with {text}; give more of it.")

    def views_of(self, alert_ids: Sequence[str]) -> tuple[AlertView, ...]:
        """The alerts among `alert_ids` that still exist (a notification's read)."""
        found: builtins.list[AlertView] = []
        for alert_id in alert_ids:
            try:
                found.append(self.get(alert_id))
            except MissionDeskError:
                continue  # deleted, or not an alert this version reads
        return tuple(found)

    def meant_for_me(self, views: Sequence[AlertView]) -> tuple[AlertView, ...]:
        """The open alerts of `views` this laptop's officer should be told of (see
        `domain/protection_rules.reaches`)."""
        membership = self._mission.my_membership()
        role = membership.role if membership else None
        in_mission = self._mission.info() is not None
        me = self._people.my_roster_id()
        return tuple(
            v for v in views
            if v.open and reaches(v.alert.audience, v.alert.people, me, role, in_mission)
        )  # fmt: skip

    def acknowledge(self, alert_id: str) -> AlertView:
        """Mark an alert seen and handled by this officer (once; a second time changes
        nothing). It does not stop an escalation: a check-in or the arrival does."""
        view = self.get(alert_id)
        if view.alert.acknowledged is not None:
            return view
        by = self._people.my_label()
        self._records.update(Alert, alert_id, {"acknowledged": self._now(), "acknowledged_by": by})
        return self.get(alert_id)

    def panic(
        self, person: str | None = None, position: str | Location | None = None, note: str = ""
    ) -> AlertView:
        """Raise a FLASH alert to the mission for `person` (this officer if None) with their
        last known position: the one given, else their last check-in that had one."""
        person_id = self._roster.resolve(person) if person else self._people.my_roster_id()
        if not person_id:
            raise InvalidInput("Name the person in danger.")
        try:
            where = parse_location(position) if isinstance(position, str) else position
        except MissionDeskError as exc:
            raise InvalidFields("panic", (FieldProblem("position", str(exc)),)) from None
        where = where or self._movements.last_position(person_id)
        label = self._roster.labels([person_id])[0]
        text = f"PANIC {label}" + (f": {note.strip()}" if note.strip() else "")
        alert = Alert(
            source=AlertSource.PANIC,
            step=AlertStep.PANIC,
            precedence=PRECEDENCE[AlertStep.PANIC],
            audience=AUDIENCE[AlertStep.PANIC],
            people=(person_id,),
            raised=self._now(),
            text=text[:500],
            position=where,
        )
        alert_id, _ = self._records.create(alert)
        return self.get(alert_id)
