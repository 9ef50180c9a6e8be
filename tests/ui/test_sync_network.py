"""Sync from the main window over real TLS on loopback, against real `missiondesk` processes:
Sync now brings a peer's message into the message list, serving takes a CLI push, lock frees
the port and the vault, serving resumes at the next unlock, and a peer that dies mid-sync or
cannot be reached gives one clear sentence."""

from __future__ import annotations

import re
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from missiondesk.domain.markings import Precedence
from missiondesk.services.settings import SettingsStore
from missiondesk.ui.main_window import MainWindow, WindowOptions
from missiondesk.ui.tasks import TaskRunner
from tests.sync.nodes import Server, cli, env, open_node

from .conftest import show_and_activate
from .sync_helpers import mission, mission_template

__all__ = ["mission", "mission_template"]  # fixtures
pytestmark = pytest.mark.slow
REPO = Path(__file__).resolve().parents[2]


def write_message(path: Path, text: str) -> None:
    session = open_node(path)
    try:
        session.messaging.send("general", text, Precedence.IMMEDIATE)
    finally:
        session.close()


def open_window(qtbot, path: Path, tasks: TaskRunner, options: WindowOptions) -> MainWindow:
    window = MainWindow(open_node(path), tasks, options)
    qtbot.addWidget(window)
    show_and_activate(qtbot, window)
    qtbot.waitUntil(lambda: window.messages_page.current_channel is not None, timeout=5000)
    return window


@pytest.fixture
def options(tmp_path: Path) -> WindowOptions:
    store = SettingsStore(tmp_path / "settings")
    options = WindowOptions(settings_store=store)
    options.settings = store.load()
    return options


@pytest.fixture
def window(qtbot, mission, tasks: TaskRunner, options: WindowOptions) -> Iterator[MainWindow]:
    window = open_window(qtbot, mission[0], tasks, options)
    yield window
    window.close()  # stops sync, then closes the vault on its thread
    assert tasks.wait_for_done(10_000)


def texts(window: MainWindow) -> list[str]:
    model = window.messages_page.model
    return [model.message_at(row).text for row in range(model.rowCount())]


def sync_with(qtbot, window: MainWindow, address: str) -> None:
    window.show_section("Sync")  # built when first shown; its panels follow the mission read
    peers = window.sync_page.peers
    qtbot.waitUntil(peers.isVisible, timeout=10_000)
    peers.peer_edit.setEditText(address)
    qtbot.mouseClick(peers.sync_button, Qt.MouseButton.LeftButton)
    assert window.sync_controller.is_syncing
    assert peers.busy.isVisible() and not peers.sync_button.isEnabled()
    qtbot.waitUntil(lambda: not window.sync_controller.is_syncing, timeout=30_000)


def serve_on_loopback(qtbot, window: MainWindow) -> str:
    """Start serving from the Sync section on 127.0.0.1, any port; the address it serves on."""
    window.show_section("Sync")
    window.sync_page.peers.listen_edit.setText("127.0.0.1:0")
    qtbot.mouseClick(window.sync_page.peers.serve_button, Qt.MouseButton.LeftButton)
    controller = window.sync_controller
    qtbot.waitUntil(lambda: bool(controller.serving_address), timeout=10_000)
    return controller.serving_address


def test_sync_now_brings_a_message_from_a_cli_node_into_the_list(qtbot, mission, window):
    write_message(mission[1], "Patrol N-2 back at base")
    with Server(mission[1]) as server:
        sync_with(qtbot, window, server.address)
    report = window.sync_controller.last_report
    assert report is not None and not report.failed, report
    assert report.label == "BRAVO-2" and report.report.received >= 1
    state = window.status_panel.sync_state.text()
    assert re.fullmatch(r"Sync: last sync \d{4}Z with BRAVO-2: \d+ received, \d+ sent", state)
    peers = window.sync_page.peers
    assert peers.result.text().endswith("sent.") and not peers.result.failed
    qtbot.waitUntil(lambda: "Patrol N-2 back at base" in texts(window), timeout=10_000)
    qtbot.waitUntil(lambda: peers.model.rowCount() == 1, timeout=10_000)
    met = peers.model.peer_at(0)
    assert (met.label, met.address) == ("BRAVO-2", server.address)
    assert met.received == report.report.received
    panel = window.status_panel  # the status bar heard of the peer without waiting for its timer
    qtbot.waitUntil(lambda: panel.peers.text() == "Last peer: BRAVO-2, just now", timeout=5000)


