"""Queries behind the messaging views: channel pages by cursor, unread counts, read marks,
messages that wait for an acknowledgement, and full-text search over messages, newest first.

Pages are cut by a cursor ``(hlc, rowid)`` rather than an offset, so the millionth message of a
channel costs what the first does: one probe of ``messages_by_channel`` (channel, hlc), whose
entries end in the row id, then a walk along it.
"""

from __future__ import annotations

from missiondesk.domain.named_tuple import NamedTuple
from missiondesk.store.connection import Connection
from missiondesk.store.reads import RECORD_COLUMNS, StoredRecord, fts_query, record_of

Cursor = tuple[int, int]  # (hlc, messages.entity rowid): the position of a message in a channel
URGENT_RANK = 1  # precedence rank of IMMEDIATE; FLASH is 0


class MessageRow(NamedTuple):
    record: StoredRecord
    cursor: Cursor
    precedence_rank: int


class MessageHit(NamedTuple):
    row: MessageRow
    snippet: str


_SELECT = f"SELECT {RECORD_COLUMNS}, m.hlc AS m_hlc, m.entity AS m_rowid, m.precedence AS m_rank"


def _row(r: object) -> MessageRow:
    return MessageRow(record_of(r), (r["m_hlc"], r["m_rowid"]), r["m_rank"])  # type: ignore[index]


class MessageReads:
    def __init__(self, conn: Connection, *, search: bool, schema: int) -> None:
        self._conn = conn
        self._search = search
        self._marks = schema >= 4

    def older(self, channel: str, before: Cursor | None, limit: int) -> list[MessageRow]:
        """Up to `limit` messages of `channel` older than `before` (all if None), newest first."""
        where = "m.channel = ?"
        params: list[object] = [channel]
        if before is not None:
            where += " AND (m.hlc, m.entity) < (?, ?)"
            params += [before[0], before[1]]
        rows = self._conn.execute(
            f"{_SELECT} FROM messages m JOIN entities e ON e.rowid = m.entity WHERE {where}"
            " ORDER BY m.hlc DESC, m.entity DESC LIMIT ?",
            (*params, limit),
        ).fetchall()
        return [_row(r) for r in rows]

    def newer(self, channel: str, after: Cursor, limit: int) -> list[MessageRow]:
        """Up to `limit` messages of `channel` newer than `after`, the oldest of them first."""
        rows = self._conn.execute(
            f"{_SELECT} FROM messages m JOIN entities e ON e.rowid = m.entity"
            " WHERE m.channel = ? AND (m.hlc, m.entity) > (?, ?)"
            " ORDER BY m.hlc, m.entity LIMIT ?",
            (channel, *after, limit),
        ).fetchall()
        return [_row(r) for r in rows]

    def by_ids(self, ids: list[str]) -> list[MessageRow]:
        found: list[MessageRow] = []
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ",".join("?" * len(chunk))
            found += [
                _row(r)
                for r in self._conn.execute(
                    f"{_SELECT} FROM entities e JOIN messages m ON m.entity = e.rowid"
                    f" WHERE e.id IN ({marks})",
                    chunk,
                ).fetchall()
            ]
        return found

    def count(self, channel: str) -> int:
        return int(
            self._conn.execute(
                "SELECT count(*) FROM messages WHERE channel = ?", (channel,)
            ).fetchone()[0]
        )

    # -- read marks and unread counts ----------------------------------------------------------

    def read_marks(self) -> dict[str, int]:
        if not self._marks:
            return {}
        return {
            r[0]: r[1]
            for r in self._conn.execute("SELECT channel, read_hlc FROM channel_reads").fetchall()
        }

    def mark_read(self, channel: str, hlc: int) -> bool:
        """Move the channel's read mark forward to `hlc` (never back); the caller commits."""
        if not self._marks:
            return False
        cur = self._conn.execute(
            "INSERT INTO channel_reads (channel, read_hlc) VALUES (?, ?)"
            " ON CONFLICT (channel) DO UPDATE SET read_hlc = excluded.read_hlc"
            " WHERE excluded.read_hlc > channel_reads.read_hlc",
            (channel, hlc),
        )
        return bool(cur.rowcount)

    def unread(self, channel: str, read_hlc: int, cap: int) -> tuple[int, int]:
        """(messages newer than the read mark, up to `cap`; of them FLASH or IMMEDIATE)."""
        total = self._conn.execute(
            "SELECT count(*) FROM (SELECT 1 FROM messages WHERE channel = ? AND hlc > ? LIMIT ?)",
            (channel, read_hlc, cap),
        ).fetchone()[0]
        if not total:
            return 0, 0
        urgent = self._conn.execute(  # the rank is inlined: messages_urgent_by_channel is used
            "SELECT count(*) FROM (SELECT 1 FROM messages WHERE channel = ? AND hlc > ?"
            f" AND precedence <= {URGENT_RANK} LIMIT ?)",
            (channel, read_hlc, cap),
        ).fetchone()[0]
        return int(total), int(urgent)

    # -- acknowledgements ----------------------------------------------------------------------

    def unacknowledged_urgent(
        self, device: str, limit: int, before: Cursor | None = None
    ) -> list[MessageRow]:
        """FLASH and IMMEDIATE messages this device has not acknowledged, newest first, older
        than `before` if given (its own among them: the caller leaves out what is not
        addressed to it)."""
        where = "" if before is None else " AND (m.hlc, m.entity) < (?, ?)"
        after: tuple[int, ...] = () if before is None else before
        rows = self._conn.execute(  # walks messages_urgent_by_hlc newest first (schema >= 5)
            f"{_SELECT} FROM messages m JOIN entities e ON e.rowid = m.entity"
            f" WHERE m.precedence <= {URGENT_RANK}{where} AND NOT EXISTS"
            " (SELECT 1 FROM acks a WHERE a.message = e.id AND a.device = ?)"
            " ORDER BY m.hlc DESC, m.entity DESC LIMIT ?",
            (*after, device, limit),
        ).fetchall()
        return [_row(r) for r in rows]

    # -- full-text search ---------------------------------------------------------------------

    def search(self, text: str, *, limit: int, channel: str | None = None) -> list[MessageHit]:
        """Messages matching every word (the last as a prefix), newest first."""
        query = fts_query(text)
        if not query or not self._search:
            return []
        extra, params = ("", []) if channel is None else (" AND m.channel = ?", [channel])
        rows = self._conn.execute(
            f"{_SELECT}, snippet(search, 1, char(2), char(3), '…', 14) AS snip"
            " FROM search s JOIN entities e ON e.rowid = s.rowid"
            " JOIN messages m ON m.entity = e.rowid"
            f" WHERE search MATCH ?{extra} ORDER BY s.rowid DESC LIMIT ?",
            (query, *params, limit),
        ).fetchall()
        return [MessageHit(_row(r), r["snip"]) for r in rows]

    # -- operations behind messages ------------------------------------------------------------

    def own_sequence_numbers(self, author: str, hlcs: list[int]) -> dict[int, int]:
        """hlc -> seq of `author`'s operations stamped with those clocks."""
        found: dict[int, int] = {}
        for start in range(0, len(hlcs), 500):
            chunk = hlcs[start : start + 500]
            marks = ",".join("?" * len(chunk))
            # `+author`: probe ops_by_hlc for each clock. Left to itself the planner took the
            # (author, seq) index and read every operation of the author (150 ms at 200,000).
            for hlc, seq in self._conn.execute(
                f"SELECT hlc, seq FROM ops WHERE hlc IN ({marks}) AND +author = ?",
                (*chunk, author),
            ).fetchall():
                found[hlc] = seq
        return found
