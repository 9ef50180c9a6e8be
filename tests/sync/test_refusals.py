"""Forged, tampered, oversized, foreign, revoked and expired input is refused, the vault is
unchanged, and the node goes on serving others."""

from __future__ import annotations

import asyncio
import functools
import json
import os
import signal
import socket
import struct
import time

import pytest

from missiondesk.crypto.signing import DeviceKeys
from missiondesk.domain.ids import uuid7
from missiondesk.domain.markings import Precedence
from missiondesk.domain.operation import Operation, signing_message
from missiondesk.sync.tls import client_context
from missiondesk.sync.wire import FrameType, OpsEncoder, encode_frame, encode_ops, json_frame
from tests.opfactory import state_of
from tests.sync.nodes import Server, cli, make_mission, open_node, pair, sync
from tests.sync.rawpeer import hello, material_of, talk

pytestmark = pytest.mark.slow


def fingerprint_of(path):
    session = open_node(path)
    try:
        return state_of(session.vault), session.vault.oplog.count()
    finally:
        session.close()


def next_op(path, text, keys=None):
    """The op `path`'s device would write next; signed by `keys` if given (a forgery)."""
    session = open_node(path)
    try:
        head = session.vault.oplog.head(session.device_id)
        op = Operation(
            session.mission.require().id,
            session.device_id,
            head[0] + 1,
            head[1].hex(),
            session.clock.now(),
            "message.create",
            "01a20200-0000-7000-8000-000000000001",
            {
                "fields": {
                    "channel": "channel-general",
                    "text": text,
                    "precedence": "routine",
                    "sensitivity": "unclassified",
                    "attachments": [],
                    "reply_to": None,
                }
            },
        )
        payload = op.payload()
        signature = (keys or session.keys).sign(signing_message(payload))
        return payload, signature
    finally:
        session.close()


def attack(path, port, ops_payload: bytes):
    material, device, mission = material_of(path)
    del material
    return talk(
        path,
        port,
        [
            hello(device, mission),
            json_frame(FrameType.HEADS, {"heads": {}}),
            encode_frame(FrameType.OPS, ops_payload),
            json_frame(FrameType.DONE, {}),
        ],
    )


@pytest.fixture(scope="module")
def mission(tmp_path_factory):
    return make_mission(tmp_path_factory.mktemp("refusals"), 3)


def test_forged_flipped_and_oversized_input_is_refused(mission):
    a, b, c = mission
    assert pair(b, a)["returncode"] == 0 and pair(c, a)["returncode"] == 0
    before = fingerprint_of(a)
    forged = next_op(b, "forged order: abandon the post", keys=DeviceKeys.generate())
    payload, signature = next_op(b, "honest text here")
    flipped = bytearray(payload)
    flipped[payload.index(b"honest")] ^= 0x20  # 'honest' -> 'Honest', still valid JSON

    def frame(*ops):  # what an honest node's encoder would make of these ops
        return OpsEncoder().encode(list(ops))

    cases = {
        "forged signature": frame(forged),
        "flipped byte": frame((bytes(flipped), signature)),
        "truncated batch": frame((payload, signature))[:-10],
        "uncompressed batch": encode_ops([(payload, signature)]),
        "garbage batch": b"\xff" * 40,
    }
    with Server(a) as server:
        for name, body in cases.items():
            frames = attack(b, server.port, body)
            assert frames and frames[-1].type is FrameType.ERROR, name
            reason = frames[-1].json()["reason"]
            assert reason, name
        # a frame header announcing 64 MiB: refused before it is read
        material_frames = talk(b, server.port, [struct.pack(">IB", 64 * 1024 * 1024, 1)])
        assert material_frames[-1].type is FrameType.ERROR
        assert "limit" in material_frames[-1].json()["reason"]
        # an unknown frame type
        unknown = talk(b, server.port, [encode_frame(FrameType.DONE, b"")[:4] + b"\x63"])
        assert unknown[-1].type is FrameType.ERROR
        # HEADS nested without end (Python's JSON reader gives up on its depth)
        _, device, mission_id = material_of(b)
        nested = encode_frame(FrameType.HEADS, b"[" * 200_000 + b"]" * 200_000)
        deep = talk(b, server.port, [hello(device, mission_id), nested])
        assert deep[-1].type is FrameType.ERROR
        assert "not JSON" in deep[-1].json()["reason"]
        # the node keeps serving honest peers
        assert sync(c, server)["returncode"] == 0
        log = server.stop()
    assert fingerprint_of(a) == before
    assert "bad signature" in log


