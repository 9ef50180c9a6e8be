"""Concurrent edits that lost: kept for an officer to review, whatever the order of arrival.

Every write of a field (of records that can be edited) is kept with the clock of the value its
author saw (its base). The value shown is the last writer's (by hlc, author). A write is a
conflict when it is not an ancestor of the shown value (its author's change was overwritten by
someone who had not seen it), its value differs, and no resolution has settled it. A write
that restates the value of its own base (a mission package restating the authority's records)
changed nothing, so it is never a conflict. Because this
depends only on the set of writes and their bases, every replica lists the same conflicts once
it holds the same operations.
"""

from __future__ import annotations

import json
from typing import Any

from missiondesk.domain.named_tuple import NamedTuple
from missiondesk.store.connection import Connection

Clock = tuple[int, str]


class Conflict(NamedTuple):
    entity: str
    field: str
    loser: Clock
    value: Any


class ConflictLedger:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def record(self, entity: str, field: str, clock: Clock, base: Clock | None, value: Any) -> None:
        """Keep one write and recompute the field's conflicts (in the caller's transaction)."""
        self._conn.execute(
            "INSERT OR IGNORE INTO field_writes (entity, field, hlc, author, base_hlc,"
            " base_author, value) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                entity,
                field,
                clock[0],
                clock[1],
                base[0] if base else None,
                base[1] if base else None,
                json.dumps(value, sort_keys=True),
            ),
        )
        self._recompute(entity, field)

    def resolve(self, entity: str, field: str, losers: list[Clock]) -> None:
        for hlc, author in losers:
            self._conn.execute(
                "INSERT OR IGNORE INTO resolutions (entity, field, loser_hlc, loser_author)"
                " VALUES (?, ?, ?, ?)",
                (entity, field, hlc, author),
            )
        self._recompute(entity, field)

    def _recompute(self, entity: str, field: str) -> None:
        rows = self._conn.execute(
            "SELECT hlc, author, base_hlc, base_author, value FROM field_writes"
            " WHERE entity = ? AND field = ?",
            (entity, field),
        ).fetchall()
        writes: dict[Clock, tuple[Clock | None, str]] = {
            (r[0], r[1]): ((r[2], r[3]) if r[2] is not None else None, r[4]) for r in rows
        }
        self._conn.execute("DELETE FROM conflicts WHERE entity = ? AND field = ?", (entity, field))
        if len(writes) < 2:
            return
        winner = max(writes)
        ancestors: set[Clock] = {winner}
        cursor = writes[winner][0]
        while cursor is not None and cursor not in ancestors:
            ancestors.add(cursor)
            cursor = writes[cursor][0] if cursor in writes else None
        resolved = {
            (r[0], r[1])
            for r in self._conn.execute(
                "SELECT loser_hlc, loser_author FROM resolutions WHERE entity = ? AND field = ?",
                (entity, field),
            ).fetchall()
        }
        shown = writes[winner][1]
        for clock, (base, value) in writes.items():
            if clock in ancestors or clock in resolved or value == shown:
                continue
            if base is not None and base in writes and writes[base][1] == value:
                continue  # a restatement of the value its author saw: it changed nothing
            self._conn.execute(
                "INSERT INTO conflicts (entity, field, loser_hlc, loser_author, value)"
                " VALUES (?, ?, ?, ?, ?)",
                (entity, field, clock[0], clock[1], value),
            )

    def all(self) -> list[Conflict]:
        rows = self._conn.execute(
            "SELECT entity, field, loser_hlc, loser_author, value FROM conflicts"
            " ORDER BY entity, field, loser_hlc"
        ).fetchall()
        return [Conflict(r[0], r[1], (r[2], r[3]), json.loads(r[4])) for r in rows]
