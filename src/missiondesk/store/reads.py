"""Queries over the materialized records: lists, pages, lookups and full-text search."""

from __future__ import annotations

from typing import Any

from missiondesk.domain.json_codec import load_stored
from missiondesk.domain.named_tuple import NamedTuple
from missiondesk.store.connection import Connection
from missiondesk.store.field_clocks import expand_clocks


class StoredRecord(NamedTuple):
    id: str
    type: str
    doc: dict[str, Any]
    created_hlc: int
    updated_hlc: int
    deleted: bool
    author: str = ""
    clocks: dict[str, list[Any]] | None = None  # field -> [hlc, author] of the shown value


class SearchHit(NamedTuple):
    id: str
    type: str
    title: str
    snippet: str
    created_hlc: int
    doc: dict[str, Any]


def record_of(row: Any) -> StoredRecord:
    doc = load_stored(row["doc"])
    clocks = expand_clocks(load_stored(row["clocks"]), doc)
    first = min(clocks.values(), key=lambda c: (c[0], c[1])) if clocks else [0, ""]
    return StoredRecord(
        row["id"],
        row["type"],
        doc,
        row["created_hlc"],
        row["updated_hlc"],
        bool(row["deleted"]),
        str(first[1]),
        clocks,
    )


RECORD_COLUMNS = "e.id, e.type, e.doc, e.clocks, e.created_hlc, e.updated_hlc, e.deleted"


def fts_query(text: str) -> str:
    """Each word as a quoted FTS5 phrase (so no input is ever FTS syntax); the last one a prefix."""
    words = [w.replace('"', '""') for w in text.split() if w.strip('"')]
    if not words:
        return ""
    quoted = [f'"{w}"' for w in words]
    quoted[-1] += "*"
    return " ".join(quoted)


class Reads:
    def __init__(self, conn: Connection, *, search: bool) -> None:
        self._conn = conn
        self._search = search

    def get(self, entity_id: str) -> StoredRecord | None:
        row = self._conn.execute(
            f"SELECT {RECORD_COLUMNS} FROM entities e WHERE e.id = ?", (entity_id,)
        ).fetchone()
        return record_of(row) if row else None

    def of_type(
        self, record_type: str, *, limit: int = 1000, offset: int = 0, include_deleted: bool = False
    ) -> list[StoredRecord]:
        rows = self._conn.execute(
            f"SELECT {RECORD_COLUMNS} FROM entities e WHERE e.type = ?"
            + ("" if include_deleted else " AND e.deleted = 0")
            + " ORDER BY e.created_hlc, e.id LIMIT ? OFFSET ?",
            (record_type, limit, offset),
        ).fetchall()
        return [record_of(r) for r in rows]

    def count(self, record_type: str) -> int:
        return int(
            self._conn.execute(
                "SELECT count(*) FROM entities WHERE type = ? AND deleted = 0", (record_type,)
            ).fetchone()[0]
        )

    def messages(
        self, channel: str | None, *, limit: int = 100, before_hlc: int | None = None
    ) -> list[StoredRecord]:
        """The newest `limit` messages (older than `before_hlc`), returned oldest first."""
        where: list[str] = []
        params: list[object] = []
        if channel is not None:
            where.append("m.channel = ?")
            params.append(channel)
        if before_hlc is not None:
            where.append("m.hlc < ?")
            params.append(before_hlc)
        clause = ("WHERE " + " AND ".join(where)) if where else ""
        rows = self._conn.execute(
            f"SELECT {RECORD_COLUMNS} FROM messages m JOIN entities e ON e.rowid = m.entity"
            f" {clause}"
            " ORDER BY m.hlc DESC LIMIT ?",
            (*params, limit),
        ).fetchall()
        return [record_of(r) for r in reversed(rows)]

    def acknowledgements(self, message_id: str) -> dict[str, int]:
        rows = self._conn.execute(
            "SELECT device, hlc FROM acks WHERE message = ?", (message_id,)
        ).fetchall()
        return {r[0]: r[1] for r in rows}

    def acknowledgements_of(self, message_ids: list[str]) -> dict[str, dict[str, int]]:
        """Acknowledgements of many messages in one query: message id -> {device: hlc}."""
        found: dict[str, dict[str, int]] = {m: {} for m in message_ids}
        for start in range(0, len(message_ids), 500):
            chunk = message_ids[start : start + 500]
            marks = ",".join("?" * len(chunk))
            for message, device, hlc in self._conn.execute(
                f"SELECT message, device, hlc FROM acks WHERE message IN ({marks})", chunk
            ).fetchall():
                found[message][device] = hlc
        return found

    def blob(self, sha256: str) -> bytes | None:
        row = self._conn.execute("SELECT data FROM blobs WHERE sha256 = ?", (sha256,)).fetchone()
        return bytes(row[0]) if row else None

    def search(self, text: str, *, limit: int = 50) -> list[SearchHit]:
        query = fts_query(text)
        if not query or not self._search:
            return []
        rows = self._conn.execute(
            "SELECT e.id, e.type, e.doc, e.created_hlc, s.title,"
            " snippet(search, 1, '[', ']', '…', 12) AS snip"
            " FROM search s JOIN entities e ON e.rowid = s.rowid"
            " WHERE search MATCH ? ORDER BY s.rank LIMIT ?",
            (query, limit),
        ).fetchall()
        return [
            SearchHit(
                r["id"], r["type"], r["title"], r["snip"], r["created_hlc"], load_stored(r["doc"])
            )
            for r in rows
        ]
