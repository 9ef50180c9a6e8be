"""Bundles carried on a drive: round trip, acknowledgement by the next bundle back, and every
kind of bad bundle refused with the vault unchanged."""

from __future__ import annotations

import random

import pytest

from missiondesk.domain.errors import InvalidInput
from missiondesk.domain.markings import Precedence
from missiondesk.sync.bundle import BundleRefused
from tests.opfactory import state_of
from tests.sync.nodes import make_mission, open_node


def state(path):
    session = open_node(path)
    try:
        return state_of(session.vault), session.vault.oplog.count()
    finally:
        session.close()


def export(path, out, *recipients):
    session = open_node(path)
    try:
        return session.bundles.export(out, list(recipients))
    finally:
        session.close()


def import_(path, bundle, dry_run=False):
    session = open_node(path)
    try:
        return session.bundles.import_(bundle, dry_run=dry_run)
    finally:
        session.close()


def send(path, text, precedence=Precedence.ROUTINE):
    session = open_node(path)
    try:
        session.messaging.send("general", text, precedence)
    finally:
        session.close()


def callsign_device(path):
    session = open_node(path)
    try:
        return session.device_id
    finally:
        session.close()


@pytest.fixture(scope="module")
def trio(tmp_path_factory):
    root = tmp_path_factory.mktemp("bundles")
    paths = make_mission(root, 3)
    send(paths[0], "Convoy Kilo departs 0600", Precedence.IMMEDIATE)
    bundle = root / "to-charlie.mdb"
    export(paths[0], bundle, "CHARLIE-3")
    return paths, bundle


def test_dry_run_changes_nothing_then_import_then_replay_is_refused(trio):
    (a, b, c), bundle = trio
    before = state(c)
    preview = import_(c, bundle, dry_run=True)
    assert preview.dry_run and preview.added["message.create"] == 1
    session = open_node(c)
    me = session.device_id
    session.close()
    assert preview.recipients == [me]  # whom it was sealed for, as the export said
    assert state(c) == before
    report = import_(c, bundle)
    assert report.added == preview.added
    session = open_node(c)
    assert "Convoy Kilo departs 0600" in [m.text for m in session.messaging.list()]
    session.close()
    after = state(c)
    with pytest.raises(BundleRefused, match="already imported"):
        import_(c, bundle)
    assert state(c) == after


def test_the_bundle_back_acknowledges_and_the_next_one_is_small(trio, tmp_path):
    (a, b, c), first = trio
    if state(c)[1] < state(a)[1]:  # make sure c has imported a's bundle
        import_(c, first)
    send(c, "Charlie: bridge at Km 12 washed out")
    back = tmp_path / "to-hq.mdb"
    report = export(c, back, "HQ-1")
    assert report.operations >= 1
    import_(a, back)
    again = tmp_path / "to-charlie-2.mdb"
    assert export(a, again, "CHARLIE-3").operations == 0  # c told a what it holds


def test_bundle_for_another_device_is_refused(trio):
    (a, b, c), bundle = trio
    before = state(b)
    with pytest.raises(BundleRefused, match="not addressed to this device"):
        import_(b, bundle)
    assert state(b) == before


