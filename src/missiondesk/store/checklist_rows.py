"""The checklist projection: one narrow row per checklist with what lists, the compliance view
and the "turned late" query read, kept by the materializer in the transaction that folds the
checklist or one of its items.

A row holds the clock-free summary of `domain/checklist_state.py` (`Progress`): how many items
there are, how many count as done and how many of those were done late, `late_at` (the earliest
due time of an item not done yet; NULL once every item is done) and `completed` (when the last
item was done). The status at any moment follows from these and the clock, so nothing is
written when a checklist turns late. Times are whole seconds since the epoch (UTC).

Items are found by their deterministic ids (`item_entity_id(checklist, key)`) among the keys
the checklist lists, so an item that names another checklist or a key it does not have counts
for nothing.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import orjson
from pydantic import ValidationError

from missiondesk.domain.checklist_state import Progress, progress
from missiondesk.domain.records.checklists import Checklist, item_entity_id
from missiondesk.store.connection import Connection

COLUMNS = (
    "template", "template_name", "version", "title", "assignee", "outpost", "started", "due",
    "total", "done", "done_late", "late_at", "completed",
)  # fmt: skip

SCHEMA = """
CREATE TABLE checklist_rows (
    entity INTEGER PRIMARY KEY REFERENCES entities (rowid) ON DELETE CASCADE,
    template TEXT NOT NULL,
    template_name TEXT NOT NULL,
    version INTEGER NOT NULL,
    title TEXT NOT NULL,
    assignee TEXT NOT NULL,
    outpost TEXT NOT NULL,
    started INTEGER NOT NULL,
    due INTEGER NOT NULL,
    total INTEGER NOT NULL,
    done INTEGER NOT NULL,
    done_late INTEGER NOT NULL,
    late_at INTEGER,
    completed INTEGER
);
-- "Which checklists turned late in (since, now]" is one range of this index: checklists that
-- are complete have no late_at and are not in it.
CREATE INDEX checklist_rows_by_late_at ON checklist_rows (late_at) WHERE late_at IS NOT NULL;
CREATE INDEX checklist_rows_by_due ON checklist_rows (due);
CREATE INDEX checklist_rows_by_outpost ON checklist_rows (outpost, template)
"""

UPSERT_ROW = (
    f"INSERT INTO checklist_rows (entity, {', '.join(COLUMNS)})"
    f" VALUES (?, {', '.join('?' * len(COLUMNS))})"
    " ON CONFLICT (entity) DO UPDATE SET " + ", ".join(f"{c} = excluded.{c}" for c in COLUMNS)
)


def _seconds(moment: datetime | None) -> int | None:
    return int(moment.timestamp()) if moment is not None else None


def item_states(conn: Connection, checklist_id: str, keys: list[str]) -> dict[str, Any]:
    """Item key -> the stored fields of that item of the checklist (items not deleted)."""
    ids = {item_entity_id(checklist_id, key): key for key in keys}
    if not ids:
        return {}
    marks = ", ".join("?" * len(ids))
    rows = conn.execute(
        f"SELECT id, doc FROM entities WHERE id IN ({marks}) AND deleted = 0",
        tuple(ids),
    ).fetchall()
    states: dict[str, Any] = {}
    for entity_id, doc_text in rows:
        doc = orjson.loads(doc_text)
        key = ids[entity_id]
        if isinstance(doc, dict) and doc.get("checklist") == checklist_id and doc.get("key") == key:
            states[key] = doc
    return states


def summary(conn: Connection, checklist_id: str, checklist: Checklist) -> Progress:
    items = checklist.items()
    states = item_states(conn, checklist_id, [item.key for item in items])
    return progress(items, states, checklist.started, checklist.due)


def _row(checklist: Checklist, found: Progress) -> tuple[Any, ...]:
    return (
        checklist.template_key,
        checklist.template_name,
        checklist.template_version,
        checklist.title,
        checklist.assignee,
        checklist.outpost,
        _seconds(checklist.started),
        _seconds(checklist.due),
        found.total,
        found.done,
        found.done_late,
        _seconds(found.late_at),
        _seconds(found.completed),
    )


def project_checklist(
    conn: Connection, rowid: int | None, doc: dict[str, Any], deleted: bool
) -> None:
    """Keep the row of one checklist in step with its record (a partial one has no row)."""
    found = conn.execute("SELECT id FROM entities WHERE rowid = ?", (rowid,)).fetchone()
    if found is None:
        return
    checklist_id = str(found[0])
    try:
        checklist = None if deleted else Checklist.model_validate(doc)
    except ValidationError:
        checklist = None
    if checklist is None:
        conn.execute("DELETE FROM checklist_rows WHERE entity = ?", (rowid,))
        return
    conn.execute(UPSERT_ROW, (rowid, *_row(checklist, summary(conn, checklist_id, checklist))))


def project_item(conn: Connection, doc: dict[str, Any]) -> None:
    """An item changed: sum its checklist up again (if the checklist is here)."""
    checklist_id = doc.get("checklist")
    if not isinstance(checklist_id, str):
        return
    row = conn.execute(
        "SELECT rowid, doc, deleted FROM entities WHERE id = ? AND type = 'checklist'",
        (checklist_id,),
    ).fetchone()
    if row is not None:
        project_checklist(conn, row[0], orjson.loads(row[1]), bool(row[2]))


def backfill(conn: Connection) -> None:
    """Project every checklist already in the vault (the migration that adds the table)."""
    rows = conn.execute(
        "SELECT rowid, doc FROM entities WHERE type = 'checklist' AND deleted = 0"
    ).fetchall()
    for rowid, doc in rows:
        project_checklist(conn, rowid, orjson.loads(doc), False)
