"""A cloned laptop and a clock far ahead are held for review; urgent traffic travels first."""

from __future__ import annotations

import json
import shutil
import time
from datetime import UTC, datetime

import pytest

from missiondesk.domain.markings import Precedence
from missiondesk.domain.records.people import Role
from missiondesk.services.vault_access import create_vault
from tests.conftest import FAST_KDF, PASSPHRASE
from tests.sync.nodes import Server, cli, make_mission, open_node, pair

pytestmark = pytest.mark.slow


def send(path, text, precedence=Precedence.ROUTINE):
    session = open_node(path)
    try:
        return session.messaging.send("general", text, precedence)
    finally:
        session.close()


def members(path):
    return {m["callsign"]: m for m in json.loads(cli(path, "members", "list", "--json").stdout)}


def test_cloned_laptop_is_flagged_and_its_later_operations_held(tmp_path):
    a, b = make_mission(tmp_path, 2)
    assert pair(b, a)["returncode"] == 0
    clone = tmp_path / "clone"
    shutil.copytree(b, clone)  # the same keys, the same chain, on a second laptop
    send(b, "from the real laptop")
    send(clone, "from the clone")  # the same sequence number, different content
    assert pair(b, a)["returncode"] == 0
    with Server(a) as server:  # the clone sees the fork too, and is told so in words
        told = cli(clone, "sync", "now", "--peer", server.address)
    assert told.returncode == 0, told.stderr
    assert "1 device(s) held for signing two different operations" in told.stdout
    assert "This laptop is held" in told.stdout and "members release" in told.stdout
    assert members(a)["BRAVO-2"]["status"] == "held"
    until = datetime.fromisoformat(members(a)["BRAVO-2"]["valid_until"])  # a time, not a clock
    assert until.tzinfo is not None and until > datetime.now(UTC)
    assert "equivocation" in members(a)["BRAVO-2"]["detail"]
    send(b, "written after the fork")
    pair(b, a)
    session = open_node(a)
    texts = [m.text for m in session.messaging.list()]
    session.close()
    assert "from the real laptop" in texts
    assert "from the clone" not in texts and "written after the fork" not in texts
    status = json.loads(cli(a, "sync", "status", "--json").stdout)
    assert [h["reason"] for h in status["held"]] == ["equivocation"]
    done = cli(a, "members", "release", "BRAVO-2")
    assert done.returncode == 0, done.stderr
    assert pair(b, a)["returncode"] == 0
    session = open_node(a)
    texts = [m.text for m in session.messaging.list()]
    session.close()
    assert "written after the fork" in texts


def test_clock_more_than_a_day_ahead_is_held(tmp_path):
    (a,) = make_mission(tmp_path, 1)
    ahead = time.time_ns() // 1_000_000 + 3 * 24 * 3600 * 1000
    fast = create_vault(
        tmp_path / "fast",
        PASSPHRASE,
        name="Fast Clock",
        callsign="FOXTROT-6",
        kdf=FAST_KDF,
        wall=lambda: ahead,
    )
    request, _ = fast.mission.request_enrollment()
    authority = open_node(a)
    approval, _ = authority.mission.approve(request, role=Role.OFFICER)
    authority.close()
    fast.mission.accept(approval)
    fast.messaging.send("general", "sent from three days ahead")
    fast.close()
    report = pair(tmp_path / "fast", a)
    assert report["returncode"] == 0
    held = members(a)["FOXTROT-6"]
    assert held["status"] == "held" and "24 h ahead" in held["detail"]
    session = open_node(a)
    assert "sent from three days ahead" not in [m.text for m in session.messaging.list()]
    session.close()


def test_flash_from_another_device_arrives_before_routine_traffic(tmp_path):
    a, b, c = make_mission(tmp_path, 3)
    session = open_node(a)
    for i in range(300):
        session.messaging.send("general", f"routine log line {i}")
    session.close()
    flash_id = send(c, "FLASH: contact at checkpoint 7", Precedence.FLASH)
    assert pair(c, a)["returncode"] == 0
    assert pair(b, a)["returncode"] == 0  # b receives everything from a in one session
    session = open_node(b)
    try:
        rows = session.vault.conn.execute(
            "SELECT entity, kind, rowid FROM ops WHERE kind = 'message.create'"
        ).fetchall()
    finally:
        session.close()
    flash_row = next(r[2] for r in rows if r[0] == flash_id)
    routine = [r[2] for r in rows if r[0] != flash_id]
    assert len(routine) == 300
    assert flash_row < min(routine)
