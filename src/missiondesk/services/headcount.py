"""Emergency headcounts: started by a duty officer for the mission or some outposts; every
person in scope is Safe, Needs help or Unaccounted (until marked); roll-up by outpost and for
the mission, with the time the last person was accounted for.

A mark is one record per (headcount, person) with an id derived from both, so marks made for
the same person on several laptops merge into one record (the later write shows).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from pydantic import ValidationError

from missiondesk.domain.coordinates import Location, parse_location
from missiondesk.domain.errors import FieldProblem, InvalidFields, InvalidInput, MissionDeskError
from missiondesk.domain.markings import Sensitivity
from missiondesk.domain.protection_rules import HEADCOUNT_LEADERS
from missiondesk.domain.records.headcount import (
    Headcount,
    HeadcountMark,
    HeadcountStatus,
    PersonStatus,
    mark_id,
)
from missiondesk.services.people import PeopleService
from missiondesk.services.protection_access import ProtectionAccess
from missiondesk.services.records import RecordService, validate
from missiondesk.services.roster import NO_OUTPOST, RosterEntry, RosterService
from missiondesk.store.vault import Vault


@dataclass(frozen=True)
class PersonLine:
    person: str
    label: str
    outpost: str
    status: PersonStatus
    note: str = ""
    marked: datetime | None = None
    marked_by: str = ""

    def as_json(self) -> dict[str, Any]:
        return {
            "person": self.person, "label": self.label, "outpost": self.outpost,
            "status": self.status.value, "note": self.note,
            "marked": self.marked.isoformat() if self.marked else None,
            "marked_by": self.marked_by,
        }  # fmt: skip


@dataclass(frozen=True)
class Rollup:
    """Counts of one outpost (or the mission); `accounted_at` is when the last person was
    accounted for (Safe or Needs help), None while anyone is unaccounted."""

    name: str
    safe: int
    needs_help: int
    unaccounted: int
    accounted_at: datetime | None

    @property
    def total(self) -> int:
        return self.safe + self.needs_help + self.unaccounted

    def as_json(self) -> dict[str, Any]:
        return {
            "name": self.name, "safe": self.safe, "needs_help": self.needs_help,
            "unaccounted": self.unaccounted, "total": self.total,
            "accounted_at": self.accounted_at.isoformat() if self.accounted_at else None,
        }  # fmt: skip


def rollup(name: str, lines: Sequence[PersonLine]) -> Rollup:
    counts = {s: 0 for s in PersonStatus}
    for line in lines:
        counts[line.status] += 1
    marked = [line.marked for line in lines if line.marked is not None]
    done = counts[PersonStatus.UNACCOUNTED] == 0 and bool(lines)
    return Rollup(
        name,
        counts[PersonStatus.SAFE],
        counts[PersonStatus.NEEDS_HELP],
        counts[PersonStatus.UNACCOUNTED],
        max(marked) if done and marked else None,
    )


@dataclass(frozen=True)
class HeadcountView:
    id: str
    headcount: Headcount
    people: tuple[PersonLine, ...]  # by outpost, then label
    outposts: tuple[Rollup, ...]
    mission: Rollup
    sensitivity: Sensitivity  # the highest of the headcount and of its marks

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            **self.headcount.model_dump(mode="json", exclude={"people"}),
            "people": [p.as_json() for p in self.people],
            "outposts": [o.as_json() for o in self.outposts],
            "mission": self.mission.as_json(),
        }


class HeadcountService:
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

    def _now(self) -> datetime:
        return datetime.fromtimestamp(self._wall() / 1000, UTC)

    def _me(self) -> str:
        return self._people.my_label()

    def start(self, title: str = "Emergency headcount", outposts: Sequence[str] = ()) -> str:
        """Start a headcount of the mission (or of `outposts`): everyone in scope on the
        roster now is Unaccounted until marked. Duty officers, security officers and
        commanders only."""
        self._access.require(HEADCOUNT_LEADERS, "start a headcount")
        known = {o.casefold(): o for o in self._roster.outposts()}
        unknown = [o for o in outposts if o.casefold() not in known]
        if unknown:
            raise InvalidFields(
                "headcount",
                (FieldProblem("outposts", f"no one on the roster is at {', '.join(unknown)}"),),
            )
        scope = tuple(known[o.casefold()] for o in outposts)
        people = tuple(e.id for e in self._roster.entries(scope))
        if not people:
            raise InvalidInput("No one on the roster is in that scope; add people first.")
        headcount = validate(
            Headcount,
            {"title": title, "outposts": scope, "people": people, "started": self._now(),
             "started_by": self._me()},
        )  # fmt: skip
        headcount_id, _ = self._records.create(headcount)
        return headcount_id

    def mark(
        self,
        headcount_id: str,
        person: str,
        status: PersonStatus | str,
        note: str = "",
        position: str | Location | None = None,
    ) -> PersonLine:
        """Mark a person Safe, Needs help or Unaccounted (anyone enrolled may: the person or
        their warden). One operation; the same person marked elsewhere merges into it."""
        headcount = self._records.get(Headcount, headcount_id)
        if headcount.status is not HeadcountStatus.OPEN:
            raise InvalidInput("This headcount is closed; start a new one.")
        self._access.role()  # a member whose certificate is gone marks nothing
        person_id = self._roster.resolve(person)
        problems = []
        try:
            value = status if isinstance(status, PersonStatus) else PersonStatus.parse(status)
        except ValueError:
            value = PersonStatus.UNACCOUNTED
            problems.append(FieldProblem("status", "use safe, needs_help or unaccounted"))
        try:
            where = parse_location(position) if isinstance(position, str) else position
        except MissionDeskError as exc:
            where = None
            problems.append(FieldProblem("position", str(exc)))
        if problems:
            raise InvalidFields("headcount mark", tuple(problems))
        mark = validate(
            HeadcountMark,
            {"headcount": headcount_id, "person": person_id, "status": value, "note": note,
             "position": where, "marked": self._now(), "marked_by": self._me()},
        )  # fmt: skip
        entity = mark_id(headcount_id, person_id)
        fields = mark.model_dump(mode="json")
        stored = self._vault.reads.get(entity)
        if stored is None:
            self._records.submit([self._records.create_change(HeadcountMark, fields, entity)[1]])
        else:
            change = self._records.update_change(HeadcountMark, entity, fields)
            if change is not None:
                self._records.submit([change])
        return self._line(person_id, mark, {e.id: e for e in self._roster.entries()})

    def close(self, headcount_id: str) -> HeadcountView:
        self._access.require(HEADCOUNT_LEADERS, "close a headcount")
        self._records.update(
            Headcount, headcount_id, {"status": HeadcountStatus.CLOSED, "closed": self._now()}
        )
        return self.status(headcount_id)

    # -- reading --------------------------------------------------------------------------------

    def headcounts(self) -> list[tuple[str, Headcount]]:
        """Every headcount, the latest started first."""
        found = [(s.id, h) for s, h in self._records.list(Headcount, limit=100_000)]
        return sorted(found, key=lambda p: (p[1].started, p[0]), reverse=True)

    def latest_before(self, end: datetime) -> HeadcountView | None:
        """The latest headcount started before `end` (open or closed, as it stands now)."""
        for headcount_id, headcount in self.headcounts():
            if headcount.started < end:
                return self.status(headcount_id)
        return None

    def current(self) -> str | None:
        """The latest open headcount, if any."""
        for headcount_id, headcount in self.headcounts():
            if headcount.status is HeadcountStatus.OPEN:
                return headcount_id
        return None

    def resolve_id(self, text: str | None) -> str:
        """A headcount's id from its first characters; None: the latest open one."""
        if text is None:
            current = self.current()
            if current is None:
                raise InvalidInput("No headcount is open; start one with 'headcount start'.")
            return current
        wanted = text.strip().lower()
        if len(wanted) < 4:
            raise InvalidInput("Give at least the first 4 characters of the headcount id.")
        found = [i for i, _ in self.headcounts() if i.startswith(wanted)]
        if len(found) == 1:
            return found[0]
        if not found:
            raise InvalidInput(f"There is no headcount with id {text}.")
        raise InvalidInput(f"Several headcounts have ids starting with {text}; give more of it.")

    def status(self, headcount_id: str) -> HeadcountView:
        """Everyone in scope with their status, the roll-up by outpost and for the mission."""
        headcount = self._records.get(Headcount, headcount_id)
        entries = {e.id: e for e in self._roster.entries()}
        marks: dict[str, HeadcountMark] = {}
        level = headcount.sensitivity
        for row in self._vault.protection.marks(headcount_id):
            stored = self._vault.reads.get(row.mark)
            if stored is None:
                continue
            try:
                mark = HeadcountMark.model_validate(stored.doc)
            except ValidationError:
                continue
            level = max(level, mark.sensitivity, key=lambda s: s.rank)
            if row.person not in marks or mark.marked > marks[row.person].marked:
                marks[row.person] = mark
        in_scope = list(dict.fromkeys([*headcount.people, *marks]))
        lines = sorted(
            (self._line(p, marks.get(p), entries) for p in in_scope),
            key=lambda line: (line.outpost.casefold(), line.label.casefold()),
        )
        by_outpost: dict[str, list[PersonLine]] = {}
        for line in lines:
            by_outpost.setdefault(line.outpost, []).append(line)
        return HeadcountView(
            headcount_id,
            headcount,
            tuple(lines),
            tuple(rollup(name, group) for name, group in by_outpost.items()),
            rollup("mission", lines),
            level,
        )

    @staticmethod
    def _line(
        person_id: str, mark: HeadcountMark | None, entries: dict[str, RosterEntry]
    ) -> PersonLine:
        entry = entries.get(person_id)
        label = entry.label if entry else person_id[:8]
        outpost = entry.outpost if entry else NO_OUTPOST
        if mark is None:
            return PersonLine(person_id, label, outpost, PersonStatus.UNACCOUNTED)
        return PersonLine(
            person_id, label, outpost, mark.status, mark.note,
            mark.marked if mark.status is not PersonStatus.UNACCOUNTED else None, mark.marked_by,
        )  # fmt: skip