def test_tampered_and_truncated_bundles_are_refused(trio, tmp_path):
    (a, b, c), _ = trio
    send(a, "For Bravo only")
    good = tmp_path / "to-bravo.mdb"
    export(a, good, "BRAVO-2")
    data = good.read_bytes()
    before = state(b)
    rng = random.Random(7)
    bad = tmp_path / "bad.mdb"
    positions = [0, 5, 25, 60, len(data) // 3, len(data) // 2, len(data) - 70, len(data) - 1]
    positions += [rng.randrange(len(data)) for _ in range(12)]
    for position in positions:
        tampered = bytearray(data)
        tampered[position] ^= 1 << rng.randrange(8)
        bad.write_bytes(bytes(tampered))
        with pytest.raises(BundleRefused):
            import_(b, bad)
    for length in (0, 10, 30, len(data) // 2, len(data) - 1):
        bad.write_bytes(data[:length])
        with pytest.raises(BundleRefused):
            import_(b, bad)
    bad.write_bytes(data + b"extra")
    with pytest.raises(BundleRefused):
        import_(b, bad)
    assert state(b) == before
    assert import_(b, good).added["message.create"] >= 1  # the untouched one still imports


def test_foreign_bundle_is_refused(trio, tmp_path):
    (a, b, c), _ = trio
    x, y = make_mission(tmp_path, 2, name="Another mission")
    send(x, "not for Sector North")
    foreign = tmp_path / "foreign.mdb"
    export(x, foreign)
    before = state(c)
    with pytest.raises(BundleRefused, match="another mission"):
        import_(c, foreign)
    assert state(c) == before


def test_bundle_from_a_revoked_device_is_refused(tmp_path):
    a, b, c = make_mission(tmp_path, 3)
    send(c, "written before revocation")
    bundle = tmp_path / "from-charlie.mdb"
    export(c, bundle, "HQ-1")
    session = open_node(a)
    session.mission.revoke(callsign_device(c), "laptop captured")
    session.close()
    before = state(a)
    with pytest.raises(BundleRefused, match="revoked"):
        import_(a, bundle)
    assert state(a) == before


def test_no_bundle_is_written_for_a_revoked_device(tmp_path):
    """A lost laptop is revoked: a bundle for it (by callsign or id) is refused, nothing is
    written; one for everyone leaves it out."""
    a, b, c = make_mission(tmp_path, 3)
    charlie = callsign_device(c)
    session = open_node(a)
    try:
        session.mission.revoke(charlie, "laptop lost")
        callsign = session.mission.find_member(charlie).callsign
        for named in (callsign, charlie):
            out = tmp_path / "for-charlie.mdb"
            with pytest.raises(InvalidInput, match="revoked: a bundle for it would hand"):
                session.bundles.export(out, [named])
            assert not out.exists()
        report = session.bundles.export(tmp_path / "all.mdb")
        assert charlie not in report.recipients
    finally:
        session.close()


def test_a_revoked_laptop_is_not_waited_for_to_acknowledge(tmp_path):
    """FLASH to all: a lost, revoked laptop can never acknowledge, so it is not awaited."""
    a, b, c = make_mission(tmp_path, 3)
    charlie = callsign_device(c)
    for laptop in (b, c):  # HQ learns who they are
        export(laptop, tmp_path / "to-hq.mdb", "HQ-1")
        import_(a, tmp_path / "to-hq.mdb")
    session = open_node(a)
    try:
        labels = {e.label for e in session.people.others()}
        session.mission.revoke(charlie, "laptop lost")
        lost = next(e.label for e in session.people.directory() if charlie in e.devices)
        session.messaging.send("general", "Stand to, all stations", Precedence.FLASH)
        general, _ = session.channels.require("general")
        view = session.messaging.older(general)[0]
        assert set(view.awaiting) == labels - {lost} and lost in labels
    finally:
        session.close()


def test_a_revoked_laptop_s_late_operations_are_not_passed_on(tmp_path):
    """CHARLIE-3 is revoked while BRAVO-2 already holds what it wrote afterwards: BRAVO-2
    passes none of that on once it knows, so HQ refuses nothing and they come back in step."""
    a, b, c = make_mission(tmp_path, 3)
    carry = tmp_path / "carry.mdb"
    export(c, carry, "BRAVO-2")
    import_(b, carry)
    session = open_node(a)
    try:
        session.mission.revoke(callsign_device(c), "laptop captured")
    finally:
        session.close()
    send(c, "written after the revocation")
    export(c, carry, "BRAVO-2")
    assert import_(b, carry).refused == 0  # BRAVO-2 has not heard of the revocation yet
    export(a, carry, "BRAVO-2")
    import_(b, carry)  # now it has
    report = export(b, carry, "HQ-1")
    assert import_(a, carry).refused == 0
    export(a, carry, "BRAVO-2")
    import_(b, carry)
    assert export(b, carry, "HQ-1").operations == 0, report  # in step: nothing more to carry


def test_what_a_peer_wrote_itself_is_never_counted_as_lacking(tmp_path):
    """CHARLIE-3's new message reaches HQ through BRAVO-2: HQ does not count it among what
    CHARLIE-3 lacks (it wrote it)."""
    a, b, c = make_mission(tmp_path, 3)
    carry = tmp_path / "carry.mdb"
    export(a, carry, "CHARLIE-3")
    import_(c, carry)
    export(c, carry, "HQ-1")
    import_(a, carry)
    send(c, "OP North: all quiet")
    export(c, carry, "BRAVO-2")
    import_(b, carry)
    export(b, carry, "HQ-1")
    import_(a, carry)
    session = open_node(a)
    try:
        charlie, bravo = callsign_device(c), callsign_device(b)
        status = session.sync.status()
        pending = {p["device"]: p["pending_for_peer"] for p in status["peers"]}
        assert pending[charlie] == session.vault.oplog.heads()[bravo][0]  # BRAVO-2's alone
    finally:
        session.close()
