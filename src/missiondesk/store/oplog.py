"""The operation log: append in chain order, idempotently, and fold each op into the records."""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from functools import cached_property
from typing import TYPE_CHECKING

from missiondesk.domain.changeset import ChangeSet, Origin
from missiondesk.domain.errors import InvalidInput
from missiondesk.domain.kinds import TRUST, urgency
from missiondesk.domain.named_tuple import NamedTuple
from missiondesk.domain.operation import (
    Operation,
    OpRecord,
    SignedOperation,
    canonical_json,
    parse_payload,
    split_payload,
)
from missiondesk.store.connection import Connection
from missiondesk.store.errors import ChainError, Equivocation

if TYPE_CHECKING:
    from missiondesk.store.materialize import Materializer

# The app's INSERT of an op row (schema 3 on): the bench writes its rows with it too.
INSERT_OP = (
    "INSERT INTO ops (op_id, author, seq, hlc, kind, entity, payload, signature,"
    " received_at, urgency, folded) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


def op_row(
    op: Operation,
    payload: bytes,
    op_id: bytes,
    signature: bytes,
    received_at: int,
    level: int,
    folded: bool,
) -> tuple[object, ...]:
    """The parameters of INSERT_OP for one op. BLOBs as bytearray: sqlcipher3 binds bytes
    through a slow path (~3 us a value)."""
    return (
        bytearray(op_id),
        op.author,
        op.seq,
        op.hlc,
        op.kind,
        op.entity,
        bytearray(payload),
        bytearray(signature),
        received_at,
        level,
        int(folded),
    )


class StoredOp(NamedTuple):
    op_id: bytes
    payload: bytes
    signature: bytes
    author: str
    seq: int
    hlc: int
    kind: str
    entity: str


def _bytes(value: object) -> bytes:
    """Stored blobs as bytes, even if a tampered row holds text or a number instead."""
    if type(value) is bytes:
        return value
    if isinstance(value, bytearray | memoryview):
        return bytes(value)
    return str(value).encode("utf-8")


def _fmt(author: str) -> str:
    return author[:8]


class OpLog:
    """Reads and appends of the op log on one connection (the caller holds the transaction)."""

    def __init__(self, conn: Connection, *, schema: int) -> None:
        self._conn = conn
        self._schema = schema
        # The columns an op row has in this schema (vaults written before sync lack urgency).
        self._insert = (
            INSERT_OP
            if schema >= 3
            else "INSERT INTO ops (op_id, author, seq, hlc, kind, entity, payload, signature,"
            " received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
        )
        self._with_urgency = schema >= 3
        self._pending: list[tuple[object, ...]] = []  # rows appended, not yet written

    @cached_property
    def _materializer(self) -> Materializer:
        """Loaded at the first fold: opening a vault and reading it need none of it."""
        from missiondesk.store.materialize import Materializer

        return Materializer(self._conn, schema=self._schema)

    def head(self, author: str) -> tuple[int, bytes] | None:
        row = self._conn.execute(
            "SELECT seq, op_id FROM ops WHERE author = ? ORDER BY seq DESC LIMIT 1", (author,)
        ).fetchone()
        return (row[0], row[1]) if row else None

    def max_hlc(self) -> int:
        row = self._conn.execute("SELECT max(hlc) FROM ops").fetchone()
        return int(row[0] or 0)

    def count(self) -> int:
        return int(self._conn.execute("SELECT count(*) FROM ops").fetchone()[0])

    def heads(self) -> dict[str, tuple[int, bytes]]:
        """author -> (newest seq, its op id); one index probe per registered author."""
        heads: dict[str, tuple[int, bytes]] = {}
        for (author,) in self._conn.execute("SELECT author FROM authors").fetchall():
            head = self.head(author)
            if head is not None:
                heads[author] = head
        return heads

    def op_id_at(self, author: str, seq: int) -> bytes | None:
        row = self._conn.execute(
            "SELECT op_id FROM ops WHERE author = ? AND seq = ?", (author, seq)
        ).fetchone()
        return bytes(row[0]) if row else None

    def urgent_after(self, author: str, after_seq: int) -> list[tuple[int, int]]:
        """(seq, urgency) of this author's more-than-routine ops after `after_seq`."""
        rows = self._conn.execute(
            "SELECT seq, urgency FROM ops WHERE author = ? AND seq > ? AND urgency < 4"
            " ORDER BY seq",
            (author, after_seq),
        ).fetchall()
        return [(r[0], r[1]) for r in rows]

    def read_range(self, author: str, first: int, last: int) -> list[tuple[bytes, bytes]]:
        rows = self._conn.execute(
            "SELECT payload, signature FROM ops WHERE author = ? AND seq BETWEEN ? AND ?"
            " ORDER BY seq",
            (author, first, last),
        ).fetchall()
        return [(_bytes(r[0]), _bytes(r[1])) for r in rows]

    def read_records(self, author: str, first: int, last: int) -> list[OpRecord]:
        """Ops first..last of `author` as records (fields, body as canonical JSON, signature,
        id), in chain order, for a sender that streams fields: the fields come from the row's
        columns and the body is cut out of the stored payload (`split_payload`, checked to
        rebuild it exactly), so nothing is parsed. A payload that does not rebuild is parsed;
        one that does not parse (a damaged or altered row) comes back verbatim in `raw`, for
        the peer to refuse."""
        cursor = self._conn.cursor()
        cursor.row_factory = None  # plain tuples: cheaper to build and to index than Rows
        rows = cursor.execute(
            "SELECT payload, signature, op_id, seq, hlc, kind, entity FROM ops"
            " WHERE author = ? AND seq BETWEEN ? AND ? ORDER BY seq",
            (author, first, last),
        ).fetchall()
        prev = self.op_id_at(author, first - 1) if first > 1 else None
        records = []
        for row in rows:
            payload, signature, op_id = _bytes(row[0]), _bytes(row[1]), _bytes(row[2])
            seq, hlc, kind, entity = row[3], row[4], row[5], row[6]
            prev_hex = prev.hex() if prev is not None and seq > 1 else None
            parts = split_payload(payload, author, seq, prev_hex, hlc, kind, entity)
            if parts is not None:
                fields = (parts[0], author, seq, prev_hex, hlc, kind, entity)
                records.append(OpRecord(*fields, parts[1], signature, op_id))
            else:
                records.append(_parsed_record(payload, signature, author))
            prev = op_id
        return records

    def signing_key(self, author: str) -> bytes | None:
        row = self._conn.execute(
            "SELECT signing_key FROM authors WHERE author = ?", (author,)
        ).fetchone()
        return bytes(row[0]) if row else None

    def iter_ops(self, author: str | None = None) -> Iterator[StoredOp]:
        """Every stored op, per author in chain order."""
        sql = (
            "SELECT op_id, payload, signature, author, seq, hlc, kind, entity FROM ops"
            + (" WHERE author = ?" if author else "")
            + " ORDER BY author, seq"
        )
        cur = self._conn.execute(sql, (author,) if author else ())
        while batch := cur.fetchmany(2048):
            for r in batch:
                yield StoredOp(
                    _bytes(r[0]), _bytes(r[1]), _bytes(r[2]), r[3], r[4], r[5], r[6], r[7]
                )

    def append(
        self,
        signed: SignedOperation,
        received_at: int,
        just_before: bytes | None = None,
        fold: bool = True,
        *,
        defer: bool = False,
    ) -> tuple[str, str] | bool | None:
        """Append one op. Returns False for a duplicate, else what it changed (or None).

        `just_before` is the id of this author's op appended just before in the same
        transaction, if it was op ``seq - 1``: then neither chain look-up is needed. With
        `defer` the row is written by the next `flush` (one executemany for a batch: a few us
        an op less, and one call into SQLite instead of one per op).
        """
        op = signed.op
        conn = self._conn
        if just_before is not None:
            if just_before.hex() != op.prev:
                raise self._broken(op)
        else:
            self.flush()  # the look-ups must see every row appended before
            if self._is_duplicate(signed):
                return False
        if self._with_urgency:
            level = urgency(op.kind, op.body)
            fold = fold or level == TRUST  # admission of the next ops depends on trust: now
            row = op_row(
                op, signed.payload, signed.op_id, signed.signature, received_at, level, fold
            )
            if defer:
                self._pending.append(row)
            else:
                conn.execute(self._insert, row)
            return self._materializer.apply(op) if fold else None
        old_row: tuple[object, ...] = (
            # bytearray: sqlcipher3 binds bytes through a slow path (~2.5 us a value)
            bytearray(signed.op_id),
            op.author,
            op.seq,
            op.hlc,
            op.kind,
            op.entity,
            bytearray(signed.payload),
            bytearray(signed.signature),
            received_at,
        )
        conn.execute(self._insert, old_row)
        return self._materializer.apply(op)

    def flush(self) -> None:
        """Write the rows `append(..., defer=True)` left pending."""
        if self._pending:
            rows, self._pending = self._pending, []
            self._conn.executemany(self._insert, rows)

    def _is_duplicate(self, signed: SignedOperation) -> bool:
        """True if this exact op is stored; raises if it does not continue its author's chain."""
        op = signed.op
        existing = self._conn.execute(
            "SELECT op_id FROM ops WHERE author = ? AND seq = ?", (op.author, op.seq)
        ).fetchone()
        if existing is not None:
            if bytes(existing[0]) == signed.op_id:
                return True
            raise Equivocation(
                f"Device {_fmt(op.author)} signed two different operations with sequence number "
                f"{op.seq}; it may be a cloned laptop. Its operation was not applied."
            )
        if op.seq > 1:
            prev = self._conn.execute(
                "SELECT op_id FROM ops WHERE author = ? AND seq = ?", (op.author, op.seq - 1)
            ).fetchone()
            if prev is None:
                raise ChainError(
                    f"Operation {op.seq} of device {_fmt(op.author)} arrived before "
                    f"operation {op.seq - 1}; it was not applied."
                )
            if bytes(prev[0]).hex() != op.prev:
                raise self._broken(op)
        return False

    @staticmethod
    def _broken(op: Operation) -> ChainError:
        return ChainError(
            f"Operation {op.seq} of device {_fmt(op.author)} does not follow the "
            "operation before it; it was not applied."
        )

    def apply(self, ops: Iterable[SignedOperation], origin: Origin, fold: bool = True) -> ChangeSet:
        """Append every op and fold it into the records (or leave it for fold_pending);
        the caller wraps this in one transaction."""
        received_at = time.time_ns() // 1_000_000
        applied: list[bytes] = []
        duplicates = 0
        entities: dict[str, set[str]] = {}
        last: dict[str, tuple[int, bytes]] = {}  # author -> op appended last in this call
        try:
            for signed in ops:
                op = signed.op
                before = last.get(op.author)
                just_before = before[1] if before is not None and before[0] == op.seq - 1 else None
                result = self.append(signed, received_at, just_before, fold, defer=True)
                if result is False:
                    duplicates += 1
                    continue
                last[op.author] = (op.seq, signed.op_id)
                applied.append(signed.op_id)
                if isinstance(result, tuple):
                    entities.setdefault(result[0], set()).add(result[1])
            self.flush()
        except BaseException:
            self._pending.clear()  # the caller rolls back: none of them may be written later
            raise
        return ChangeSet(
            origin, tuple(applied), duplicates, {k: frozenset(v) for k, v in entities.items()}
        )

    def pending(self) -> int:
        """Operations in the log not yet folded into the records."""
        if not self._with_urgency:
            return 0
        return int(self._conn.execute("SELECT count(*) FROM ops WHERE folded = 0").fetchone()[0])

    def fold_pending(self, limit: int) -> tuple[int, dict[str, set[str]]]:
        """Fold up to `limit` logged-but-unfolded ops, oldest first (the caller holds the
        transaction). Folding is order-independent, so later is as good as at once."""
        if not self._with_urgency:
            return 0, {}
        rows = self._conn.execute(
            "SELECT rowid, payload FROM ops WHERE folded = 0 ORDER BY rowid LIMIT ?", (limit,)
        ).fetchall()
        entities: dict[str, set[str]] = {}
        for _rowid, payload in rows:
            changed = self._materializer.apply(parse_payload(_bytes(payload)))
            if changed is not None:
                entities.setdefault(changed[0], set()).add(changed[1])
        if rows:
            self._conn.execute(
                "UPDATE ops SET folded = 1 WHERE folded = 0 AND rowid <= ?", (rows[-1][0],)
            )
        return len(rows), entities


def _parsed_record(payload: bytes, signature: bytes, author: str) -> OpRecord:
    """The record of a stored op found by parsing it; verbatim if it does not parse."""
    try:
        signed = SignedOperation.from_parts(payload, signature)
    except InvalidInput:
        return OpRecord("", author, 0, None, 0, "", "", b"", signature, b"", payload)
    op = signed.op
    return OpRecord(*op[:7], canonical_json(op.body), signature, signed.op_id)
