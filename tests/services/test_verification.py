import random

import pytest

from missiondesk.domain.markings import Precedence
from missiondesk.services.audit import AuditEvent


@pytest.fixture
def busy(session):
    session.messaging.send("general", "Convoy Alpha departs 0600", Precedence.IMMEDIATE)
    session.incidents.add(
        title="Checkpoint denial",
        category="movement_restriction",
        severity=2,
        location="33.31, 44.36",
    )
    session.messaging.send("general", "Convoy Alpha arrived", Precedence.ROUTINE)
    assert session.verify_operations().ok
    return session


def ops_rows(session):
    return session.vault.conn.execute(
        "SELECT rowid, payload, signature, op_id FROM ops ORDER BY rowid"
    ).fetchall()


def flip(data: bytes, index: int, bit: int) -> bytes:
    out = bytearray(data)
    out[index] ^= 1 << bit
    return bytes(out)


@pytest.mark.parametrize("column", ["payload", "signature", "op_id"])
def test_one_flipped_bit_anywhere_fails_verification(busy, column):
    rng = random.Random(column)
    conn = busy.vault.conn
    rows = ops_rows(busy)
    for _ in range(40):
        rowid, *values = rng.choice(rows)
        original = bytes(values[["payload", "signature", "op_id"].index(column)])
        index, bit = rng.randrange(len(original)), rng.randrange(8)
        conn.execute(
            f"UPDATE ops SET {column} = ? WHERE rowid = ?", (flip(original, index, bit), rowid)
        )
        report = busy.verify_operations()
        assert not report.ok, (column, rowid, index, bit)
        conn.execute(f"UPDATE ops SET {column} = ? WHERE rowid = ?", (original, rowid))
    assert busy.verify_operations().ok


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("seq", 99),
        ("hlc", 1),
        ("kind", "incident.update"),
        ("author", "f" * 32),
        ("entity", "other"),
    ],
)
def test_index_columns_must_match_the_signed_payload(busy, column, value):
    busy.vault.conn.execute(f"UPDATE ops SET {column} = ? WHERE rowid = 3", (value,))
    assert not busy.verify_operations().ok


def test_deleted_operation_breaks_the_chain(busy):
    busy.vault.conn.execute("DELETE FROM ops WHERE rowid = 3")
    report = busy.verify_operations()
    assert not report.ok
    assert any("missing" in p for p in report.problems)


def test_audit_chain_detects_edits_deletions_and_reordering(session):
    for event in (AuditEvent.EXPORTED, AuditEvent.IMPORTED, AuditEvent.EXPORTED):
        session.audit.record(event, what="incidents")
    assert session.audit.verify().ok
    conn = session.vault.conn
    conn.execute("UPDATE audit SET event = 'vault.unlocked' WHERE seq = 2")
    assert not session.audit.verify().ok
    conn.execute("UPDATE audit SET event = 'data.exported' WHERE seq = 2")
    assert session.audit.verify().ok
    conn.execute("UPDATE audit SET detail = '{}' WHERE seq = 3")
    assert not session.audit.verify().ok
    conn.execute('UPDATE audit SET detail = \'{"what":"incidents"}\' WHERE seq = 3')
    conn.execute("DELETE FROM audit WHERE seq = 2")
    report = session.audit.verify()
    assert not report.ok and any("missing" in p for p in report.problems)
