"""Queries over the incident projection: a filtered, sorted page of rows; counts per day,
category and severity; casualty totals; status history; saved filters."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from missiondesk.domain.incident_filter import CountsBy, IncidentFilter, SortKey
from missiondesk.domain.named_tuple import NamedTuple
from missiondesk.domain.records.base import Sensitivity
from missiondesk.domain.records.incidents import IncidentStatus
from missiondesk.store.connection import Connection
from missiondesk.store.incident_counts import answerable, summary_select, whole_days
from missiondesk.store.incident_rows import CASUALTY_COLUMNS, COLUMNS, DAY, STATUS_RANK
from missiondesk.store.reads import fts_query

# What a page of the list reads: the record's id and the projection's columns.
ROW_SELECT = f"SELECT e.id, {', '.join('r.' + c for c in COLUMNS)} FROM incident_rows r" + (
    " JOIN entities e ON e.rowid = r.entity"
)
# One row per (day, category): its count and its count per severity 1..5, so the charts' two
# series come from one walk of `incident_rows_for_counts` with at most days x categories rows.
COUNT_SELECT = (
    "SELECT r.day, r.category, count(*), "
    + ", ".join(f"sum(r.severity = {n})" for n in range(1, 6))
    + " FROM incident_rows r"
)
COUNT_GROUP = " GROUP BY r.day, r.category"
# The same with one series only: per category (no severities), or per severity (no category).
COUNT_SELECTS = {
    None: (COUNT_SELECT, COUNT_GROUP),
    CountsBy.CATEGORY: (
        "SELECT r.day, r.category, count(*), NULL, NULL, NULL, NULL, NULL FROM incident_rows r",
        COUNT_GROUP,
    ),
    CountsBy.SEVERITY: (
        "SELECT r.day, NULL, count(*), "
        + ", ".join(f"sum(r.severity = {n})" for n in range(1, 6))
        + " FROM incident_rows r",
        " GROUP BY r.day",
    ),
}
_SORT_COLUMNS = {
    SortKey.OCCURRED: "r.occurred",
    SortKey.REPORTED: "r.reported",
    SortKey.SEVERITY: "r.severity",
    SortKey.CATEGORY: "r.category",
    SortKey.STATUS: "r.status",
    SortKey.TITLE: "r.title COLLATE NOCASE",
}


@dataclass(frozen=True)
class IncidentRow:
    """One line of the incident list, read from the projection (no document is parsed)."""

    id: str
    occurred: int | None
    day: int | None
    reported: int | None
    category: str
    severity: int | None
    status: IncidentStatus
    sensitivity: Sensitivity
    lat: float | None
    lon: float | None
    mgrs: str
    grid: str
    place: str
    title: str
    officer: str
    casualties: tuple[int, ...]  # CASUALTY_COLUMNS, in order

    @property
    def killed(self) -> int:
        return sum(self.casualties[0:4])

    @property
    def injured(self) -> int:
        return sum(self.casualties[4:8])

    @property
    def missing(self) -> int:
        return sum(self.casualties[8:12])


_SENSITIVITIES = list(Sensitivity)


class IncidentPosition(NamedTuple):
    """Where an incident is and how the map styles it."""

    id: str
    lat: float
    lon: float
    category: str
    severity: int  # 0 where a draft has none yet
    sensitivity: Sensitivity


_STATUSES = list(IncidentStatus)


def _row(r: Any) -> IncidentRow:
    return IncidentRow(
        r[0], r[1], r[2], r[3], r[4], r[5], _STATUSES[r[6]], _SENSITIVITIES[r[7]],
        r[8], r[9], r[10], r[11], r[12], r[13], r[14], tuple(r[15:]),
    )  # fmt: skip


def _epoch(moment: datetime) -> int:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return int(moment.timestamp())


def where_clause(
    spec: IncidentFilter, *, search: bool = True, walk_in_time_order: bool = False
) -> tuple[str, list[Any]]:
    """SQL conditions over `incident_rows r` for a filter, and their parameters.

    `walk_in_time_order` (a page sorted by occurrence) keeps the planner on the covering
    `incident_rows_by_occurred`: category, severity and status are tested on its entries
    (``+column`` is no index for SQLite) instead of being looked up through their own index
    and sorted, so a page costs a walk that stops at its last row, without table lookups. The
    text filter is always a membership test against the words' matches (``+r.entity``), never
    a lookup per match: a common word matches half the incidents."""
    plain = "+" if walk_in_time_order else ""
    where: list[str] = []
    params: list[Any] = []
    if spec.occurred_from is not None:
        start = _epoch(spec.occurred_from)
        where.append("r.day >= ? AND r.occurred >= ?")  # the day: a range of the counts index
        params += [start // DAY, start]
    if spec.occurred_to is not None:
        end = _epoch(spec.occurred_to)
        where.append("r.day <= ? AND r.occurred < ?")
        params += [(end - 1) // DAY, end]
    for column, values in (
        ("r.category", list(spec.categories)),
        ("r.severity", list(spec.severities)),
        ("r.status", [STATUS_RANK[s.value] for s in spec.statuses]),
    ):
        if values:
            where.append(f"{plain}{column} IN ({', '.join('?' * len(values))})")
            params.extend(values)
    if spec.area is not None:
        box = spec.area
        where.append("r.lat BETWEEN ? AND ?")
        params += [box.south, box.north]
        if box.west <= box.east:
            where.append("r.lon BETWEEN ? AND ?")
        else:  # across the antimeridian
            where.append("(r.lon >= ? OR r.lon <= ?)")
        params += [box.west, box.east]
    if prefix := spec.grid_prefix:
        where.append(f"{plain}r.grid >= ? AND {plain}r.grid < ?")
        params += [prefix, prefix + "~"]  # keys are digits and capitals, all below '~'
    if spec.text.strip():
        query = fts_query(spec.text) if search else ""
        if not query:
            where.append("0")
        else:
            where.append("+r.entity IN (SELECT rowid FROM search WHERE search MATCH ?)")
            params.append(query)
    return (" WHERE " + " AND ".join(where)) if where else "", params


def page_where(spec: IncidentFilter, *, search: bool = True) -> tuple[str, list[Any]]:
    """The conditions of a page of the list (see `where_clause`)."""
    return where_clause(spec, search=search, walk_in_time_order=spec.sort is SortKey.OCCURRED)


def order_clause(spec: IncidentFilter) -> str:
    direction = "DESC" if spec.descending else "ASC"
    column = _SORT_COLUMNS[spec.sort]
    tail = "" if spec.sort is SortKey.OCCURRED else f", r.occurred {direction}"
    return f" ORDER BY {column} {direction}{tail}, r.entity {direction}"


@dataclass(frozen=True)
class Transition:
    entity: str
    hlc: int
    author: str
    source: IncidentStatus
    target: IncidentStatus
    reason: str


class IncidentReads:
    def __init__(self, conn: Connection, *, enabled: bool, search: bool, summary: bool) -> None:
        self._conn = conn
        self._enabled = enabled
        self._search = search
        self._summary = summary  # incident_counts is there (schema 7)

    def page(self, spec: IncidentFilter, *, offset: int, limit: int) -> list[IncidentRow]:
        if not self._enabled:
            return []
        where, params = page_where(spec, search=self._search)
        rows = self._conn.execute(
            ROW_SELECT + where + order_clause(spec) + " LIMIT ? OFFSET ?",
            (*params, limit, offset),
        ).fetchall()
        return [_row(r) for r in rows]

    def positions(self, limit: int) -> list[IncidentPosition]:
        """Every incident with a position, newest first: what the map draws (six columns, not
        a list row: the map reads tens of thousands)."""
        if not self._enabled:
            return []
        cursor = self._conn.cursor()
        cursor.row_factory = None
        rows = cursor.execute(
            "SELECT e.id, r.lat, r.lon, r.category, r.severity, r.sensitivity"
            " FROM incident_rows r JOIN entities e ON e.rowid = r.entity"
            " WHERE r.lat IS NOT NULL AND r.lon IS NOT NULL"
            " ORDER BY r.occurred DESC, r.entity DESC LIMIT ?",
            (limit,),
        ).fetchall()
        return [
            IncidentPosition(r[0], r[1], r[2], r[3], r[4] or 0, _SENSITIVITIES[r[5]]) for r in rows
        ]

    def documents(self, spec: IncidentFilter, *, limit: int) -> list[tuple[str, str]]:
        """(id, document JSON) of the filtered incidents, in the filter's order (exports)."""
        if not self._enabled:
            return []
        where, params = where_clause(spec, search=self._search)
        rows = self._conn.execute(
            "SELECT e.id, e.doc FROM incident_rows r JOIN entities e ON e.rowid = r.entity"
            + where
            + order_clause(spec)
            + " LIMIT ?",
            (*params, limit),
        ).fetchall()
        return [(r[0], r[1]) for r in rows]

    def counts(self, spec: IncidentFilter, by: CountsBy | None = None) -> list[tuple[Any, ...]]:
        """(day, category, count, count of severity 1, ..., of severity 5) of the filtered
        incidents, in no set order; day is None for drafts with no time of occurrence. With
        `by`, one series only: category None (per day) or the severity counts None.

        Filters on time, category, severity and status read `incident_counts` for their whole
        days and group the rows of their partial days only; others group every matching row."""
        if not self._enabled:
            return []
        cursor = self._conn.cursor()
        cursor.row_factory = None  # plain tuples: thousands of groups, no Row objects
        select, group = COUNT_SELECTS[by]
        if not (self._summary and answerable(spec)):
            where, params = where_clause(spec, search=self._search)
            return cursor.execute(select + where + group, params).fetchall()
        start = None if spec.occurred_from is None else _epoch(spec.occurred_from)
        end = None if spec.occurred_to is None else _epoch(spec.occurred_to)
        first, last, partial = whole_days(start, end)
        found: list[tuple[Any, ...]] = []
        if first is None or last is None or first <= last:
            sql, params = summary_select(spec, first, last, by)
            found += cursor.execute(sql, params).fetchall()
        if partial:
            where, params = where_clause(spec, search=self._search)
            where += f" AND r.day IN ({', '.join('?' * len(partial))})"
            found += cursor.execute(select + where + group, params + partial).fetchall()
        return found

    def casualty_totals(self, spec: IncidentFilter) -> tuple[int, ...]:
        """Sums of CASUALTY_COLUMNS over the filtered incidents."""
        if not self._enabled:
            return (0,) * len(CASUALTY_COLUMNS)
        where, params = where_clause(spec, search=self._search)
        row = self._conn.execute(
            f"SELECT {', '.join(f'total(r.{c})' for c in CASUALTY_COLUMNS)}"
            f" FROM incident_rows r{where}",
            params,
        ).fetchone()
        return tuple(int(v) for v in row)

    def history(self, entity: str) -> list[Transition]:
        if not self._enabled:
            return []
        rows = self._conn.execute(
            "SELECT entity, hlc, author, source, target, reason FROM incident_history"
            " WHERE entity = ? ORDER BY hlc, author",
            (entity,),
        ).fetchall()
        return [
            Transition(r[0], r[1], r[2], IncidentStatus(r[3]), IncidentStatus(r[4]), r[5])
            for r in rows
        ]

    def ids_with_prefix(self, prefix: str, limit: int = 2) -> list[str]:
        rows = self._conn.execute(
            "SELECT id FROM entities WHERE type = 'incident' AND deleted = 0"
            " AND id >= ? AND id < ? ORDER BY id LIMIT ?",
            (prefix, prefix + "\U0010ffff", limit),
        ).fetchall()
        return [r[0] for r in rows]

    # -- saved filters (this laptop's only: they are preferences, not mission data) ---------

    def saved_filters(self) -> list[tuple[str, str]]:
        if not self._enabled:
            return []
        rows = self._conn.execute("SELECT name, spec FROM incident_filters ORDER BY name")
        return [(r[0], r[1]) for r in rows.fetchall()]

    def save_filter(self, name: str, spec: str, at: int) -> None:
        self._conn.execute(
            "INSERT OR REPLACE INTO incident_filters (name, spec, saved_at) VALUES (?, ?, ?)",
            (name, spec, at),
        )

    def delete_filter(self, name: str) -> bool:
        cur = self._conn.execute("DELETE FROM incident_filters WHERE name = ?", (name,))
        return bool(cur.rowcount)
