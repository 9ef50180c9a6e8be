"""The audit table: security events in a keyed hash chain (the keys are the services' business)."""

from __future__ import annotations

from collections.abc import Iterator

from missiondesk.domain.named_tuple import NamedTuple
from missiondesk.store.connection import Connection


class AuditRow(NamedTuple):
    seq: int
    at: str
    event: str
    detail: str
    mac: bytes


class AuditLog:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def last(self) -> AuditRow | None:
        row = self._conn.execute(
            "SELECT seq, at, event, detail, mac FROM audit ORDER BY seq DESC LIMIT 1"
        ).fetchone()
        return AuditRow(row[0], row[1], row[2], row[3], bytes(row[4])) if row else None

    def append(self, seq: int, at: str, event: str, detail: str, mac: bytes) -> None:
        self._conn.execute(
            "INSERT INTO audit (seq, at, event, detail, mac) VALUES (?, ?, ?, ?, ?)",
            (seq, at, event, detail, mac),
        )

    def rows(self) -> Iterator[AuditRow]:
        cur = self._conn.execute("SELECT seq, at, event, detail, mac FROM audit ORDER BY seq")
        for r in cur.fetchall():
            yield AuditRow(r[0], r[1], r[2], r[3], bytes(r[4]))