def test_silent_peer_times_out_and_the_node_goes_on(mission):
    a, b, c = mission
    material, device, mission_id = material_of(b)

    async def silent(port: int) -> bytes:
        reader, writer = await asyncio.open_connection(
            "127.0.0.1", port, ssl=client_context(material)
        )
        writer.write(hello(device, mission_id))  # then nothing more
        await writer.drain()
        data = await reader.read()  # the server sends HELLO, waits, gives up, closes
        writer.close()
        return data

    with Server(a, timeout=2) as server:
        received = asyncio.run(asyncio.wait_for(silent(server.port), 120))
        assert b"sent nothing for 2 s" in received  # its ERROR frame says why
        assert sync(c, server)["returncode"] == 0


def test_wrong_mission_is_refused_at_the_handshake(mission, tmp_path):
    a = mission[0]
    (foreign,) = make_mission(tmp_path, 1, name="Another mission")
    before = fingerprint_of(a)
    with Server(a) as server:
        report = sync(foreign, server)
    assert report["returncode"] == 4
    assert "refused" in report["stderr"]
    assert fingerprint_of(a) == before


def test_revoked_device_is_refused_and_its_later_ops_are_not_accepted(tmp_path):
    a, b, c = make_mission(tmp_path, 3)
    assert pair(c, a)["returncode"] == 0
    session = open_node(a)
    session.mission.revoke(
        next(
            m.membership.device
            for m in session.mission.members()
            if m.membership.callsign == "CHARLIE-3"
        ),
        "laptop lost",
    )
    session.close()
    session = open_node(c)
    session.messaging.send("general", "written after revocation", Precedence.FLASH)
    session.close()
    before = fingerprint_of(a)
    with Server(a) as server:
        report = sync(c, server)
    assert report["returncode"] == 4 and "revoked" in report["stderr"]
    assert fingerprint_of(a) == before
    # b has not heard of the revocation yet and takes c's new op; when b meets a, a learns
    # nothing from c through b, and b learns of the revocation.
    assert pair(b, c)["returncode"] == 0
    report = pair(b, a)
    assert report["returncode"] == 0
    assert report["refused"] == 0  # a refuses on its side; b's report counts what b refused
    session = open_node(a)
    texts = [m.text for m in session.messaging.list()]
    session.close()
    assert "written after revocation" not in texts
    assert pair(a, b)["returncode"] == 0


def test_expired_certificate_is_refused(tmp_path):
    long_ago = time.time_ns() // 1_000_000 - 400 * 24 * 3600 * 1000
    a, b = make_mission(tmp_path, 2, wall=lambda: long_ago)  # enrolled 400 days ago for 365
    before = fingerprint_of(a)
    with Server(a) as server:
        report = sync(b, server)
    assert report["returncode"] == 4
    assert "this laptop's certificate expired at" in report["stderr"], report["stderr"]
    assert "ask the mission authority to enroll it again" in report["stderr"]
    assert fingerprint_of(a) == before


def expiring_mission(tmp_path, expired: str) -> tuple:
    """An authority and a member, one of whom (`expired`) was enrolled 400 days ago for 365
    (the mission's CA stays valid)."""
    from missiondesk.domain.records.people import Role
    from missiondesk.services.vault_access import create_vault
    from tests.conftest import FAST_KDF, PASSPHRASE

    now = time.time_ns() // 1_000_000
    clock = [now - 400 * 24 * 3600 * 1000]  # a hybrid clock only moves on: start long ago
    a = create_vault(tmp_path / "a", PASSPHRASE, name="Anna Berg", callsign="ALPHA-1",
                     kdf=FAST_KDF, wall=lambda: clock[0])  # fmt: skip
    b = create_vault(tmp_path / "b", PASSPHRASE, name="Ben Okafor", callsign="BRAVO-2",
                     kdf=FAST_KDF)  # fmt: skip
    try:
        a.mission.create("Sector North", valid_days=365 if expired == "authority" else 3650)
        if expired == "authority":
            clock[0] = now
        request, _ = b.mission.request_enrollment()
        approval, _ = a.mission.approve(request, role=Role.OFFICER)
        b.mission.accept(approval)
    finally:
        a.close()
        b.close()
    return tmp_path / "a", tmp_path / "b"


