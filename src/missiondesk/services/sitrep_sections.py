"""The SITREP's lines from personnel protection and sync: operations and movements, personnel
and headcount, and what this laptop knows of its communications.

- **Operations and movements** are those under way or planned in the period
  (`MovementService.of_period`). With an area (a box, a grid square or both), a movement is
  listed when a located waypoint of its route or a position it checked in from in the period
  lies in it. A movement with no position at all (waypoints given by name only, no check-in
  with a position) cannot be placed: it is listed whatever the area, marked `*`, rather than
  left out of a report that accounts for people on the move.
- **Personnel and headcount** are the whole mission's, whatever the area: the roster places
  people at outposts by name, not by position. The roster is counted as it stands; the
  headcount is the latest one started before the period's end, as it stands now.
- **Communications**: the officer's text, then, in a mission, when this laptop last synced
  with each peer and what waits to go out. The peers' table keeps the latest session only, so
  this is said as of the report, not of the period.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from missiondesk.domain.coordinates import Location, to_mgrs
from missiondesk.domain.dtg import format_dtg
from missiondesk.domain.escalation import State
from missiondesk.domain.incident_filter import BoundingBox, grid_key
from missiondesk.domain.markings import Sensitivity
from missiondesk.domain.records.headcount import HeadcountStatus
from missiondesk.reports.document import Table
from missiondesk.services.headcount import HeadcountView
from missiondesk.services.movements import PeriodMovement
from missiondesk.services.roster import NO_OUTPOST, RosterEntry

if TYPE_CHECKING:  # the sync service is made when a SITREP is first prepared
    from missiondesk.services.sync_service import SyncSummary

MOVEMENT_HEADERS = ("MOVEMENT", "CALLSIGNS", "ROUTE", "DEPARTS", "ETA / ARRIVED", "STATUS",
                    "MISSED")  # fmt: skip
# shares of the PDF's ~108 characters a row: a DTG (14) and 'ETA ' + DTG never wrap
MOVEMENT_WIDTHS = (19.0, 13.0, 18.0, 15.0, 19.0, 13.0, 11.0)
UNPLACED_NOTE = (
    "* No position known (route waypoints by name only, no check-in with a position): listed "
    "whatever the area."
)
WHOLE_MISSION_NOTE = (
    "For the whole mission, whatever the area: the roster places people at outposts by name, "
    "not by position."
)
MAX_CALLSIGNS = 6  # a movement of many people lists the first ones and how many more
MAX_PEERS = 8
TOTAL = "TOTAL"


def higher(first: Sensitivity, second: Sensitivity) -> Sensitivity:
    return first if first.rank >= second.rank else second


# -- operations and movements -----------------------------------------------------------------


def in_area(point: Location, area: BoundingBox | None, grid_prefix: str) -> bool:
    """Whether a point lies in the box and the grid square given (the key prefix of
    `IncidentFilter.grid_prefix`), as the incident list matches incidents."""
    if area is not None and not area.contains(point.lat, point.lon):
        return False
    if not grid_prefix:
        return True
    reference = point.mgrs
    if not reference:
        try:
            reference = to_mgrs(point.lat, point.lon)
        except Exception:  # noqa: BLE001 - MGRS is undefined only at the very poles
            return False
    return grid_key(reference).startswith(grid_prefix)


def placed(
    movements: Sequence[PeriodMovement], area: BoundingBox | None, grid_prefix: str
) -> tuple[tuple[PeriodMovement, ...], frozenset[str]]:
    """The movements of an area and, among them, the ids of those listed because they have no
    position at all (none without an area: every movement is listed)."""
    if area is None and not grid_prefix:
        return tuple(movements), frozenset()
    listed, unplaced = [], set()
    for movement in movements:
        if not movement.points:
            listed.append(movement)
            unplaced.add(movement.view.id)
        elif any(in_area(p, area, grid_prefix) for p in movement.points):
            listed.append(movement)
    return tuple(listed), frozenset(unplaced)


def movement_status(movement: PeriodMovement, now: datetime) -> str:
    view = movement.view
    if view.state in (State.ARRIVED, State.CANCELLED):
        return view.state.value
    if view.movement.depart > now:
        return "planned"
    return view.state.value


def _callsigns(people: Sequence[str]) -> str:
    shown = ", ".join(people[:MAX_CALLSIGNS])
    more = len(people) - MAX_CALLSIGNS
    return f"{shown} +{more}" if more > 0 else shown


def movements_table(
    number: int, movements: Sequence[PeriodMovement], unplaced: frozenset[str], now: datetime
) -> Table:
    rows = []
    for movement in movements:
        view = movement.view
        route = view.movement.route
        arrived = view.movement.arrived if view.state is State.ARRIVED else None
        missed = "-"
        if movement.missed:
            step = movement.escalation.value.upper() if movement.escalation else ""
            missed = f"{movement.missed} ({step})" if step else str(movement.missed)
        rows.append(
            (
                view.movement.title,
                _callsigns(view.people),
                f"{route[0].name} - {route[-1].name}" + (" *" if view.id in unplaced else ""),
                format_dtg(view.movement.depart),
                f"ARR {format_dtg(arrived)}" if arrived else f"ETA {format_dtg(view.movement.eta)}",
                movement_status(movement, now),
                missed,
            )
        )
    return Table(
        number,
        "OPERATIONS AND MOVEMENTS",
        MOVEMENT_HEADERS,
        tuple(rows),
        "lllllll",
        MOVEMENT_WIDTHS,
        note=UNPLACED_NOTE if unplaced else "",
        wrap=True,
    )


def movements_level(movements: Sequence[PeriodMovement]) -> Sensitivity:
    level = Sensitivity.UNCLASSIFIED
    for movement in movements:
        level = higher(level, movement.sensitivity)
    return level


# -- personnel and headcount --------------------------------------------------------------------


def roster_counts(entries: Sequence[RosterEntry]) -> dict[str, int]:
    """Persons on the roster per outpost, by outpost name (those of no outpost last)."""
    counts = Counter(e.outpost for e in entries)
    return {name: counts[name] for name in _outpost_order(counts)}


def _outpost_order(names: Iterable[str]) -> list[str]:
    return sorted(names, key=lambda n: (n == NO_OUTPOST, n.casefold()))


def personnel_level(entries: Sequence[RosterEntry], headcount: HeadcountView | None) -> Sensitivity:
    level = headcount.sensitivity if headcount is not None else Sensitivity.UNCLASSIFIED
    for entry in entries:
        level = higher(level, entry.person.sensitivity)
    return level


def _headcount_note(view: HeadcountView) -> str:
    headcount = view.headcount
    scope = ", ".join(headcount.outposts) if headcount.outposts else "the whole mission"
    by = f" by {headcount.started_by}" if headcount.started_by else ""
    if headcount.status is HeadcountStatus.OPEN:
        state = "still open"
    else:
        state = f"closed {format_dtg(headcount.closed)}" if headcount.closed else "closed"
    mission = view.mission
    if mission.total and not mission.unaccounted and mission.accounted_at is not None:
        accounted = f"everyone accounted for at {format_dtg(mission.accounted_at)}"
    elif mission.unaccounted:
        accounted = f"{mission.unaccounted} of {mission.total} still unaccounted"
    else:
        accounted = "no one in its scope"
    verb = "needs" if mission.needs_help == 1 else "need"
    help_needed = f"; {mission.needs_help} {verb} help" if mission.needs_help else ""
    return (
        f'Headcount "{headcount.title}" of {scope}, started {format_dtg(headcount.started)}{by},'
        f" {state}: {accounted}{help_needed}."
    )


def personnel_table(
    number: int,
    roster: dict[str, int],
    headcount: HeadcountView | None,
    *,
    whole_mission_note: bool,
) -> Table:
    """Persons on the roster by outpost and, with a headcount, its Safe / Needs help /
    Unaccounted per outpost ("-" at an outpost outside its scope) and for the mission."""
    notes = []
    rows: list[tuple[str, ...]]
    if headcount is None:
        headers: tuple[str, ...] = ("OUTPOST", "PERSONS")
        rows = [(name, str(count)) for name, count in roster.items()]
        if rows:
            rows.append((TOTAL, str(sum(roster.values()))))
            notes.append("No headcount was started before the end of the period.")
        align = "lr"
        widths: tuple[float, ...] = (3.0, 1.0)
    else:
        headers = ("OUTPOST", "ON ROSTER", "SAFE", "NEEDS HELP", "UNACCOUNTED")
        counted = {r.name: r for r in headcount.outposts}
        rows = []
        for name in _outpost_order({*roster, *counted}):
            found = counted.get(name)
            figures = (
                (str(found.safe), str(found.needs_help), str(found.unaccounted))
                if found is not None
                else ("-", "-", "-")
            )
            rows.append((name, str(roster.get(name, 0)), *figures))
        mission = headcount.mission
        rows.append((TOTAL, str(sum(roster.values())), str(mission.safe),
                     str(mission.needs_help), str(mission.unaccounted)))  # fmt: skip
        notes.append(_headcount_note(headcount))
        align = "lrrrr"
        widths = (3.0, 1.2, 1.0, 1.2, 1.4)
    if rows and whole_mission_note:
        notes.append(WHOLE_MISSION_NOTE)
    return Table(
        number,
        "PERSONNEL AND HEADCOUNT",
        headers,
        tuple(rows),
        align,
        widths,
        note="\n".join(notes),
        wrap=True,
    )


# -- communications -----------------------------------------------------------------------------


def _dtg_ms(ms: int) -> str:
    return format_dtg(datetime.fromtimestamp(ms / 1000, UTC))


def communications_text(officer: str, summary: SyncSummary | None) -> str:
    """The officer's text and, in a mission, this laptop's last sync with each peer (the most
    recent first) and what of its own waits to go out."""
    facts = []
    if summary is not None and summary.in_mission:
        if summary.peers:
            peers = "; ".join(
                f"{p.label} {_dtg_ms(p.last_seen_ms)}"
                + (" (failed)" if p.last_result.startswith("failed") else "")
                for p in summary.peers[:MAX_PEERS]
            )
            more = len(summary.peers) - MAX_PEERS
            facts.append(
                f"Last sync of this laptop with each peer: {peers}"
                + (f"; {more} more" if more > 0 else "")
                + "."
            )
        else:
            facts.append("This laptop has not synced with a peer yet.")
        if summary.waiting:
            noun = "change" if summary.waiting == 1 else "changes"
            facts.append(f"{summary.waiting:,} {noun} of this laptop waiting to go out.")
    return "\n".join(part for part in (officer.strip(), " ".join(facts)) if part)
