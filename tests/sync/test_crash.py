"""kill -9 of a receiver in the middle of a large import: restart, sync again, nothing lost,
nothing duplicated."""

from __future__ import annotations

import time

import pytest

from missiondesk.domain.ids import uuid7
from missiondesk.domain.records.messaging import Message
from tests.opfactory import state_of
from tests.sync.nodes import Server, cli, make_mission, open_node, pair

pytestmark = pytest.mark.slow
TOTAL = 20_000


def fill(path, count: int) -> None:
    session = open_node(path)
    try:
        for start in range(0, count, 1000):
            session.writer.submit_many(
                [
                    (
                        "message.create",
                        uuid7(),
                        {
                            "fields": Message(
                                channel="channel-general",
                                text=f"situation report line {i:05d} " * 4,
                            ).model_dump(mode="json")
                        },
                    )
                    for i in range(start, min(count, start + 1000))
                ]
            )
    finally:
        session.close()


def op_count(path) -> int:
    session = open_node(path)
    try:
        return session.vault.oplog.count()
    finally:
        session.close()


def test_receiver_killed_mid_import_resumes_without_loss_or_duplicates(tmp_path):
    a, b = make_mission(tmp_path, 2)
    fill(a, TOTAL)
    expected = op_count(a)
    wal = b / "vault.db-wal"
    server = Server(b)
    import subprocess
    import sys

    from tests.sync.nodes import env

    sender = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "missiondesk",
            "--vault",
            str(a),
            "sync",
            "now",
            "--peer",
            server.address,
        ],
        env=env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and (not wal.exists() or wal.stat().st_size < 2_000_000):
        time.sleep(0.02)
    server.kill()  # SIGKILL: no clean-up, no checkpoint, mid-transaction maybe
    out, err = sender.communicate(timeout=120)
    assert sender.returncode == 4, (out, err)  # the sender reports the vanished peer
    assert "Traceback" not in err
    partial = op_count(b)
    assert 0 < partial < expected  # killed in the middle, and what was committed survived
    assert pair(a, b)["returncode"] == 0  # restart the receiver and sync again
    assert op_count(b) == op_count(a) >= expected
    session_a, session_b = open_node(a), open_node(b)
    try:
        assert session_b.verify_operations().ok
        assert state_of(session_a.vault) == state_of(session_b.vault)
    finally:
        session_a.close()
        session_b.close()
    assert cli(b, "ops", "verify").returncode == 0
