"""Python's cyclic collector in the desktop app: paused for the start (what was loaded then is
frozen once the session's code has loaded, behind the unlock dialog), and afterwards run on
the GUI thread only, never on the vault or sync threads where it could destroy Qt objects."""

from __future__ import annotations

import gc
import subprocess
import sys
import threading
from collections.abc import Iterator
from typing import ClassVar

import pytest

from missiondesk.ui import collector
from missiondesk.ui.collector import GuiThreadCollector
from missiondesk.ui.tasks import TaskRunner

PROBE = """
import gc
from missiondesk.ui import collector
collector.pause()
paused = collector.paused() and not gc.isenabled()
import missiondesk.ui.application as application
still_paused = collector.paused() and not gc.isenabled()
application.load_session_code()
print(paused, still_paused, collector.paused(), gc.get_freeze_count())
"""


def test_collection_resumes_with_the_loaded_code_frozen_once_the_session_code_has_loaded():
    done = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=120, check=True
    )
    paused, still_paused, paused_after, frozen = done.stdout.split()
    assert (paused, still_paused, paused_after) == ("True", "True", "False")
    assert int(frozen) > 20_000  # the modules, classes and functions of the start (~70,000)


def test_resume_without_a_pause_changes_nothing():
    before = gc.get_freeze_count()
    collector.resume()
    assert not collector.paused()
    assert gc.get_freeze_count() == before


class Node:
    """One link of a reference cycle; the marked one records the thread that frees it."""

    freed_on: ClassVar[list[str]] = []

    def __init__(self, ring: list[Node], marked: bool = False) -> None:
        self.ring = ring
        self.marked = marked

    def __del__(self) -> None:
        if self.marked:
            Node.freed_on.append(threading.current_thread().name)


def make_garbage_then_keep_working() -> None:
    """On the vault thread: a cycle dropped, then allocation enough to trip many collections."""
    ring: list[Node] = []
    ring.extend(Node(ring, marked=(i == 0)) for i in range(50))
    del ring
    kept = [[index] for index in range(5_000)]
    assert len(kept) == 5_000


def make_loops(count: int) -> None:
    for _ in range(count):
        loop: list[object] = []
        loop.append(loop)


@pytest.fixture
def low_thresholds() -> Iterator[None]:
    """Collections every few allocations, so a collection tripped on a worker cannot be missed."""
    before = gc.get_threshold()
    gc.set_threshold(100, 2, 2)
    try:
        yield
    finally:
        gc.set_threshold(*before)


def test_garbage_made_on_the_vault_thread_is_collected_on_the_gui_thread_only(
    qtbot, low_thresholds
):
    gc.collect()
    Node.freed_on.clear()
    gui = GuiThreadCollector(every_ms=10)
    assert not gc.isenabled()  # no automatic collection, on any thread
    tasks = TaskRunner()
    try:
        tasks.executor.submit(make_garbage_then_keep_working).result(timeout=20)
        assert Node.freed_on == []  # 5,000 allocations on the vault thread collected nothing

        def collected() -> bool:
            make_loops(200)  # the GUI thread's own garbage, as a running window makes
            return bool(Node.freed_on)

        qtbot.waitUntil(collected, timeout=10_000)
        assert Node.freed_on == [threading.main_thread().name]
        assert gui.collections > 0
    finally:
        tasks.shutdown()
        gui.stop()
    assert gc.isenabled()  # handed back to Python after the window


def test_nothing_is_collected_while_the_start_is_paused(qtbot, low_thresholds):
    gc.collect()
    gui = GuiThreadCollector(every_ms=10)
    collector.pause()
    try:
        make_loops(500)
        gui.check()
        assert gui.collections == 0
        collector.resume()  # freezes what is there (the test process's objects, here)
        make_loops(500)
        gui.check()
        assert gui.collections == 1
    finally:
        collector.resume()
        gc.unfreeze()
        gui.stop()
    assert gc.isenabled()
