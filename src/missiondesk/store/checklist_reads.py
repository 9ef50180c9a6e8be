"""Queries over the checklist projection: the list, the compliance counts per outpost and
template, and the checklists that turned late in a span of time (one range of an index)."""

from __future__ import annotations

from dataclasses import dataclass

from missiondesk.store.checklist_rows import COLUMNS
from missiondesk.store.connection import Connection

ROW_SELECT = f"SELECT e.id, {', '.join('r.' + c for c in COLUMNS)} FROM checklist_rows r" + (
    " JOIN entities e ON e.rowid = r.entity"
)


@dataclass(frozen=True)
class ChecklistRowData:
    """One checklist as the projection holds it (times in seconds, UTC)."""

    id: str
    template: str
    template_name: str
    version: int
    title: str
    assignee: str
    outpost: str
    started: int
    due: int
    total: int
    done: int
    done_late: int
    late_at: int | None
    completed: int | None


@dataclass(frozen=True)
class ComplianceCounts:
    outpost: str
    template: str
    template_name: str
    complete: int
    complete_late: int
    late: int
    pending: int

    @property
    def total(self) -> int:
        return self.complete + self.complete_late + self.late + self.pending


class ChecklistReads:
    def __init__(self, conn: Connection, *, enabled: bool) -> None:
        self._conn = conn
        self._enabled = enabled

    def rows(
        self, *, outpost: str | None = None, template: str | None = None, limit: int = 10_000
    ) -> list[ChecklistRowData]:
        """Checklists by due time (soonest first), optionally of one outpost or template."""
        if not self._enabled:
            return []
        where, params = [], []
        if outpost is not None:
            where.append("r.outpost = ? COLLATE NOCASE")  # as the roster: "op north" too
            params.append(outpost)
        if template is not None:
            where.append("r.template = ?")
            params.append(template)
        sql = ROW_SELECT + (" WHERE " + " AND ".join(where) if where else "")
        rows = self._conn.execute(
            sql + " ORDER BY r.due, e.id LIMIT ?", (*params, limit)
        ).fetchall()
        return [ChecklistRowData(*r) for r in rows]

    def row(self, checklist_id: str) -> ChecklistRowData | None:
        if not self._enabled:
            return None
        found = self._conn.execute(ROW_SELECT + " WHERE e.id = ?", (checklist_id,)).fetchone()
        return ChecklistRowData(*found) if found else None

    def compliance(self, now: int) -> list[ComplianceCounts]:
        """Per outpost and template: how many checklists are complete, complete late, late
        and pending at `now`."""
        if not self._enabled:
            return []
        rows = self._conn.execute(
            "SELECT outpost, template, max(template_name),"
            " sum(done >= total AND done_late = 0), sum(done >= total AND done_late > 0),"
            " sum(done < total AND late_at <= ?), sum(done < total AND late_at > ?)"
            " FROM checklist_rows GROUP BY outpost, template ORDER BY outpost, template",
            (now, now),
        ).fetchall()
        return [ComplianceCounts(*r) for r in rows]

    def turned_late(self, since: int, now: int, limit: int = 10_000) -> list[ChecklistRowData]:
        """Checklists whose earliest open item fell due in (since, now] and that are not
        complete: a walk of `checklist_rows_by_late_at` over that range only."""
        if not self._enabled:
            return []
        rows = self._conn.execute(
            ROW_SELECT + " WHERE r.late_at > ? AND r.late_at <= ? ORDER BY r.late_at LIMIT ?",
            (since, now, limit),
        ).fetchall()
        return [ChecklistRowData(*r) for r in rows]

    def ids_with_prefix(self, prefix: str, limit: int = 2) -> list[str]:
        rows = self._conn.execute(
            "SELECT id FROM entities WHERE type = 'checklist' AND deleted = 0"
            " AND id >= ? AND id < ? ORDER BY id LIMIT ?",
            (prefix, prefix + "\U0010ffff", limit),
        ).fetchall()
        return [r[0] for r in rows]
