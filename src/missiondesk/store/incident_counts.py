"""Chart counts kept as they change: incidents per (day, category), one column per status and
severity, so the counts of a filter on time, category, severity and status are a walk of at most
days x categories rows instead of a grouping of every incident.

`incident_counts` is kept by triggers on `incident_rows`, in the same transaction as the row it
counts, so it can never drift from the projection (the test compares the two on random edits).
A filter on words, an area or an MGRS square cannot be answered from it: `counts` returns None
and the caller groups the matching rows. Times that do not fall on midnight UTC are answered in
two parts: the whole days from this table, the two partial days at the edges from the rows.

Columns `c_<status>_<severity>`: status rank 0-3 (draft, submitted, verified, closed) and
severity 1-5, or 0 for an incident without a severity (a draft) or with one out of range.
"""

from __future__ import annotations

from typing import Any

from missiondesk.domain.incident_filter import CountsBy, IncidentFilter
from missiondesk.store.connection import Connection
from missiondesk.store.incident_rows import DAY, STATUS_RANK

UNDATED = -(2**31)  # the `day` of incidents with no time of occurrence (a draft's)
STATUSES = range(len(STATUS_RANK))
SEVERITIES = range(6)  # 0: none or out of range
CELLS = tuple(f"c_{s}_{v}" for s in STATUSES for v in SEVERITIES)


def _bucket(row: str) -> str:
    return f"(CASE WHEN {row}.severity BETWEEN 1 AND 5 THEN {row}.severity ELSE 0 END)"


def _add(row: str, sign: str) -> str:
    """SET assignments adding `sign`1 to the cell of `row` (NEW or OLD)."""
    bucket = _bucket(row)
    return ", ".join(
        f"{cell} = {cell} {sign} ({row}.status = {s} AND {bucket} = {v})"
        for cell, (s, v) in zip(CELLS, ((s, v) for s in STATUSES for v in SEVERITIES), strict=True)
    )


def _key(row: str) -> str:
    return f"day = coalesce({row}.day, {UNDATED}) AND category = {row}.category"


_COUNT_IN = (
    "INSERT INTO incident_counts (day, category) VALUES (coalesce(NEW.day, {u}), NEW.category)"
    " ON CONFLICT DO NOTHING; UPDATE incident_counts SET {add} WHERE {key};"
).format(u=UNDATED, add=_add("NEW", "+"), key=_key("NEW"))
_COUNT_OUT = (
    "UPDATE incident_counts SET {sub} WHERE {key};"
    " DELETE FROM incident_counts WHERE {key} AND {empty};"
).format(sub=_add("OLD", "-"), key=_key("OLD"), empty=" + ".join(CELLS) + " = 0")

TABLE = f"""
CREATE TABLE incident_counts (
    day INTEGER NOT NULL,
    category TEXT NOT NULL,
    {", ".join(f"{c} INTEGER NOT NULL DEFAULT 0" for c in CELLS)},
    PRIMARY KEY (day, category)
) WITHOUT ROWID
"""
_CHANGED = (
    "OLD.day IS NOT NEW.day OR OLD.category IS NOT NEW.category"
    " OR OLD.severity IS NOT NEW.severity OR OLD.status IS NOT NEW.status"
)
STATEMENTS = (
    TABLE,
    f"CREATE TRIGGER incident_counts_insert AFTER INSERT ON incident_rows BEGIN {_COUNT_IN} END",
    f"CREATE TRIGGER incident_counts_delete AFTER DELETE ON incident_rows BEGIN {_COUNT_OUT} END",
    "CREATE TRIGGER incident_counts_update AFTER UPDATE OF day, category, severity, status"
    f" ON incident_rows WHEN {_CHANGED} BEGIN {_COUNT_OUT} {_COUNT_IN} END",
)


def backfill(conn: Connection) -> None:
    """Count the incidents already projected (the migration that adds the table)."""
    bucket = _bucket("r")
    sums = ", ".join(
        f"total(r.status = {s} AND {bucket} = {v})" for s in STATUSES for v in SEVERITIES
    )
    conn.execute(
        f"INSERT INTO incident_counts (day, category, {', '.join(CELLS)})"
        f" SELECT coalesce(r.day, {UNDATED}), r.category, {sums} FROM incident_rows r"
        f" GROUP BY coalesce(r.day, {UNDATED}), r.category"
    )


def answerable(spec: IncidentFilter) -> bool:
    """Whether the counts of `spec` come from this table (no words, area or MGRS square)."""
    return not spec.text.strip() and spec.area is None and not spec.grid_prefix


def whole_days(start: int | None, end: int | None) -> tuple[int | None, int | None, list[int]]:
    """The first and last whole day within [start, end) (None: open) and the partial days at
    its edges, whose incidents must be counted one by one."""
    first = None if start is None else -(-start // DAY)
    last = None if end is None else end // DAY - 1
    partial: set[int] = set()
    if start is not None and end is not None and end <= start:
        return first, last, []  # an empty period
    if start is not None and start % DAY:
        partial.add(start // DAY)
    if end is not None and end % DAY:
        partial.add((end - 1) // DAY)
    return first, last, sorted(partial)


def summary_select(
    spec: IncidentFilter, first: int | None, last: int | None, by: CountsBy | None = None
) -> tuple[str, list[Any]]:
    """(day, category, count, count of severity 1, ..., 5) from `incident_counts` for the whole
    days [first, last] and the filter's categories, severities and statuses; with `by`, one
    series only, as `IncidentReads.counts` gives it (category None: summed per day)."""
    statuses = [STATUS_RANK[s.value] for s in spec.statuses] or list(STATUSES)
    severities = list(spec.severities) or list(SEVERITIES)

    def cells(severity: int) -> str:
        return " + ".join(f"c_{s}_{severity}" for s in statuses)

    total = " + ".join(cells(v) for v in severities if v in SEVERITIES) or "0"
    per_severity = [cells(v) if v in severities else "0" for v in range(1, 6)]
    where: list[str] = []
    params: list[Any] = []
    if first is not None or last is not None:
        where.append("day BETWEEN ? AND ?")
        params += [UNDATED + 1 if first is None else first, 2**62 if last is None else last]
    if spec.categories:
        where.append(f"category IN ({', '.join('?' * len(spec.categories))})")
        params.extend(spec.categories)
    source = "FROM incident_counts" + (" WHERE " + " AND ".join(where) if where else "")
    day = f"nullif(day, {UNDATED})"
    if by is CountsBy.SEVERITY:  # summed over the categories of each day (in key order)
        sums = ", ".join(f"sum({c})" for c in per_severity)
        inner = f"SELECT {day}, NULL, sum({total}) AS n, {sums} {source} GROUP BY day"
    else:
        severity = ", ".join(["NULL"] * 5 if by is CountsBy.CATEGORY else per_severity)
        inner = f"SELECT {day}, category, {total} AS n, {severity} {source}"
    return f"SELECT * FROM ({inner}) WHERE n > 0", params
