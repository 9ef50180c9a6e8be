"""The personnel-protection projections the materializer keeps, in the transaction that folds
each record: what the watch needs to find overdue movements with one indexed query, and the
marks of each headcount.

- `movement_watch`: one row per movement with its departure, interval and escalation offsets
  (ms), its last check-in, the next check-in's due time, how many steps were raised for that
  due time (`stage`) and when the next step is due (`escalate_at`, NULL when the movement is
  closed or every step was raised). The watch reads `escalate_at <= now` from its index.
- `movement_checkins`: every check-in's time and position, by movement (check-ins may arrive
  before their movement, from another laptop; the row waits for it).
- `movement_alerts`: which steps were raised for which due time (an alert may also arrive
  first).
- `headcount_marks`: each person's status in each headcount.

Every row is worked out again from these tables when one of them changes, so the result does
not depend on the order in which the operations arrived.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from missiondesk.domain.escalation import MINUTE_MS, STEP_RANK, escalate_at, next_due
from missiondesk.domain.records.headcount import PersonStatus
from missiondesk.store.connection import Connection

PROTECTION_TYPES = frozenset({"movement", "movement_checkin", "alert", "headcount_mark"})
MARK_RANK = {s.value: i for i, s in enumerate(PersonStatus)}
MARK_OF_RANK = {i: s for s, i in MARK_RANK.items()}
STEP_OF_NAME = {step.value: rank for step, rank in STEP_RANK.items()}

SCHEMA = """
CREATE TABLE movement_watch (
    movement TEXT PRIMARY KEY,
    active INTEGER NOT NULL,
    depart INTEGER NOT NULL,
    interval INTEGER NOT NULL,
    warning INTEGER NOT NULL,
    alarm INTEGER NOT NULL,
    flash INTEGER NOT NULL,
    last_checkin INTEGER,
    next_due INTEGER,
    stage INTEGER NOT NULL DEFAULT 0,
    escalate_at INTEGER
) WITHOUT ROWID;
CREATE INDEX movement_watch_due ON movement_watch (escalate_at) WHERE escalate_at IS NOT NULL;
CREATE INDEX movement_watch_active ON movement_watch (next_due) WHERE active = 1;
CREATE TABLE movement_checkins (
    movement TEXT NOT NULL,
    at INTEGER NOT NULL,
    checkin TEXT NOT NULL,
    lat REAL,
    lon REAL,
    mgrs TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (movement, at, checkin)
) WITHOUT ROWID;
CREATE TABLE movement_alerts (
    movement TEXT NOT NULL,
    due INTEGER NOT NULL,
    step INTEGER NOT NULL,
    alert TEXT NOT NULL,
    PRIMARY KEY (movement, due, step, alert)
) WITHOUT ROWID;
CREATE TABLE headcount_marks (
    headcount TEXT NOT NULL,
    person TEXT NOT NULL,
    mark TEXT NOT NULL,
    status INTEGER NOT NULL,
    marked INTEGER,
    PRIMARY KEY (headcount, person, mark)
) WITHOUT ROWID
"""

UPSERT_WATCH = (
    "INSERT INTO movement_watch (movement, active, depart, interval, warning, alarm, flash)"
    " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (movement) DO UPDATE SET"
    " active = excluded.active, depart = excluded.depart, interval = excluded.interval,"
    " warning = excluded.warning, alarm = excluded.alarm, flash = excluded.flash"
)


def ms(value: Any) -> int | None:
    """Milliseconds since the epoch of an ISO 8601 text (UTC if no zone), else None."""
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return int(moment.timestamp() * 1000)


def _minutes(value: Any) -> int | None:
    return value if type(value) is int and value >= 0 else None


def _point(doc: dict[str, Any]) -> tuple[float | None, float | None, str]:
    position = doc.get("position")
    if not isinstance(position, dict):
        return None, None, ""
    lat, lon = position.get("lat"), position.get("lon")
    if not isinstance(lat, int | float) or not isinstance(lon, int | float):
        return None, None, ""
    mgrs = position.get("mgrs")
    return float(lat), float(lon), mgrs[:40] if isinstance(mgrs, str) else ""


def project(
    conn: Connection, record_type: str, entity: str, doc: dict[str, Any], deleted: bool
) -> None:
    """Keep the protection tables in step with one record that was just folded."""
    if record_type == "movement":
        _movement(conn, entity, doc, deleted)
    elif record_type == "movement_checkin":
        _checkin(conn, entity, doc, deleted)
    elif record_type == "alert":
        _alert(conn, entity, doc, deleted)
    elif record_type == "headcount_mark":
        _mark(conn, entity, doc, deleted)


def _movement(conn: Connection, entity: str, doc: dict[str, Any], deleted: bool) -> None:
    depart, interval = ms(doc.get("depart")), _minutes(doc.get("interval"))
    escalation = doc.get("escalation")
    escalation = escalation if isinstance(escalation, dict) else {}
    found = (_minutes(escalation.get(k)) for k in ("warning", "alarm", "flash"))
    offsets = [m for m in found if m is not None]
    if depart is None or not interval or len(offsets) != 3:
        conn.execute("DELETE FROM movement_watch WHERE movement = ?", (entity,))
        return
    active = not deleted and doc.get("status", "active") == "active"
    conn.execute(
        UPSERT_WATCH,
        (entity, int(active), depart, interval * MINUTE_MS, *(o * MINUTE_MS for o in offsets)),
    )
    refresh(conn, entity)


def _checkin(conn: Connection, entity: str, doc: dict[str, Any], deleted: bool) -> None:
    movement, at = doc.get("movement"), ms(doc.get("at"))
    if not isinstance(movement, str) or at is None:
        return
    if deleted:
        conn.execute("DELETE FROM movement_checkins WHERE checkin = ? AND movement = ?",
                     (entity, movement))  # fmt: skip
    else:
        conn.execute(
            "INSERT OR IGNORE INTO movement_checkins (movement, at, checkin, lat, lon, mgrs)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (movement, at, entity, *_point(doc)),
        )
    refresh(conn, movement)


def _alert(conn: Connection, entity: str, doc: dict[str, Any], deleted: bool) -> None:
    movement, due = doc.get("subject"), ms(doc.get("due"))
    rank = STEP_OF_NAME.get(str(doc.get("step")))
    if doc.get("source") != "movement" or not isinstance(movement, str):
        return
    if due is None or rank is None:
        return
    if deleted:
        conn.execute("DELETE FROM movement_alerts WHERE alert = ?", (entity,))
    else:
        conn.execute(
            "INSERT OR IGNORE INTO movement_alerts (movement, due, step, alert)"
            " VALUES (?, ?, ?, ?)",
            (movement, due, rank, entity),
        )
    refresh(conn, movement)


def _mark(conn: Connection, entity: str, doc: dict[str, Any], deleted: bool) -> None:
    headcount, person = doc.get("headcount"), doc.get("person")
    if not isinstance(headcount, str) or not isinstance(person, str):
        return
    conn.execute("DELETE FROM headcount_marks WHERE headcount = ? AND mark = ?",
                 (headcount, entity))  # fmt: skip
    status = MARK_RANK.get(str(doc.get("status")))
    if deleted or status is None:
        return
    conn.execute(
        "INSERT INTO headcount_marks (headcount, person, mark, status, marked)"
        " VALUES (?, ?, ?, ?, ?)",
        (headcount, person, entity, status, ms(doc.get("marked"))),
    )


def refresh(conn: Connection, movement: str) -> None:
    """Work out a movement's last check-in, next due time, stage and next step again."""
    row = conn.execute(
        "SELECT active, depart, interval, warning, alarm, flash FROM movement_watch"
        " WHERE movement = ?",
        (movement,),
    ).fetchone()
    if row is None:
        return
    active, depart, interval, *offsets = row
    last = conn.execute(
        "SELECT max(at) FROM movement_checkins WHERE movement = ?", (movement,)
    ).fetchone()[0]
    due = next_due(depart, last, interval)
    raised = conn.execute(
        "SELECT max(step) FROM movement_alerts WHERE movement = ? AND due = ?", (movement, due)
    ).fetchone()[0]
    stage = 0 if raised is None else raised + 1
    at = escalate_at(due, (offsets[0], offsets[1], offsets[2]), stage) if active else None
    conn.execute(
        "UPDATE movement_watch SET last_checkin = ?, next_due = ?, stage = ?, escalate_at = ?"
        " WHERE movement = ?",
        (last, due, stage, at, movement),
    )


def backfill(conn: Connection) -> None:
    """Project every protection record already in the vault (the migration that adds them)."""
    import orjson

    rows = conn.execute(
        "SELECT id, type, doc, deleted FROM entities WHERE type IN"
        " ('movement', 'movement_checkin', 'alert', 'headcount_mark')"
    ).fetchall()
    for entity, record_type, doc, deleted in rows:
        project(conn, record_type, entity, orjson.loads(doc), bool(deleted))
