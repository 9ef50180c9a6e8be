"""Fixtures for the desktop app's tests: real widgets over real SQLCipher vaults in tmp_path.

Qt must not look for a display on a machine without one: the platform is chosen here, before
anything in this package imports Qt (the offscreen platform renders in memory).
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from missiondesk.crypto.keywrap import KdfParams
from missiondesk.services.session import Session
from missiondesk.services.vault_access import create_vault
from missiondesk.ui.tasks import TaskRunner

# A light Argon2id for tests that are not about the key derivation itself.
FAST_KDF = KdfParams(memory_kib=8192, iterations=1, lanes=1)
PASSPHRASE = "correct horse battery staple"
NAME, CALLSIGN = "Anna Berg", "ALPHA-1"


@pytest.fixture(autouse=True)
def gui_thread_collection(qapp) -> Iterator[None]:
    """As in the app: cyclic garbage is collected on the GUI thread only (ui/collector.py).

    Left automatic, a collection tripped on a vault or sync thread could free a widget of an
    earlier test there, and a QObject destroyed on the wrong thread crashes the process."""
    from missiondesk.ui.collector import GuiThreadCollector

    collector = GuiThreadCollector()
    yield
    collector.stop()
    collector.deleteLater()


@pytest.fixture
def vault_path(tmp_path: Path) -> Path:
    return tmp_path / "vault"


@pytest.fixture
def tasks(qapp) -> Iterator[TaskRunner]:
    runner = TaskRunner()
    yield runner
    runner.wait_for_done()
    runner.shutdown()
    runner.deleteLater()


@pytest.fixture
def open_session(vault_path: Path) -> Iterator[Session]:
    """An unlocked vault; closed at the end (closing twice is harmless)."""
    session = create_vault(vault_path, PASSPHRASE, name=NAME, callsign=CALLSIGN, kdf=FAST_KDF)
    try:
        yield session
    finally:
        session.close()


@pytest.fixture
def closed_vault(vault_path: Path) -> Path:
    """A vault on disk, locked (no session holds it)."""
    create_vault(vault_path, PASSPHRASE, name=NAME, callsign=CALLSIGN, kdf=FAST_KDF).close()
    return vault_path


@pytest.fixture
def vault_is_free() -> Callable[[Path], bool]:
    """True when another caller can open the vault now, i.e. no session holds its lock."""
    from missiondesk.services.vault_access import unlock_vault
    from missiondesk.store.errors import VaultInUse

    def check(root: Path) -> bool:
        try:
            other = unlock_vault(root, PASSPHRASE)
        except VaultInUse:
            return False
        other.close()
        return True

    return check


@pytest.fixture
def drain_events(qtbot) -> Callable[[], None]:
    """Wait until every event posted so far (queued signals included) has been delivered.

    Posted events are delivered in order, so a queued marker posted now arrives after them.
    This lets a test assert that something did *not* arrive without sleeping.
    """
    from PySide6.QtCore import QObject, Qt, Signal

    class Marker(QObject):
        posted = Signal()

    def drain() -> None:
        marker = Marker()
        arrived: list[bool] = []
        marker.posted.connect(lambda: arrived.append(True), Qt.ConnectionType.QueuedConnection)
        marker.posted.emit()
        qtbot.waitUntil(lambda: bool(arrived), timeout=5000)

    return drain


def show_and_activate(qtbot, widget) -> None:
    """Show a window and wait until it really is the active one (keyboard focus follows).

    qtbot.waitActive can return before the offscreen platform has activated the window.
    """
    from PySide6.QtWidgets import QApplication

    widget.show()
    widget.raise_()
    widget.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is widget, timeout=5000)


def on_vault(tasks, fn):
    """Run `fn` on the vault thread of `tasks` and return its result.

    While a window is open its tasks use the vault's one connection; a test that wrote to the
    vault from its own thread at the same time would race them (sqlite3 connections are not
    safe to share between threads). Queued behind the window's tasks, the test's call is not.
    """
    return tasks.executor.submit(fn).result(timeout=20)
