"""The one helper that runs work off the GUI thread and hands back its result or its error.

`TaskRunner.run(name, fn)` starts `fn()` on the vault's worker thread and returns a `Task` whose
signals fire on the GUI thread: `succeeded(result)` or `failed(Failure)`, then `finished()`.
Errors are never swallowed. A MissionDeskError reaches the user as its own message. Anything
else reaches the user as a generic sentence and the log as a traceback that names the
exception's type and the code's frames only: the exception's message (which could quote user
input) is not logged.
"""

from __future__ import annotations

import itertools
import logging
import traceback
from collections.abc import Callable
from concurrent.futures import Executor, Future, ThreadPoolExecutor, wait
from typing import Any

from PySide6.QtCore import QObject, Signal, Slot

from missiondesk.domain.errors import MissionDeskError
from missiondesk.domain.named_tuple import NamedTuple

log = logging.getLogger(__name__)

UNEXPECTED = (
    "Something unexpected went wrong ({kind}). The details were written to the log; "
    "please report this to your IT focal point."
)


class Failure(NamedTuple):
    """What went wrong in a task, as the GUI needs it."""

    message: str  # one sentence fit to show an officer
    error: BaseException

    @property
    def expected(self) -> bool:
        """True for a MissionDeskError (wrong passphrase, invalid input...), not a bug."""
        return isinstance(self.error, MissionDeskError)


def describe_failure(name: str, error: BaseException) -> Failure:
    """Turn an exception into a Failure, logging unexpected ones without their message text."""
    if isinstance(error, MissionDeskError):
        log.info("task %r refused: %s", name, type(error).__name__)
        return Failure(error.message, error)
    frames = "".join(traceback.format_tb(error.__traceback__))
    log.error(
        "task %r failed: %s\nTraceback (most recent call last):\n%s%s: <message not logged>",
        name,
        type(error).__name__,
        frames,
        type(error).__name__,
    )
    return Failure(UNEXPECTED.format(kind=type(error).__name__), error)


class _Deliveries(QObject):
    """One per runner, living as long as it: the worker emits every outcome through it, so the
    worker never holds a Qt object that could die while it runs. (A per-task sender, deleted
    with its Task on the GUI thread, could have its last Python reference dropped by the
    worker: a wrapper freed off the GUI thread, a crash in CI.)"""

    settled = Signal(int, bool, object)  # task number, succeeded, its result or its Failure


def _call(box: list[Callable[[], Any]], name: str, deliveries: _Deliveries, number: int) -> None:
    """On the worker. `box` holds the work until it has run, then is emptied here, while the
    Task still holds it on the GUI thread: the last reference to what the work's closure
    holds (widgets among them, sometimes) is always dropped on the GUI thread."""
    fn = box.pop()
    try:
        outcome: tuple[bool, object] = (True, fn())
    except BaseException as exc:  # noqa: BLE001 - delivered to the GUI thread, not swallowed
        failure = describe_failure(name, exc)  # logged here, with the frames
        exc.__traceback__ = None  # frames can hold a passphrase; let them go now
        outcome = (False, failure)
    del fn
    deliveries.settled.emit(number, *outcome)


class Task(QObject):
    """One call in flight. Its signals are emitted on the GUI thread, exactly once each."""

    succeeded = Signal(object)
    failed = Signal(object)  # a Failure
    finished = Signal()

    def __init__(self, name: str, work: Callable[[], Any], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self.done = False
        self.failure: Failure | None = None
        self._work: Callable[[], Any] | None = work  # released on the GUI thread (`_call`)

    def _settle(self, succeeded: bool, value: Any) -> None:
        self.done = True
        self._work = None
        if succeeded:
            self.succeeded.emit(value)
        else:
            self.failure = value
            self.failed.emit(value)
        self.finished.emit()


class TaskRunner(QObject):
    """Runs tasks one at a time on its own worker thread, in the order they were started.

    One thread, because the work is the vault's: SQLCipher, Argon2id, signing (the unlock's
    passphrase check, which reads no database, has a thread of its own: ui/unlock.py). A
    single lane means no two calls ever use the vault's connection at once, and a read started
    after a write sees it. The same thread serves the sync engine (see `executor`), so sync
    and the screens take turns on the vault instead of racing. Each Task is kept alive until
    finished.
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._executor = ThreadPoolExecutor(1, thread_name_prefix="vault")
        self._running: dict[int, Task] = {}
        self._futures: set[Future[None]] = set()
        self._numbers = itertools.count(1)
        self._deliveries = _Deliveries(self)
        self._deliveries.settled.connect(self._on_settled)

    @property
    def executor(self) -> Executor:
        """The vault's thread, for code that takes a concurrent.futures Executor (sync)."""
        return self._executor

    def run(
        self,
        name: str,
        fn: Callable[[], Any],
        on_success: Callable[[Any], None] | None = None,
        on_failure: Callable[[Failure], None] | None = None,
    ) -> Task:
        """Run `fn()` off the GUI thread. `name` goes to the log: never put user data in it."""
        task = Task(name, fn, self)
        if on_success is not None:
            task.succeeded.connect(on_success)
        if on_failure is not None:
            task.failed.connect(on_failure)
        number = next(self._numbers)
        self._running[number] = task
        future = self._executor.submit(_call, [fn], name, self._deliveries, number)
        self._futures.add(future)
        future.add_done_callback(self._futures.discard)
        return task

    @property
    def busy(self) -> bool:
        return bool(self._running)

    def wait_for_done(self, msecs: int = -1) -> bool:
        """Block until every started task has run (at shutdown and in tests); their results
        still need the event loop to arrive."""
        pending = list(self._futures)
        _done, not_done = wait(pending, timeout=None if msecs < 0 else msecs / 1000)
        return not not_done

    def shutdown(self) -> None:
        """Finish what was started, then stop the thread."""
        self._executor.shutdown(wait=True)

    @Slot(int, bool, object)
    def _on_settled(self, number: int, succeeded: bool, value: object) -> None:
        task = self._running.pop(number, None)
        if task is not None:
            task._settle(succeeded, value)
            task.deleteLater()
