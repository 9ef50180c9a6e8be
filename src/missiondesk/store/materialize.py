"""Folding one operation into the materialized records.

Per field, last writer wins by (hlc, author), so the result does not depend on the order in
which operations of different authors arrive. A delete is a tombstone field under the same rule.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from typing import Any

import orjson

from missiondesk.domain.kinds import APPEND_ONLY, KINDS, Action, search_text
from missiondesk.domain.markings import Precedence
from missiondesk.domain.operation import Operation
from missiondesk.domain.trust import Membership, Revocation
from missiondesk.store.checklist_rows import project_checklist, project_item
from missiondesk.store.conflicts import ConflictLedger
from missiondesk.store.connection import Connection
from missiondesk.store.field_clocks import SHARED, field_clock
from missiondesk.store.incident_rows import project as project_incident
from missiondesk.store.incident_rows import record_transition
from missiondesk.store.layer_tiles import remove_tiles
from missiondesk.store.protection_rows import PROTECTION_TYPES
from missiondesk.store.protection_rows import project as project_protection
from missiondesk.store.trust_store import TrustStore

TOMBSTONE = "_deleted"


# Records whose create carries content bytes (`data`, base64) kept once in `blobs` by SHA-256.
BLOB_TYPES = frozenset({"attachment", "map_layer"})
# The app's writes of a new record and of its message projection (the bench uses them too).
INSERT_ENTITY = (
    "INSERT INTO entities (id, type, doc, clocks, created_hlc, updated_hlc, deleted)"
    " VALUES (?, ?, ?, ?, ?, ?, ?)"
)
# An UPSERT, not INSERT OR REPLACE: REPLACE opens a savepoint that makes FTS5 flush its pending
# index entries on every operation.
UPSERT_MESSAGE = (
    "INSERT INTO messages (entity, channel, hlc, precedence) VALUES (?, ?, ?, ?)"
    " ON CONFLICT (entity) DO UPDATE SET channel = excluded.channel,"
    " hlc = excluded.hlc, precedence = excluded.precedence"
)


def _clock(value: Any) -> tuple[int, str] | None:
    """A [hlc, author] pair from an operation body, or None if it is not one."""
    if (
        isinstance(value, list)
        and len(value) == 2
        and type(value[0]) is int
        and isinstance(value[1], str)
    ):
        return value[0], value[1]
    return None


def _dumps(value: Any) -> str:
    return orjson.dumps(value, option=orjson.OPT_SORT_KEYS).decode()


class Materializer:
    """Applies operations to the record tables of one connection, in the caller's transaction."""

    def __init__(self, conn: Connection, *, schema: int) -> None:
        self._conn = conn
        self._search = schema >= 2
        self._trust = TrustStore(conn)
        self._ledger = ConflictLedger(conn) if schema >= 3 else None
        self._incidents = schema >= 6
        self._checklists = schema >= 8
        self._protection = schema >= 9
        self._layer_tiles = schema >= 10

    def apply(self, op: Operation) -> tuple[str, str] | None:
        """Fold `op` in; returns (record type, entity id) if anything visible changed."""
        action = KINDS.get(op.kind)
        if action is None:
            return None
        body = op.body
        if action is Action.ACK:
            cur = self._conn.execute(
                "INSERT OR IGNORE INTO acks (message, device, hlc) VALUES (?, ?, ?)",
                (op.entity, op.author, op.hlc),
            )
            return ("message", op.entity) if cur.rowcount else None
        if action is Action.GRANT:
            return self._grant(body)
        if action is Action.REVOKE:
            return self._revoke(body)
        if action is Action.DELETE:
            fields: dict[str, Any] = {TOMBSTONE: True}
        else:
            raw = body.get("fields")
            if not isinstance(raw, dict):
                return None
            fields = raw
        if action is Action.REGISTER:
            self._register_author(op, fields)
        if op.record_type in BLOB_TYPES and action is Action.SET:
            self._store_blob(fields, body.get("data"))
        changed = self._merge(op, fields)
        if self._incidents and op.record_type == "incident" and action is Action.SET:
            transition = body.get("transition")
            if isinstance(transition, dict):  # kept even when a later status wins the field
                record_transition(self._conn, op.entity, op.hlc, op.author, transition)
                changed = True
        if self._ledger is not None and action is Action.SET and op.record_type not in APPEND_ONLY:
            changed = self._track(op, fields, body) or changed
        return (op.record_type, op.entity) if changed else None

    def _track(self, op: Operation, fields: dict[str, Any], body: dict[str, Any]) -> bool:
        """Keep every write of an editable field for conflict review; apply resolutions."""
        assert self._ledger is not None
        bases = body.get("base")
        bases = bases if isinstance(bases, dict) else {}
        for name, value in fields.items():
            self._ledger.record(
                op.entity, name, (op.hlc, op.author), _clock(bases.get(name)), value
            )
        resolves = body.get("resolves")
        if not isinstance(resolves, dict):
            return False
        for name, losers in resolves.items():
            if isinstance(losers, list):
                clocks = [c for c in (_clock(x) for x in losers) if c is not None]
                self._ledger.resolve(op.entity, str(name), clocks)
        return True

    def _grant(self, body: dict[str, Any]) -> tuple[str, str] | None:
        """Record a membership certificate (its signature was checked before it got here)."""
        try:
            envelope = body["certificate"]
            membership = Membership.model_validate(envelope["document"])
            signature = base64.b64decode(envelope["signature"], validate=True)
        except (KeyError, TypeError, ValueError, binascii.Error):
            return None
        self._trust.add_membership(membership, signature)
        return ("membership", membership.device)

    def _revoke(self, body: dict[str, Any]) -> tuple[str, str] | None:
        try:
            envelope = body["revocation"]
            revocation = Revocation.model_validate(envelope["document"])
            signature = base64.b64decode(envelope["signature"], validate=True)
        except (KeyError, TypeError, ValueError, binascii.Error):
            return None
        self._trust.add_revocation(revocation, signature)
        return ("membership", revocation.device)

    def _register_author(self, op: Operation, fields: dict[str, Any]) -> None:
        key = fields.get("signing_key")
        if isinstance(key, str):
            try:
                raw = base64.b64decode(key, validate=True)
            except (binascii.Error, ValueError):
                return
            self._conn.execute(
                "INSERT OR IGNORE INTO authors (author, signing_key) VALUES (?, ?)",
                (op.author, bytearray(raw)),
            )

    def _store_blob(self, fields: dict[str, Any], data: Any) -> None:
        if not isinstance(data, str):
            return
        try:
            raw = base64.b64decode(data, validate=True)
        except (binascii.Error, ValueError):
            return
        digest = hashlib.sha256(raw).hexdigest()
        if digest == fields.get("sha256"):
            self._conn.execute(
                "INSERT OR IGNORE INTO blobs (sha256, data) VALUES (?, ?)", (digest, bytearray(raw))
            )

    def _merge(self, op: Operation, fields: dict[str, Any]) -> bool:
        conn = self._conn
        clock = [op.hlc, op.author]
        row = conn.execute(
            "SELECT rowid, type, doc, clocks, created_hlc, deleted FROM entities WHERE id = ?",
            (op.entity,),
        ).fetchone()
        if row is None:
            doc = {k: v for k, v in fields.items() if k != TOMBSTONE}
            deleted = TOMBSTONE in fields
            cur = conn.execute(
                INSERT_ENTITY,
                (
                    op.entity,
                    op.record_type,
                    _dumps(doc),
                    _dumps({SHARED: clock, **({TOMBSTONE: clock} if deleted else {})}),
                    op.hlc,
                    op.hlc,
                    int(deleted),
                ),
            )
            self._project(
                cur.lastrowid, op.entity, op.record_type, doc, op.hlc, deleted, fresh=True
            )
            return True
        rowid, record_type, doc_text, clocks_text, created_hlc, was_deleted = row
        if record_type != op.record_type:
            return False  # an id reused for another type of record: ignored, never merged
        doc, clocks = orjson.loads(doc_text), orjson.loads(clocks_text)
        changed = False
        mine = (op.hlc, op.author)
        for name, value in fields.items():
            current = field_clock(clocks, doc, name)
            if current is None or mine > (current[0], current[1]):
                clocks[name] = clock
                if name != TOMBSTONE:
                    doc[name] = value
                changed = True
        created = min(created_hlc, op.hlc)
        if not changed:
            if created == created_hlc:
                return False
            # The earliest write defines when the record was created, even if it lost every
            # field: otherwise the order of arrival would show in the record.
            conn.execute("UPDATE entities SET created_hlc = ? WHERE rowid = ?", (created, rowid))
            if record_type == "message":
                conn.execute("UPDATE messages SET hlc = ? WHERE entity = ?", (created, rowid))
            return False
        deleted = bool(was_deleted) or TOMBSTONE in clocks
        conn.execute(
            "UPDATE entities SET doc = ?, clocks = ?, created_hlc = ?,"
            " updated_hlc = max(updated_hlc, ?), deleted = ? WHERE rowid = ?",
            (_dumps(doc), _dumps(clocks), created, op.hlc, int(deleted), rowid),
        )
        self._project(rowid, op.entity, record_type, doc, created, deleted, fresh=False)
        return True

    def _project(
        self,
        rowid: int | None,
        entity: str,
        record_type: str,
        doc: dict[str, Any],
        created_hlc: int,
        deleted: bool,
        *,
        fresh: bool,
    ) -> None:
        """Keep the per-type tables and the search index in step with the record."""
        conn = self._conn
        if record_type == "message":
            channel = doc.get("channel")
            if deleted or not isinstance(channel, str):
                conn.execute("DELETE FROM messages WHERE entity = ?", (rowid,))
            else:
                rank = Precedence.of_stored(doc.get("precedence", "routine")).rank
                conn.execute(UPSERT_MESSAGE, (rowid, channel, created_hlc, rank))
        elif record_type == "incident" and self._incidents:
            project_incident(conn, rowid, doc, deleted)
        elif record_type == "checklist" and self._checklists:
            project_checklist(conn, rowid, doc, deleted)
        elif record_type == "checklist_item" and self._checklists:
            project_item(conn, doc)
        elif record_type in PROTECTION_TYPES and self._protection:
            project_protection(conn, record_type, entity, doc, deleted)
        elif record_type == "map_layer" and deleted and self._layer_tiles:
            remove_tiles(conn, entity)  # a layer deleted here or by a peer: its tiles go too
        if not self._search:
            return
        if not fresh:
            conn.execute("DELETE FROM search WHERE rowid = ?", (rowid,))
        if not deleted:
            text = search_text(record_type, doc)
            if text is not None and (text[0] or text[1]):
                conn.execute(
                    "INSERT INTO search (rowid, title, body) VALUES (?, ?, ?)", (rowid, *text)
                )
