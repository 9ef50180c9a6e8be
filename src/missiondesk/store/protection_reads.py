"""Queries over the personnel-protection projections (`store/protection_rows.py`): the movements
with a step due, a movement's watch state and check-ins, the steps raised, headcount marks."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from missiondesk.domain.records.headcount import PersonStatus
from missiondesk.store.connection import Connection
from missiondesk.store.protection_rows import MARK_OF_RANK

WATCH_COLUMNS = (
    "movement, active, depart, interval, warning, alarm, flash, last_checkin, next_due, stage,"
    " escalate_at"
)
# The watch's one query: movements whose next step is due, from the partial index on
# escalate_at (closed movements and those with every step raised are not in it).
DUE_SELECT = (
    f"SELECT {WATCH_COLUMNS} FROM movement_watch WHERE escalate_at <= ?"
    " ORDER BY escalate_at LIMIT ?"
)


@dataclass(frozen=True)
class WatchRow:
    """A movement as the watch sees it (times in ms since the epoch, UTC)."""

    movement: str
    active: bool
    depart: int
    interval: int
    offsets: tuple[int, int, int]
    last_checkin: int | None
    next_due: int
    stage: int  # steps raised for next_due: 0 none .. 3 all
    escalate_at: int | None


@dataclass(frozen=True)
class CheckinRow:
    movement: str
    at: int
    checkin: str
    lat: float | None
    lon: float | None
    mgrs: str


@dataclass(frozen=True)
class MarkRow:
    person: str
    mark: str
    status: PersonStatus
    marked: int | None


def _watch(row: Any) -> WatchRow:
    m, active, depart, interval, warning, alarm, flash, last, due, stage, at = row
    return WatchRow(
        m, bool(active), depart, interval, (warning, alarm, flash), last, due, stage, at
    )


class ProtectionReads:
    def __init__(self, conn: Connection, *, enabled: bool) -> None:
        self._conn = conn
        self.enabled = enabled

    def due(self, now_ms: int, limit: int = 100_000) -> list[WatchRow]:
        """Movements whose next escalation step is due by `now_ms`, earliest first."""
        if not self.enabled:
            return []
        return [_watch(r) for r in self._conn.execute(DUE_SELECT, (now_ms, limit)).fetchall()]

    def watch(self, movement: str) -> WatchRow | None:
        if not self.enabled:
            return None
        row = self._conn.execute(
            f"SELECT {WATCH_COLUMNS} FROM movement_watch WHERE movement = ?", (movement,)
        ).fetchone()
        return _watch(row) if row else None

    def active(self) -> list[WatchRow]:
        """Every active movement, the next check-in due first."""
        if not self.enabled:
            return []
        rows = self._conn.execute(
            f"SELECT {WATCH_COLUMNS} FROM movement_watch WHERE active = 1 ORDER BY next_due"
        ).fetchall()
        return [_watch(r) for r in rows]

    def checkins(self, movement: str, limit: int = 1000) -> list[CheckinRow]:
        """A movement's check-ins, the latest first."""
        if not self.enabled:
            return []
        rows = self._conn.execute(
            "SELECT movement, at, checkin, lat, lon, mgrs FROM movement_checkins"
            " WHERE movement = ? ORDER BY at DESC LIMIT ?",
            (movement, limit),
        ).fetchall()
        return [CheckinRow(*r) for r in rows]

    def last_position(self, movements: Sequence[str]) -> CheckinRow | None:
        """The latest check-in that gave a position, among these movements."""
        if not self.enabled or not movements:
            return None
        marks = ", ".join("?" * len(movements))
        row = self._conn.execute(
            "SELECT movement, at, checkin, lat, lon, mgrs FROM movement_checkins"
            f" WHERE movement IN ({marks}) AND lat IS NOT NULL ORDER BY at DESC LIMIT 1",
            tuple(movements),
        ).fetchone()
        return CheckinRow(*row) if row else None

    def raised(self, movement: str) -> list[tuple[int, int, str]]:
        """(due, step rank, alert id) of every step raised for a movement, in order."""
        if not self.enabled:
            return []
        rows = self._conn.execute(
            "SELECT due, step, alert FROM movement_alerts WHERE movement = ? ORDER BY due, step",
            (movement,),
        ).fetchall()
        return [(int(r[0]), int(r[1]), str(r[2])) for r in rows]

    def marks(self, headcount: str) -> list[MarkRow]:
        if not self.enabled:
            return []
        rows = self._conn.execute(
            "SELECT person, mark, status, marked FROM headcount_marks WHERE headcount = ?",
            (headcount,),
        ).fetchall()
        return [MarkRow(r[0], r[1], PersonStatus(MARK_OF_RANK[r[2]]), r[3]) for r in rows]

    def known(self, ids: Sequence[str]) -> set[str]:
        """Which of these entity ids the vault holds (deleted or not)."""
        found: set[str] = set()
        for start in range(0, len(ids), 500):
            chunk = tuple(ids[start : start + 500])
            marks = ", ".join("?" * len(chunk))
            found.update(
                r[0]
                for r in self._conn.execute(
                    f"SELECT id FROM entities WHERE id IN ({marks})", chunk
                ).fetchall()
            )
        return found
