"""The op log hands a sender its ops as fields plus the body's canonical JSON; they rebuild the
stored bytes exactly, and a row that no longer parses comes back verbatim for the peer to
refuse."""

from __future__ import annotations

import itertools

from missiondesk.domain.markings import Precedence


def test_records_rebuild_the_stored_payloads_byte_for_byte(session):
    session.messaging.send("general", "Convoy Alpha departs 0600", Precedence.IMMEDIATE)
    session.messaging.send("general", "Convoy Alpha arrived")
    oplog = session.vault.oplog
    head = oplog.head(session.device_id)[0]
    records = oplog.read_records(session.device_id, 1, head)
    assert [(r.payload(), r.signature) for r in records] == oplog.read_range(
        session.device_id, 1, head
    )
    assert all(r.raw is None for r in records)
    for before, after in itertools.pairwise(records):  # chain order, linked
        assert after.seq == before.seq + 1 and after.prev == before.op_id.hex()


def test_a_row_that_no_longer_parses_comes_back_verbatim(session):
    session.messaging.send("general", "Convoy Alpha arrived")
    conn = session.vault.conn
    conn.execute("UPDATE ops SET payload = X'7b7d' WHERE rowid = (SELECT max(rowid) FROM ops)")
    head = session.vault.oplog.head(session.device_id)[0]
    (record,) = session.vault.oplog.read_records(session.device_id, head, head)
    assert record.raw == b"{}" and record.payload() == b"{}"
