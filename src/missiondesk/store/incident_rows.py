"""The incident projection: one narrow row per incident with the columns lists filter, sort
and count by, the history of status changes, and the saved filters of this laptop.

`incident_rows` is kept in step with the merged record by the materializer, in the same
transaction as the record, so it is never behind. Times are whole seconds since the epoch (UTC);
`day` is the UTC day number, the unit of the charts. Casualties are kept per kind and group so a
SITREP adds them up in SQL. The MGRS `grid` column holds the interleaved key of
`domain/incident_filter.py`: a grid square is a range of it.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from missiondesk.domain.incident_filter import grid_key
from missiondesk.domain.records.base import Sensitivity
from missiondesk.domain.records.incidents import CASUALTY_GROUPS, CASUALTY_KINDS, IncidentStatus
from missiondesk.store.connection import Connection

DAY = 86_400
STATUS_RANK = {s.value: i for i, s in enumerate(IncidentStatus)}
STATUS_OF_RANK = {i: s for s, i in STATUS_RANK.items()}
CASUALTY_COLUMNS = tuple(f"{k}_{g}" for k in CASUALTY_KINDS for g in CASUALTY_GROUPS)
COLUMNS = (
    "occurred", "day", "reported", "category", "severity", "status", "sensitivity",
    "lat", "lon", "mgrs", "grid", "place", "title", "officer", *CASUALTY_COLUMNS,
)  # fmt: skip

SCHEMA = f"""
CREATE TABLE incident_rows (
    entity INTEGER PRIMARY KEY REFERENCES entities (rowid) ON DELETE CASCADE,
    occurred INTEGER,
    day INTEGER,
    reported INTEGER,
    category TEXT NOT NULL DEFAULT '',
    severity INTEGER,
    status INTEGER NOT NULL DEFAULT 0,
    sensitivity INTEGER NOT NULL DEFAULT 0,
    lat REAL,
    lon REAL,
    mgrs TEXT NOT NULL DEFAULT '',
    grid TEXT NOT NULL DEFAULT '',
    place TEXT NOT NULL DEFAULT '',
    title TEXT NOT NULL DEFAULT '',
    officer TEXT NOT NULL DEFAULT '',
    {", ".join(f"{c} INTEGER NOT NULL DEFAULT 0" for c in CASUALTY_COLUMNS)}
);
-- Pages in time order walk this one and stop at their last row: it holds every column a
-- filter tests, so the walk reads no table row until the page's own.
CREATE INDEX incident_rows_by_occurred ON incident_rows
    (occurred, entity, category, severity, status, lat, lon, grid);
CREATE INDEX incident_rows_by_category ON incident_rows (category, occurred);
-- Counts for the charts walk this one in (day, category) order, never the table: every column
-- a filter tests is in it (the row id too, for the text filter).
CREATE INDEX incident_rows_for_counts ON incident_rows
    (day, category, severity, status, occurred, lat, lon, grid);
CREATE INDEX incident_rows_by_grid ON incident_rows (grid) WHERE grid != '';
CREATE TABLE incident_history (
    entity TEXT NOT NULL,
    hlc INTEGER NOT NULL,
    author TEXT NOT NULL,
    source TEXT NOT NULL,
    target TEXT NOT NULL,
    reason TEXT NOT NULL,
    PRIMARY KEY (entity, hlc, author)
) WITHOUT ROWID;
CREATE TABLE incident_filters (
    name TEXT PRIMARY KEY,
    spec TEXT NOT NULL,
    saved_at INTEGER NOT NULL
) WITHOUT ROWID
"""

UPSERT_ROW = (
    f"INSERT INTO incident_rows (entity, {', '.join(COLUMNS)})"
    f" VALUES (?, {', '.join('?' * len(COLUMNS))})"
    " ON CONFLICT (entity) DO UPDATE SET " + ", ".join(f"{c} = excluded.{c}" for c in COLUMNS)
)


def _seconds(value: Any) -> int | None:
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return int(moment.timestamp())


def _text(value: Any, limit: int = 200) -> str:
    return value[:limit] if isinstance(value, str) else ""


def _count(value: Any) -> int:
    return value if type(value) is int and value >= 0 else 0


def row_values(doc: dict[str, Any]) -> tuple[Any, ...]:
    """The projection's columns of one incident document, whatever state it is in (a draft may
    lack most fields; a peer's document is read defensively)."""
    occurred = _seconds(doc.get("occurred"))
    location = doc.get("location")
    location = location if isinstance(location, dict) else {}
    raw_lat, raw_lon = location.get("lat"), location.get("lon")
    located = isinstance(raw_lat, int | float) and isinstance(raw_lon, int | float)
    lat = float(raw_lat) if located else None  # type: ignore[arg-type]
    lon = float(raw_lon) if located else None  # type: ignore[arg-type]
    mgrs = _text(location.get("mgrs"), 40)
    severity = doc.get("severity")
    casualties = doc.get("casualties")
    casualties = casualties if isinstance(casualties, dict) else {}
    counts: list[int] = []
    for kind in CASUALTY_KINDS:
        group = casualties.get(kind)
        group = group if isinstance(group, dict) else {}
        counts.extend(_count(group.get(g)) for g in CASUALTY_GROUPS)
    return (
        occurred,
        occurred // DAY if occurred is not None else None,
        _seconds(doc.get("reported")),
        _text(doc.get("category"), 64),
        severity if type(severity) is int else None,
        STATUS_RANK.get(str(doc.get("status", "draft")), 0),
        Sensitivity.of_stored(doc.get("sensitivity", "unclassified")).rank,
        lat,
        lon,
        mgrs,
        grid_key(mgrs),
        _text(location.get("place")),
        _text(doc.get("title")),
        _text(doc.get("reporting_officer"), 120),
        *counts,
    )


def project(conn: Connection, rowid: int | None, doc: dict[str, Any], deleted: bool) -> None:
    if deleted:
        conn.execute("DELETE FROM incident_rows WHERE entity = ?", (rowid,))
    else:
        conn.execute(UPSERT_ROW, (rowid, *row_values(doc)))


def record_transition(
    conn: Connection, entity: str, hlc: int, author: str, transition: dict[str, Any]
) -> None:
    """Keep a status change an operation announced (idempotent: one row per operation)."""
    source, target = transition.get("from"), transition.get("to")
    if source not in STATUS_RANK or target not in STATUS_RANK:
        return
    conn.execute(
        "INSERT OR IGNORE INTO incident_history (entity, hlc, author, source, target, reason)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (entity, hlc, author, source, target, _text(transition.get("reason"), 1000)),
    )


def backfill(conn: Connection) -> None:
    """Project every incident already in the vault (the migration that adds the table)."""
    import orjson

    rows = conn.execute(
        "SELECT rowid, doc FROM entities WHERE type = 'incident' AND deleted = 0"
    ).fetchall()
    for rowid, doc in rows:
        project(conn, rowid, orjson.loads(doc), False)