def test_serving_takes_a_cli_push_then_lock_frees_port_and_vault_and_unlock_serves_again(
    qtbot,
    mission,
    window,
    tasks: TaskRunner,
    options: WindowOptions,
    vault_is_free: Callable[[Path], bool],
):
    controller = window.sync_controller
    address = serve_on_loopback(qtbot, window)
    peers = window.sync_page.peers
    port = int(address.rsplit(":", 1)[1])
    assert window.status_panel.sync_state.text() == f"Sync: serving on {address}"
    assert peers.serve_button.text() == "Stop serving" and not peers.listen_edit.isEnabled()
    assert options.settings_store is not None
    assert options.settings_store.load().sync_listen == "127.0.0.1:0"  # serves at next unlock

    assert (
        cli(mission[1], "message", "send", "--channel", "general", "--text", "Fuel 40%").returncode
        == 0
    )
    pushed = cli(mission[1], "sync", "now", "--peer", address)
    assert pushed.returncode == 0, pushed.stderr
    qtbot.waitUntil(lambda: "Fuel 40%" in texts(window), timeout=10_000)
    qtbot.waitUntil(lambda: "last sync" in controller.state, timeout=10_000)
    last = r"last sync \d{4}Z with BRAVO-2: \d+ received, \d+ sent"
    served = f"serving on {re.escape(address)} · {last}"
    assert re.fullmatch(served, controller.state), controller.state

    started = time.monotonic()
    window.lock()
    assert time.monotonic() - started < 5  # bounded, not a hang
    assert tasks.wait_for_done(10_000)
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        probe.bind(("127.0.0.1", port))  # the port is free
    assert vault_is_free(mission[0])

    again = open_window(qtbot, mission[0], tasks, options)  # unlocked again: serving resumes
    qtbot.waitUntil(lambda: bool(again.sync_controller.serving_address), timeout=10_000)
    assert again.sync_controller.stop() and again.sync_controller.stop()  # safe twice
    again.close()
    assert tasks.wait_for_done(10_000)


