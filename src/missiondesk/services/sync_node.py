"""The sync engine at work in the background: serve peers, sync with one, find peers on the LAN.

One asyncio loop runs on a thread of its own. Every vault call goes to the `db` executor the
caller hands in (the desktop app's vault thread, or the command line's), so sync and everything
else take turns on the vault's one connection. Every method returns at once with a
`concurrent.futures.Future`; `close()` cancels what runs and waits a bounded time, after which
the loop makes no more vault calls and the vault may close. The command line and the desktop
app use this same class.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import logging
import os
import threading
from collections.abc import Callable, Coroutine
from concurrent.futures import Executor, Future, InvalidStateError
from dataclasses import dataclass
from typing import Any, TypeVar

from missiondesk.domain.errors import InvalidInput, Unavailable
from missiondesk.services.mission import MissionInfo
from missiondesk.services.sync_service import SyncService
from missiondesk.sync.discovery import FoundPeer, announced, discover
from missiondesk.sync.session import SessionReport
from missiondesk.sync.transport import STOP_GRACE, Reporter, parse_address, serve, sync_with

log = logging.getLogger(__name__)
ANY_ADDRESS = "0.0.0.0"  # noqa: S104 - a node listens on every interface unless told otherwise
T = TypeVar("T")
BIND_PROBLEMS = {
    errno.EADDRINUSE: "the port is already in use (another program, or MissionDesk, serves on it)",
    errno.EADDRNOTAVAIL: "this computer has no network interface with that address",
    errno.EACCES: "ports below 1024 need administrator rights; use a higher port such as 7447",
}


@dataclass(frozen=True)
class Listening:
    """A node that serves peers: where, and whether peers on the LAN can find it."""

    host: str
    port: int
    announced: bool  # announced by mDNS
    note: str = ""  # why announcing failed, when it was wanted and allowed but failed

    @property
    def address(self) -> str:
        return f"{self.host}:{self.port}"


@dataclass(frozen=True)
class Serving:
    """What `SyncNode.serve` hands back."""

    ready: Future[Listening]  # listening (and announced where allowed), or why it cannot
    ended: Future[None]  # serving stopped: None after a stop, the error when it failed


def _set(future: Future[T], value: T) -> None:
    with contextlib.suppress(InvalidStateError):
        if not future.done():
            future.set_result(value)


def _fail(future: Future[Any], error: BaseException) -> None:
    with contextlib.suppress(InvalidStateError):
        if not future.done():
            future.set_exception(error)


def listen_error(host: str, port: int, exc: OSError) -> Unavailable:
    why = BIND_PROBLEMS.get(exc.errno or 0) or (
        os.strerror(exc.errno) if exc.errno else str(exc) or type(exc).__name__
    )
    return Unavailable(f"Cannot serve peers on {host}:{port}: {why}.")


class SyncNode:
    """Serves peers and syncs with them from a background thread; `on_report` hears of every
    session a peer started with this node (on the loop's thread: hand it on, do not block)."""

    def __init__(self, sync: SyncService, db: Executor, on_report: Reporter | None = None) -> None:
        self._sync = sync
        self._db = db
        self._on_report = on_report
        self._loop = asyncio.new_event_loop()
        self._serving: asyncio.Task[None] | None = None  # touched only on the loop's thread
        self._lock = threading.Lock()
        self._closing = False
        self._quiet = threading.Event()  # set once the loop makes no more vault calls
        self._thread = threading.Thread(target=self._run, name="sync-loop", daemon=True)
        self._thread.start()

    def __enter__(self) -> SyncNode:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- the loop's thread ----------------------------------------------------------------------

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        try:
            self._loop.run_forever()
        finally:
            try:
                self._loop.run_until_complete(self._loop.shutdown_asyncgens())
                self._quiet.set()
                # mDNS and discovery threads; none of them touches the vault
                self._loop.run_until_complete(self._loop.shutdown_default_executor())
            finally:
                self._loop.close()
                self._quiet.set()

    def _submit(self, coro: Coroutine[Any, Any, T]) -> Future[T]:
        with self._lock:
            if self._closing:
                coro.close()
                raise Unavailable("Sync has been stopped; unlock again to sync.")
            return asyncio.run_coroutine_threadsafe(coro, self._loop)

    def _report(self, report: SessionReport) -> None:
        if self._on_report is None:
            return
        try:
            self._on_report(report)
        except Exception:
            log.exception("a listener of sync reports failed")

    # -- serving --------------------------------------------------------------------------------

    def serve(
        self,
        listen: str,
        *,
        timeout: float = 30.0,
        announce: bool = True,
        on_bound: Callable[[tuple[str, int]], None] | None = None,
    ) -> Serving:
        """Serve peers on HOST:PORT until stop_serving() or close(). `on_bound` is called (on a
        helper thread) as soon as the port is open, before the LAN announcement."""
        host, port = parse_address(listen, default_host=ANY_ADDRESS, listening=True)
        serving = Serving(Future(), Future())
        self._submit(self._serve(host, port, timeout, announce, on_bound, serving))
        return serving

    async def _serve(
        self,
        host: str,
        port: int,
        timeout: float,
        announce: bool,
        on_bound: Callable[[tuple[str, int]], None] | None,
        serving: Serving,
    ) -> None:
        if self._serving is not None:
            error = InvalidInput("This laptop already serves peers; stop serving first.")
            _fail(serving.ready, error)
            _fail(serving.ended, error)
            return
        self._serving = asyncio.current_task()
        loop = asyncio.get_running_loop()
        stack = contextlib.ExitStack()
        guard = threading.Lock()
        stopped = False
        failure: BaseException | None = None

        def bound(address: tuple[str, int]) -> None:  # on a helper thread: it may block
            if on_bound is not None:
                try:
                    on_bound(address)
                except Exception:
                    log.exception("a listener of the serving address failed")
            with guard:
                if stopped:
                    return
                done, note = self._announce(stack, announce, info, address)
            _set(serving.ready, Listening(address[0], address[1], done, note))

        def unannounce() -> None:
            nonlocal stopped
            with guard:  # waits for an announcement under way, so none outlives the node
                stopped = True
                stack.close()

        try:
            replica, material, info = await loop.run_in_executor(self._db, self._sync.engine_parts)
            await serve(
                replica,
                self._db,
                material,
                host,
                port,
                self._report,
                started=bound,
                timeout=timeout,
            )
        except asyncio.CancelledError:
            pass  # stopped: a clean end
        except OSError as exc:
            failure = listen_error(host, port, exc)
        except Exception as exc:  # noqa: BLE001 - handed to whoever waits on `ended`
            failure = exc
        finally:
            self._serving = None
            with contextlib.suppress(asyncio.CancelledError):
                await loop.run_in_executor(None, unannounce)
            _fail(serving.ready, failure or Unavailable("Serving stopped before it began."))
            if failure is None:
                _set(serving.ended, None)
            else:
                _fail(serving.ended, failure)

    def _announce(
        self,
        stack: contextlib.ExitStack,
        wanted: bool,
        info: MissionInfo,
        address: tuple[str, int],
    ) -> tuple[bool, str]:
        if not wanted or not info.discovery:
            return False, ""
        try:
            stack.enter_context(announced(info.id, self._sync.device_id, address[0], address[1]))
        except Exception as exc:  # noqa: BLE001 - serving goes on; the officer is told
            log.warning("could not announce on the LAN: %s", type(exc).__name__)
            return False, "could not announce this laptop on the LAN (no multicast network?)"
        return True, ""

    def stop_serving(self) -> Future[None]:
        """Stop listening (the port is free at once) and end the sessions in progress."""
        return self._submit(self._stop_serving())

    async def _stop_serving(self) -> None:
        task = self._serving
        if task is not None:
            task.cancel()
            await asyncio.wait([task])

    # -- syncing and finding peers ----------------------------------------------------------------

    def sync_with(self, peer: str, *, timeout: float = 30.0) -> Future[SessionReport]:
        """One session with the peer at HOST:PORT. Peer faults end up in the report's error."""
        host, port = parse_address(peer)
        return self._submit(self._sync_with(host, port, timeout))

    async def _sync_with(self, host: str, port: int, timeout: float) -> SessionReport:
        loop = asyncio.get_running_loop()
        replica, material, _info = await loop.run_in_executor(self._db, self._sync.engine_parts)
        return await sync_with(replica, self._db, material, host, port, timeout=timeout)

    def discover(self, seconds: float = 3.0) -> Future[list[FoundPeer]]:
        """Peers of this mission announcing themselves on the LAN (refused when the mission
        forbids discovery)."""
        return self._submit(self._discover(seconds))

    async def _discover(self, seconds: float) -> list[FoundPeer]:
        loop = asyncio.get_running_loop()
        mission_id = await loop.run_in_executor(self._db, self._sync.discovery_mission)
        return await loop.run_in_executor(None, discover, mission_id, self._sync.device_id, seconds)

    # -- stopping ---------------------------------------------------------------------------------

    def close(self, wait: float = 10.0) -> bool:
        """Stop serving and syncing. Waits at most `wait` seconds; True when the loop makes no
        more vault calls (the vault may close). Safe to call twice."""
        with self._lock:
            first, self._closing = not self._closing, True
        if first:
            self._loop.call_soon_threadsafe(self._begin_shutdown)
        quiet = self._quiet.wait(wait)
        if not quiet:
            log.warning("sync did not stop within %.0f s", wait)
        return quiet

    def _begin_shutdown(self) -> None:
        self._loop.create_task(self._shutdown())

    async def _shutdown(self) -> None:
        me = asyncio.current_task()
        tasks = [task for task in asyncio.all_tasks() if task is not me]
        for task in tasks:
            task.cancel()
        if tasks:
            _done, pending = await asyncio.wait(tasks, timeout=STOP_GRACE + 2)
            if not pending:
                self._quiet.set()
        else:
            self._quiet.set()
        self._loop.stop()