def test_a_peer_whose_certificate_expired_is_refused_in_the_handshake(tmp_path):
    a, b = expiring_mission(tmp_path, expired="authority")
    with Server(a) as server:
        report = sync(b, server)
    assert report["returncode"] == 4
    assert (
        "was refused: its certificate has expired; it must be enrolled again" in (report["stderr"])
    ), report["stderr"]


def test_the_serving_laptop_says_which_laptop_it_refused_for_an_expired_certificate(tmp_path):
    """`sync serve` prints the refusal of a handshake (a laptop whose clock let it try), and
    the laptop itself is told before it connects."""
    a, b = expiring_mission(tmp_path, expired="member")
    with Server(a) as server:
        report = sync(b, server)
        assert report["returncode"] == 4
        assert "this laptop's certificate expired at" in report["stderr"], report["stderr"]
        assert talk(b, server.port, [hello(*material_of(b)[1:])]) == []  # tries all the same
        out = server.stop()
    refusals = [line for line in out.splitlines() if "refused" in line]
    assert len(refusals) == 1, out
    assert "refused the laptop at 127.0.0.1:" in refusals[0]
    assert "its certificate has expired; it must be enrolled again" in refusals[0]


def test_a_peer_that_cuts_the_link_right_after_the_handshake_is_explained(mission):
    """In TLS 1.3 a laptop that refuses this one's certificate does so after this side's
    handshake is done, and its reset loses the alert: the officer is told what it may mean."""
    import ssl
    import threading

    from missiondesk.sync.tls import server_context

    a, b, _ = mission
    material, _, _ = material_of(a)
    context = server_context(material)
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        port = listener.getsockname()[1]

        def serve_and_reset() -> None:
            conn, _ = listener.accept()
            try:
                secured = context.wrap_socket(conn, server_side=True)
                secured.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                time.sleep(0.3)  # the client's first frame arrives unread: a reset
                secured.close()
            except (OSError, ssl.SSLError):
                conn.close()

        threading.Thread(target=serve_and_reset, daemon=True).start()
        done = cli(b, "sync", "now", "--peer", f"127.0.0.1:{port}", "--timeout", "5")
    assert done.returncode == 4, done.stderr
    assert "closed the link right after the secure handshake" in done.stderr, done.stderr
    assert "may have refused this laptop's certificate" in done.stderr


def test_sync_status_reports_peers_and_pending(mission):
    from tests.sync.nodes import cli

    a, b, _ = mission
    assert pair(b, a)["returncode"] == 0
    status = json.loads(cli(b, "sync", "status", "--json").stdout)
    assert status["peers"] and status["peers"][0]["pending_for_peer"] == 0


def test_a_listener_that_never_starts_tls_gets_the_timeout_not_fifteen_seconds(mission):
    """`sync now --timeout` covers the handshake: a port that accepts and says nothing."""
    a, _, _ = mission
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        port = listener.getsockname()[1]
        done = cli(a, "sync", "now", "--peer", f"127.0.0.1:{port}", "--timeout", "1", timeout=14)
    assert done.returncode == 4, done.stderr
    assert "did not finish the secure handshake within 1 s" in done.stderr
    assert "cannot reach" not in done.stderr


def test_a_port_of_another_program_and_a_laptop_of_another_mission_are_said_so(mission, tmp_path):
    """Each failure is said once, on stderr, in words an officer can act on."""
    import threading

    a, _, _ = mission
    with socket.socket() as listener:  # a web server, say: answers in plain text
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        port = listener.getsockname()[1]

        def answer() -> None:
            conn, _ = listener.accept()
            with conn:
                conn.recv(4096)
                conn.sendall(b"HTTP/1.0 400 Bad Request\r\n\r\n")

        threading.Thread(target=answer, daemon=True).start()
        done = cli(a, "sync", "now", "--peer", f"127.0.0.1:{port}", "--timeout", "5")
    assert done.returncode == 4, done.stderr
    assert "does not speak MissionDesk's secure sync" in done.stderr, done.stderr
    assert done.stdout == "" and len(done.stderr.splitlines()) == 1
    (other,) = make_mission(tmp_path, 1, name="Sector South")
    with Server(other) as server:
        done = cli(a, "sync", "now", "--peer", f"127.0.0.1:{server.port}")
    assert done.returncode == 4, done.stderr
    assert "is not of this mission, or not enrolled in it" in done.stderr, done.stderr