def test_a_peer_that_dies_mid_sync_gives_a_clear_message_and_keeps_what_arrived(
    qtbot, mission, window
):
    write_message(mission[1], "Generator failing at OP North")
    peer = subprocess.Popen(
        [sys.executable, "-m", "tests.ui.dying_peer", str(mission[1])],
        cwd=REPO,
        env=env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert peer.stdout is not None
        line = peer.stdout.readline()
        assert line.startswith("port "), (line, peer.stderr.read() if peer.stderr else "")
        sync_with(qtbot, window, f"127.0.0.1:{int(line.split()[1])}")
        assert peer.wait(timeout=10) == 3  # it died in the middle of the session
    finally:
        if peer.poll() is None:
            peer.kill()
        peer.communicate()
    report = window.sync_controller.last_report
    assert report is not None and report.failed
    result = window.sync_page.peers.result
    assert result.failed
    assert result.text().startswith("Sync with BRAVO-2 failed at ")
    assert "Whatever arrived before is kept; sync again" in result.text()
    assert "Traceback" not in result.text() and "Error" not in result.text(), result.text()
    assert window.status_panel.sync_state.text().startswith("Sync: failed: ")
    # The frame that arrived before the link died was committed and is shown.
    qtbot.waitUntil(lambda: "Generator failing at OP North" in texts(window), timeout=10_000)


def test_an_unreachable_peer_and_a_bad_address_are_one_sentence(qtbot, window):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # closed again: nobody listens there
    sync_with(qtbot, window, f"127.0.0.1:{port}")
    result = window.sync_page.peers.result
    assert result.failed and f"cannot reach 127.0.0.1:{port}" in result.text()
    window.sync_page.peers.peer_edit.setEditText("not an address")
    qtbot.mouseClick(window.sync_page.peers.sync_button, Qt.MouseButton.LeftButton)
    assert result.text() == "'not an address' is not HOST:PORT (for example 192.168.1.20:7447)"
    assert not window.sync_controller.is_syncing


def test_find_peers_on_the_lan_then_sync_with_the_one_found(qtbot, mission, window):
    from tests.sync.test_discovery import multicast_works

    if not multicast_works():
        pytest.skip("no multicast on this machine: mDNS cannot work here")
    write_message(mission[1], "Found over mDNS")
    with Server(mission[1], announce=True) as server:
        window.show_section("Sync")
        peers = window.sync_page.peers
        with qtbot.waitSignal(window.sync_controller.peers_found, timeout=15_000) as found:
            qtbot.mouseClick(peers.find_button, Qt.MouseButton.LeftButton)
        assert server.address in [p.address for p in found.args[0]]
        assert f"BRAVO-2 at {server.address}" in peers.find_note.text()
        peers.peer_edit.setEditText(server.address)  # one of the laptops found
        qtbot.mouseClick(peers.sync_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: not window.sync_controller.is_syncing, timeout=30_000)
    qtbot.waitUntil(lambda: "Found over mDNS" in texts(window), timeout=10_000)


def test_serving_restarted_at_unlock_that_fails_is_kept_for_the_next_unlock(
    qtbot, mission, tasks: TaskRunner, options: WindowOptions
):
    """The port is taken when the window opens (another program, or the network not up yet):
    the officer is told, and the choice to serve stays for the next unlock. Serving the officer
    asks for now and that fails is not remembered."""
    assert options.settings_store is not None
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        listen = f"127.0.0.1:{taken.getsockname()[1]}"
        options.settings = options.settings.model_copy(update={"sync_listen": listen})
        options.settings_store.save(options.settings)
        window = open_window(qtbot, mission[0], tasks, options)
        try:
            controller = window.sync_controller
            with qtbot.waitSignal(controller.serve_failed, timeout=10_000) as failed:
                pass
            assert f"Serving on {listen} will be tried again at the next unlock." in str(
                failed.args[0]
            )
            assert not controller.is_serving
            assert options.settings_store.load().sync_listen == listen

            window.show_section("Sync")
            peers = window.sync_page.peers
            peers.listen_edit.setText(listen)
            with qtbot.waitSignal(controller.serve_failed, timeout=10_000) as again:
                qtbot.mouseClick(peers.serve_button, Qt.MouseButton.LeftButton)
            assert "next unlock" not in str(again.args[0])
            assert options.settings_store.load().sync_listen == ""
            assert peers.result.failed
        finally:
            window.close()
            assert tasks.wait_for_done(10_000)


def test_syncing_with_its_own_address_is_refused_and_adds_no_peer(qtbot, mission, window):
    address = serve_on_loopback(qtbot, window)
    peers = window.sync_page.peers
    assert "only this computer can reach it" in peers.serve_note.text()  # a loopback address
    sync_with(qtbot, window, address)
    assert peers.result.failed and "is this laptop itself" in peers.result.text()
    assert peers.model.rowCount() == 0  # not listed as a peer of itself
    assert peers.peer_edit.currentText() == address  # what was typed stays


def test_a_laptop_refused_in_the_handshake_is_said_on_the_serving_window(
    qtbot, tmp_path: Path, tasks: TaskRunner, options: WindowOptions
):
    """Served by the window, a laptop whose certificate expired (its clock let it try) is
    named with the reason, not as a sync to sync again."""
    from tests.sync.rawpeer import hello, material_of, talk
    from tests.sync.test_refusals import expiring_mission

    authority, expired = expiring_mission(tmp_path, expired="member")
    window = open_window(qtbot, authority, tasks, options)
    try:
        address = serve_on_loopback(qtbot, window)
        reports: list[object] = []
        window.sync_controller.report_received.connect(reports.append)
        assert (
            talk(expired, int(address.rsplit(":", 1)[1]), [hello(*material_of(expired)[1:])]) == []
        )
        qtbot.waitUntil(lambda: bool(reports), timeout=10_000)
        result = window.sync_page.peers.result
        qtbot.waitUntil(lambda: "Refused the laptop at 127.0.0.1:" in result.text(), timeout=5000)
        assert "its certificate has expired; it must be enrolled again" in result.text()
        assert "sync again" not in result.text()
    finally:
        window.close()
        assert tasks.wait_for_done(10_000)
