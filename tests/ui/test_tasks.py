"""The off-GUI-thread helper and the change relay: results and errors come back on the GUI
thread, and no error is swallowed."""

from __future__ import annotations

import logging
import threading

import pytest
from PySide6.QtCore import QThread
from PySide6.QtWidgets import QApplication

from missiondesk.domain.changeset import ChangeSet, Origin
from missiondesk.domain.errors import InvalidInput
from missiondesk.services.changes import ChangeFeed
from missiondesk.ui.changes import ChangeRelay, RefreshScheduler
from missiondesk.ui.tasks import Failure, TaskRunner


def gui_thread():
    return QApplication.instance().thread()


def test_result_arrives_on_the_gui_thread_and_work_ran_elsewhere(qtbot, tasks: TaskRunner):
    gui = threading.get_ident()
    received: list[tuple[object, bool]] = []

    task = tasks.run(
        "compute",
        threading.get_ident,
        lambda result: received.append((result, QThread.currentThread() is gui_thread())),
    )
    with qtbot.waitSignal(task.finished, timeout=5000):
        pass
    assert len(received) == 1
    worker_ident, on_gui = received[0]
    assert worker_ident != gui
    assert on_gui


def test_mission_desk_error_reaches_the_user_as_its_message(qtbot, tasks: TaskRunner, caplog):
    def refuse() -> None:
        raise InvalidInput("The callsign is too long.", hint="use at most 40 characters")

    failures: list[Failure] = []
    task = tasks.run("refuse", refuse, on_failure=failures.append)
    with qtbot.waitSignal(task.finished, timeout=5000):
        pass
    assert [f.message for f in failures] == ["The callsign is too long."]
    assert failures[0].expected
    assert isinstance(failures[0].error, InvalidInput)


def test_unexpected_error_is_shown_generically_and_logged_without_its_message(
    qtbot, tasks: TaskRunner, caplog
):
    secret = "grid 38S MB 12345 67890 informant Farid"

    def crash() -> None:
        raise KeyError(secret)

    failures: list[Failure] = []
    caplog.set_level(logging.INFO)
    task = tasks.run("crash", crash, on_failure=failures.append)
    with qtbot.waitSignal(task.failed, timeout=5000) as blocker:
        pass
    assert blocker.args[0] is failures[0]
    failure = failures[0]
    assert not failure.expected
    assert "KeyError" in failure.message
    assert secret not in failure.message
    logged = "\n".join(r.getMessage() for r in caplog.records)
    text = caplog.text
    assert "KeyError" in logged
    assert "in crash" in logged  # the traceback's frames are there
    assert secret not in logged and secret not in text
    assert all(r.exc_info is None for r in caplog.records)  # no formatter can add the message
    assert failure.error.__traceback__ is None  # frames (and what they hold) were let go


def test_runner_keeps_tasks_until_they_finish(qtbot, tasks: TaskRunner):
    started = threading.Event()
    release = threading.Event()

    def wait() -> str:
        started.set()
        release.wait(5)
        return "done"

    task = tasks.run("wait", wait)
    assert started.wait(5)
    assert tasks.busy
    with qtbot.waitSignal(task.succeeded, timeout=5000) as blocker:
        release.set()
    assert blocker.args == ["done"]
    qtbot.waitUntil(lambda: not tasks.busy, timeout=5000)


def _changes(kind: str) -> ChangeSet:
    return ChangeSet(Origin.PEER, applied=(b"op",), entities={kind: frozenset({"id-1"})})


def test_change_relay_delivers_on_the_gui_thread_from_any_thread(qtbot, drain_events):
    feed = ChangeFeed()
    relay = ChangeRelay(feed)
    seen: list[tuple[str, bool]] = []
    relay.changed.connect(
        lambda c: seen.append((next(iter(c.entities)), QThread.currentThread() is gui_thread()))
    )
    sender = threading.Thread(target=lambda: feed.publish(_changes("message")))
    sender.start()
    sender.join()
    feed.publish(_changes("incident"))
    assert seen == []  # queued, never delivered inside the publisher's call
    qtbot.waitUntil(lambda: len(seen) == 2, timeout=5000)
    assert sorted(seen) == [("incident", True), ("message", True)]

    relay.stop()
    feed.publish(_changes("message"))
    drain_events()  # nothing may arrive after stop()
    assert len(seen) == 2


@pytest.mark.parametrize(("kind", "refreshes"), [("incident", 1), ("checklist", 0)])
def test_refresh_scheduler_coalesces_relevant_changes(
    qtbot, drain_events, kind: str, refreshes: int
):
    feed = ChangeFeed()
    relay = ChangeRelay(feed)
    scheduler = RefreshScheduler(relay, frozenset({"incident"}))
    count = []
    scheduler.refresh_requested.connect(lambda: count.append(1))
    for _ in range(5):
        feed.publish(_changes(kind))
    if refreshes:
        qtbot.waitUntil(lambda: len(count) == refreshes, timeout=5000)
    drain_events()
    assert len(count) == refreshes
    assert not scheduler._timer.isActive()
    relay.stop()


class Held:
    """Something a task's closure holds; records the thread that lets it go."""

    def __init__(self, freed_on: list[str]) -> None:
        self.freed_on = freed_on

    def __del__(self) -> None:
        self.freed_on.append(threading.current_thread().name)


@pytest.mark.parametrize("fails", [False, True])
def test_what_a_task_holds_is_let_go_on_the_gui_thread(qtbot, tasks: TaskRunner, fails: bool):
    """A closure can hold widgets: the worker must never drop the last reference to them (a
    Qt wrapper freed off the GUI thread crashes the process)."""
    freed_on: list[str] = []
    held = Held(freed_on)

    def work(kept: Held = held) -> int:
        assert kept is not None
        if fails:
            raise InvalidInput("refused")
        return 7

    del held
    delivered: list[object] = []
    tasks.run("hold something", work, delivered.append, delivered.append)
    del work
    qtbot.waitUntil(lambda: bool(delivered), timeout=5000)
    assert isinstance(delivered[0], Failure) if fails else delivered == [7]
    qtbot.waitUntil(lambda: bool(freed_on), timeout=5000)  # the Task deleted, its work with it
    assert freed_on == [threading.main_thread().name]
