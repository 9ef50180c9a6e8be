"""The one helper that runs work off the GUI thread and hands back its result or its error.

`TaskRunner.run(name, fn)` starts `fn()` on the vault's worker thread and returns a `Task` whose
signals fire on the GUI thread: `succeeded(result)` or `failed(Failure)`, then `finished()`.
Errors are never swallowed. A MissionDeskError reaches the user as its own message. Anything
else reaches the user as a generic sentence and the log as a traceback that names the
exception's type and the code's frames only: the exception's message (which could quote user
input) is not logged.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable
from concurrent.futures import Executor, Future, ThreadPoolExecutor, wait
from typing import Any, NamedTuple

from PySide6.QtCore import QObject, Signal, Slot

from missiondesk.domain.errors import MissionDeskError

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


class _WorkerSignals(QObject):
    """Lives on the GUI thread; emitted from the worker, so delivery is queued to the GUI."""

    returned = Signal(object)
    raised = Signal(object)


def _call(fn: Callable[[], Any], signals: _WorkerSignals) -> None:
    try:
        result = fn()
    except BaseException as exc:  # noqa: BLE001 - delivered to the GUI thread, not swallowed
        signals.raised.emit(exc)
    else:
        signals.returned.emit(result)


class Task(QObject):
    """One call in flight. Its signals are emitted on the GUI thread, exactly once each."""

    succeeded = Signal(object)
    failed = Signal(object)  # a Failure
    finished = Signal()

    def __init__(self, name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self.done = False
        self.failure: Failure | None = None
        self._signals = _WorkerSignals(self)
        self._signals.returned.connect(self._on_returned)
        self._signals.raised.connect(self._on_raised)

    @Slot(object)
    def _on_returned(self, result: object) -> None:
        self.done = True
        self.succeeded.emit(result)
        self.finished.emit()

    @Slot(object)
    def _on_raised(self, error: BaseException) -> None:
        self.done = True
        self.failure = describe_failure(self.name, error)
        error.__traceback__ = None  # frames can hold a passphrase; let them go now
        self.failed.emit(self.failure)
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
        self._running: set[Task] = set()
        self._futures: set[Future[None]] = set()

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
        task = Task(name, self)
        if on_success is not None:
            task.succeeded.connect(on_success)
        if on_failure is not None:
            task.failed.connect(on_failure)
        task.finished.connect(lambda: self._on_task_finished(task))
        self._running.add(task)
        future = self._executor.submit(_call, fn, task._signals)
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

    def _on_task_finished(self, task: Task) -> None:
        self._running.discard(task)
        task.deleteLater()
