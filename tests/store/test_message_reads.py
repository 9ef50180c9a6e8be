"""The messaging queries: their results, and the indexes they walk (a query that reads every
operation of an author, or sorts every urgent message, is fine on ten rows and takes seconds
on a million, so the plan itself is checked)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from missiondesk.domain.changeset import Origin
from missiondesk.store.vault import Vault
from tests.opfactory import Author, bare_vault


def plan_of(vault: Vault, call: Callable[[], Any], needle: str) -> str:
    """The query plan of the statement run by `call()` whose SQL contains `needle`."""
    seen: list[str] = []
    vault.conn.set_trace_callback(seen.append)
    try:
        call()
    finally:
        vault.conn.set_trace_callback(None)
    statement = next(s for s in seen if needle in s)
    rows = vault.conn.execute(f"EXPLAIN QUERY PLAN {statement}").fetchall()
    return " | ".join(str(tuple(r)[3]) for r in rows)


def filled(tmp_path: Any) -> tuple[Vault, Author, Author]:
    vault = bare_vault(tmp_path / "v")
    me, peer = Author(), Author()
    ops = [me.register(1), peer.register(2)]
    for i in range(10, 40):
        author = me if i % 3 else peer
        precedence = "flash" if i % 5 == 0 else "immediate" if i % 7 == 0 else "routine"
        channel = "big" if i % 2 else "small"
        ops.append(
            author.set(
                "message",
                f"m{i}",
                i,
                "create",
                channel=channel,
                text=f"t{i}",
                precedence=precedence,
            )
        )
    ops.append(peer.op("message.ack", "m10", {}, 50))
    vault.apply(ops, Origin.PEER)
    return vault, me, peer


def test_own_sequence_numbers_probe_each_clock(tmp_path):
    vault, me, _peer = filled(tmp_path)
    mine = {
        r[0]: r[1]
        for r in vault.conn.execute(
            "SELECT hlc, seq FROM ops WHERE author = ?", (me.id,)
        ).fetchall()
    }
    wanted = [11, 13, 14, 99]
    found = vault.messages.own_sequence_numbers(me.id, wanted)
    assert found == {h: mine[h] for h in wanted if h in mine}
    plan = plan_of(vault, lambda: vault.messages.own_sequence_numbers(me.id, wanted), "seq FROM")
    assert "ops_by_hlc" in plan, plan
    vault.close()


def test_unacknowledged_urgent_walks_the_newest_first(tmp_path):
    vault, _me, peer = filled(tmp_path)
    rows = vault.messages.unacknowledged_urgent(peer.id, 3)
    hlcs = [r.cursor[0] for r in rows]
    assert hlcs == sorted(hlcs, reverse=True) and len(hlcs) == 3
    assert all(r.precedence_rank <= 1 for r in rows)
    assert "m10" not in {r.record.id for r in vault.messages.unacknowledged_urgent(peer.id, 50)}
    everything = vault.messages.unacknowledged_urgent(peer.id, 50)
    after = vault.messages.unacknowledged_urgent(peer.id, 50, before=rows[-1].cursor)
    assert [r.record.id for r in rows + after] == [r.record.id for r in everything]
    for before in (None, rows[-1].cursor):
        plan = plan_of(
            vault, lambda b=before: vault.messages.unacknowledged_urgent(peer.id, 3, b), "acks a"
        )
        assert "messages_urgent_by_hlc" in plan and "TEMP B-TREE" not in plan, plan
    vault.close()


def test_unread_urgent_counts_use_the_channel_index(tmp_path):
    vault, _me, _peer = filled(tmp_path)
    total, urgent = vault.messages.unread("big", 0, 1000)
    expected = vault.conn.execute(
        "SELECT count(*), sum(precedence <= 1) FROM messages WHERE channel = 'big'"
    ).fetchone()
    assert (total, urgent) == (expected[0], expected[1])
    assert vault.messages.unread("big", 0, 2) == (2, 2)
    plan = plan_of(vault, lambda: vault.messages.unread("big", 0, 1000), "precedence <=")
    assert "messages_urgent_by_channel" in plan, plan
    vault.close()