def test_serving_on_a_taken_port_stops_at_once_with_one_line(mission):
    a, _, _ = mission
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = cli(a, "sync", "serve", "--listen", f"127.0.0.1:{port}", "--no-announce")
    assert done.returncode == 5, done.stderr
    assert done.stderr == (
        f"missiondesk: Cannot serve peers on 127.0.0.1:{port}: the port is already in use "
        "(another program, or MissionDesk, serves on it).\n"
    )


def test_an_address_that_is_not_host_port_is_invalid_input(mission):
    a, _, _ = mission
    for address in (
        "localhost", "127.0.0.1:99999", "", "http://127.0.0.1:7447", "999.1.1.1:7447",
        ":7447", "[::1", "ops room:7447",
    ):  # fmt: skip
        done = cli(a, "sync", "now", "--peer", address)
        assert done.returncode == 4 and "is not HOST:PORT" in done.stderr, (address, done.stderr)


def test_a_session_cut_by_the_stop_gets_its_line(mission):
    """Stopping `sync serve` mid-session says which session it cut, as every session is said."""
    a, b, _ = mission
    material, device, mission_id = material_of(b)

    async def linger(port: int, hold: asyncio.Event) -> None:
        reader, writer = await asyncio.open_connection(
            "127.0.0.1", port, ssl=client_context(material)
        )
        writer.write(hello(device, mission_id))  # then wait, as a slow link would
        await writer.drain()
        await reader.read(1)  # the server's HELLO: the session is under way
        hold.set()
        await reader.read()  # until the server goes
        writer.close()

    with Server(a, timeout=60) as server:

        async def run() -> None:
            hold = asyncio.Event()
            peer = asyncio.create_task(linger(server.port, hold))
            await asyncio.wait_for(hold.wait(), 60)
            log = await asyncio.get_running_loop().run_in_executor(None, server.stop)
            await asyncio.wait_for(peer, 60)
            assert "cut by the stop" in log, log

        asyncio.run(run())


def test_a_stop_while_operations_flow_says_its_line_and_no_traceback(tmp_path):
    """Stopped while sending (blocked on a peer that reads nothing) and receiving at once:
    the session's line, no traceback."""
    from missiondesk.sync.wire import read_frame

    a, b = make_mission(tmp_path, 2)
    session = open_node(a)
    try:
        for _ in range(4):  # ~6 MB compressed: more than the sockets' buffers hold
            session.writer.submit_many(
                [
                    ("message.create", uuid7(), {"fields": {"channel": "channel-general",
                                                            "text": os.urandom(1500).hex()}})
                    for _ in range(1000)
                ]
            )  # fmt: skip
    finally:
        session.close()
    material, device, mission_id = material_of(b)

    async def midway(port: int, hold: asyncio.Event) -> None:
        reader, writer = await asyncio.open_connection(
            "127.0.0.1", port, ssl=client_context(material)
        )
        writer.write(hello(device, mission_id))
        writer.write(json_frame(FrameType.HEADS, {"heads": {}}))  # holding nothing
        await writer.drain()
        try:
            while (await read_frame(reader, 30)).type is not FrameType.HEADS:
                pass  # HELLO, TRUST, then the server's HEADS: it streams and listens now
            hold.set()
            await asyncio.sleep(120)  # reads and sends nothing more: cancelled at the end
        except (ConnectionError, OSError):
            pass
        finally:
            writer.close()

    with Server(a, timeout=60) as server:

        async def run() -> None:
            hold = asyncio.Event()
            peer = asyncio.create_task(midway(server.port, hold))
            await asyncio.wait_for(hold.wait(), 60)
            stop = functools.partial(server.stop, signal.SIGTERM)  # as a service manager does
            log = await asyncio.get_running_loop().run_in_executor(None, stop)
            peer.cancel()
            await asyncio.gather(peer, return_exceptions=True)
            assert "cut by the stop" in log, log
            assert "Traceback" not in log and "never retrieved" not in log, log

        asyncio.run(run())


def test_a_served_peer_is_not_given_its_passing_port(mission):
    a, b, _ = mission
    with Server(a) as server:
        assert sync(b, server)["returncode"] == 0
    served = json.loads(cli(a, "sync", "status", "--json").stdout)["peers"]
    called = json.loads(cli(b, "sync", "status", "--json").stdout)["peers"]
    a_device = json.loads(cli(a, "status", "--json").stdout)["device_id"]
    assert all(p["device"] != a_device for p in served)  # not a peer of itself
    assert [p["address"] for p in called if p["device"] == a_device] == [server.address]
    assert all(p["address"] == "" for p in served)  # no port it could not dial back
