"""Sync while the app runs: serving peers in the background, syncing with one on request,
finding peers on the LAN.

The engine (`services/sync_node.py`) runs an asyncio loop on a thread of its own and makes every
vault call on the TaskRunner's vault thread, so sync and the screens take turns on the vault.
Whatever it reports is handed to the GUI thread through one queued signal; nothing here blocks
the GUI thread except `stop()`, which waits a bounded time so the vault can close after it.
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Callable
from concurrent.futures import Future
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtCore import QObject, Qt, Signal, Slot

from missiondesk.domain.errors import MissionDeskError
from missiondesk.domain.ids import fingerprint
from missiondesk.domain.named_tuple import NamedTuple
from missiondesk.services.session import Session
from missiondesk.services.settings_file import SettingsStore
from missiondesk.ui.tasks import Failure, TaskRunner, describe_failure

if TYPE_CHECKING:  # the engine and the mission load when first used: the first screen needs
    # none of them
    from missiondesk.services.mission import MissionInfo
    from missiondesk.services.settings import Settings
    from missiondesk.services.sync_node import Listening, Serving, SyncNode
    from missiondesk.sync.discovery import FoundPeer
    from missiondesk.sync.session import SessionReport

log = logging.getLogger(__name__)
DEFAULT_LISTEN = "0.0.0.0:7447"  # every network this laptop is on
STOP_WAIT_S = 5.0


class SettingsHolder(Protocol):
    """Where the window keeps the settings in force and their store (WindowOptions)."""

    settings: Settings
    settings_store: SettingsStore | None


def _hhmmz(ms: int) -> str:
    return f"{datetime.fromtimestamp(ms / 1000, tz=UTC):%H%M}Z"


class PeerReport(NamedTuple):
    """One finished session, as the page and the status bar show it."""

    report: SessionReport
    label: str  # the peer's callsign, or its fingerprint; "" when it never said who it is
    address: str  # what this laptop dialled; "" for a session a peer started
    at_ms: int

    @property
    def failed(self) -> bool:
        return bool(self.report.error)

    @property
    def who(self) -> str:
        return self.label or self.address or "a peer"

    def phrase(self) -> str:
        """For the status bar: 'last sync 0912Z with BRAVO-2: 12 received, 3 sent'."""
        r = self.report
        if r.error:
            return f"failed: {r.error}"
        if r.in_sync:
            what = "already in step"
        else:
            what = f"{r.received:,} received, {r.sent:,} sent"
            if r.refused:
                what += f", {r.refused:,} refused"
        return f"last sync {_hhmmz(self.at_ms)} with {self.who}: {what}"

    def sentence(self) -> str:
        """For the page: what happened, and what the officer can do about a failure."""
        r = self.report
        when = _hhmmz(self.at_ms)
        if r.error and r.refusal and not self.label:
            return f"{when}: {r.error[0].upper()}{r.error[1:]}."
        if r.error:
            return (
                f"Sync with {self.who} failed at {when}: {r.error}. Whatever arrived before "
                "is kept; sync again to go on from there."
            )
        if r.in_sync:
            return f"{when}: already in step with {self.who}; nothing to exchange."
        text = (
            f"{when}: synced with {self.who}: {r.received:,} operation(s) received, "
            f"{r.sent:,} sent."
        )
        if r.refused:
            reasons = "; ".join(sorted(set(r.reasons))) or "refused by admission"
            text += f" {r.refused:,} refused ({reasons})."
        if r.held:
            text += f" {len(r.held)} device(s) held for review: see Members."
        return text


class PeerFound(NamedTuple):
    label: str
    address: str


class SyncController(QObject):
    """Serve, sync now and find peers for one unlocked session; `stop()` before the vault
    closes. Signals are emitted on the GUI thread."""

    state_changed = Signal(str)  # a short phrase for the status bar: "off", "serving on ..."
    serving_changed = Signal(str)  # the address served, "" once serving stopped
    announcement_changed = Signal(str)  # a sentence about being findable on the LAN
    serve_failed = Signal(str)
    syncing_changed = Signal(bool)
    report_received = Signal(object)  # a PeerReport, for every session (dialled or served)
    sync_failed = Signal(str)  # a sync that could not even start (bad address, no mission)
    peers_found = Signal(object)  # list[PeerFound]
    discovery_failed = Signal(str)
    _posted = Signal(object)  # a callable, emitted from any thread, run on the GUI thread

    def __init__(
        self,
        session: Session,
        tasks: TaskRunner,
        options: SettingsHolder,
        parent: QObject | None = None,
        *,
        announce: bool = True,
    ) -> None:
        super().__init__(parent)
        self._session = session
        self._tasks = tasks
        self._options = options
        self._announce = announce
        self._node: SyncNode | None = None
        self._closed = False
        self._serve_pending = ""  # the address asked for, until it is bound or fails
        self._serving_from_settings = False  # serving restarted at unlock, not asked just now
        self.serving_address = ""
        self.syncing_with = ""
        self.last_report: PeerReport | None = None
        self._latest = ""  # the newest result phrase: a report or a failure
        self.state = "off"
        self._posted.connect(self._run_posted, Qt.ConnectionType.QueuedConnection)

    # -- properties the page reads -------------------------------------------------------------

    @property
    def default_listen(self) -> str:
        return self._options.settings.sync_listen or DEFAULT_LISTEN

    @property
    def is_serving(self) -> bool:
        return bool(self.serving_address or self._serve_pending)

    @property
    def is_syncing(self) -> bool:
        return bool(self.syncing_with)

    @property
    def timeout(self) -> float:
        return float(self._options.settings.sync_timeout_seconds)

    # -- from the engine's threads to the GUI thread -------------------------------------------

    def _post(self, fn: Callable[[], None]) -> None:
        """Called on any thread: run `fn` on the GUI thread, unless stopped by then."""
        if self._closed:
            return
        with contextlib.suppress(RuntimeError):  # the controller was deleted with its window
            self._posted.emit(fn)

    @Slot(object)
    def _run_posted(self, fn: Callable[[], None]) -> None:
        if not self._closed:
            fn()

    def _when_done(self, future: Future[Any], handler: Callable[[Future[Any]], None]) -> None:
        future.add_done_callback(lambda f: self._post(lambda: handler(f)))

    def _engine(self) -> SyncNode:
        if self._node is None:
            from missiondesk.services.sync_node import SyncNode

            self._node = SyncNode(
                self._session.sync,
                self._tasks.executor,
                lambda report: self._post(lambda: self._name_peer(report, "")),
            )
        return self._node

    @staticmethod
    def _message(error: BaseException) -> str:
        if isinstance(error, MissionDeskError):
            return error.message
        return describe_failure("sync", error).message

    # -- serving -------------------------------------------------------------------------------

    def resume_serving(self) -> None:
        """If the officer left serving on, serve again (the window calls this once its first
        screen is up)."""
        listen = self._options.settings.sync_listen
        if listen:
            self._serve_if_in_mission(listen)

    def _serve_if_in_mission(self, listen: str) -> None:
        if self._closed:
            return
        session = self._session

        def read_mission() -> MissionInfo | None:
            return session.mission.info()  # the service is made here, on the vault thread

        self._tasks.run("read mission", read_mission, lambda info: self._auto_serve(info, listen))

    def _auto_serve(self, info: MissionInfo | None, listen: str) -> None:
        if info is not None and not self.is_serving:
            self.start_serving(listen, from_settings=True)

    def start_serving(self, listen: str, *, from_settings: bool = False) -> bool:
        """Serve peers on HOST:PORT; remembered, so the next unlock serves again.

        A failure forgets an address the officer has just asked for, but not one restarted
        from the settings at unlock (the network may not be up yet): that one is tried again
        at the next unlock, and the message says so."""
        if self._closed or self.is_serving:
            return False
        self._serving_from_settings = from_settings
        listen = listen.strip() or DEFAULT_LISTEN
        try:
            serving: Serving = self._engine().serve(
                listen,
                timeout=self.timeout,
                announce=self._announce,
                on_bound=lambda address: self._post(lambda: self._on_bound(address)),
            )
        except MissionDeskError as exc:
            self._on_serve_failed(exc.message)
            return False
        self._serve_pending = listen
        self._when_done(serving.ready, self._on_ready)
        self._when_done(serving.ended, self._on_serving_ended)
        self._remember_listen(listen)
        self._update_state()
        return True

    def stop_serving(self) -> None:
        """Stop listening; the port is free at once. Remembered: the next unlock does not serve."""
        self._remember_listen("")
        if self._node is not None and self.is_serving and not self._closed:
            self._node.stop_serving()

    def _on_bound(self, address: tuple[str, int]) -> None:
        self._serve_pending = ""
        self.serving_address = f"{address[0]}:{address[1]}"
        self.serving_changed.emit(self.serving_address)
        self._update_state()

    def _on_ready(self, future: Future[Listening]) -> None:
        if future.cancelled() or future.exception() is not None:
            return  # the end of serving says why
        listening = future.result()
        if listening.announced:
            self.announcement_changed.emit("Laptops of the mission on this network can find it.")
        elif listening.note:
            self.announcement_changed.emit(f"It {listening.note}; give peers its address.")
        else:
            self.announcement_changed.emit("")

    def _on_serving_ended(self, future: Future[None]) -> None:
        self._serve_pending = ""
        self.serving_address = ""
        self.serving_changed.emit("")
        error = None if future.cancelled() else future.exception()
        if error is not None:
            self._on_serve_failed(self._message(error))
        else:
            self._update_state()

    def _on_serve_failed(self, message: str) -> None:
        listen = self._serve_pending or self._options.settings.sync_listen
        self._serve_pending = ""
        if self._serving_from_settings and listen:
            message = f"{message} Serving on {listen} will be tried again at the next unlock."
        else:
            self._remember_listen("")
        self._latest = f"failed: {message}"
        self.serve_failed.emit(message)
        self._update_state()

    def _remember_listen(self, listen: str) -> None:
        holder = self._options
        if holder.settings.sync_listen == listen:
            return
        settings = holder.settings.model_copy(update={"sync_listen": listen})
        holder.settings = settings
        if holder.settings_store is not None:
            try:
                holder.settings_store.save(settings)
            except MissionDeskError:
                log.warning("could not save the serving address in the settings")

    # -- syncing with one peer ----------------------------------------------------------------

    def sync_now(self, peer: str) -> bool:
        """Start one session with the peer at HOST:PORT; the result comes as report_received."""
        if self._closed or self.is_syncing:
            return False
        peer = peer.strip()
        if not peer:
            self.sync_failed.emit("Type the peer's address, for example 192.168.1.20:7447.")
            return False
        try:
            future = self._engine().sync_with(peer, timeout=self.timeout)
        except MissionDeskError as exc:
            self._latest = f"failed: {exc.message}"
            self.sync_failed.emit(exc.message)
            self._update_state()
            return False
        self.syncing_with = peer
        self.syncing_changed.emit(True)
        self._update_state()
        self._when_done(future, lambda f: self._on_synced(peer, f))
        return True

    def _on_synced(self, peer: str, future: Future[SessionReport]) -> None:
        error = None if future.cancelled() else future.exception()
        if future.cancelled() or error is not None:
            message = self._message(error) if error is not None else "sync was stopped"
            self._done_syncing()
            self._latest = f"failed: {message}"
            self.sync_failed.emit(f"Sync with {peer} failed: {message}")
            self._update_state()
            return
        self._name_peer(future.result(), peer)

    def _done_syncing(self) -> None:
        if self.syncing_with:
            self.syncing_with = ""
            self.syncing_changed.emit(False)

    def _name_peer(self, report: SessionReport, address: str) -> None:
        """Put the peer's callsign on the report (a vault read), then publish it."""
        at = time.time_ns() // 1_000_000
        device = report.peer
        session = self._session

        def label() -> str:
            return session.peer_label(device) if device else ""

        def publish(name: str) -> None:
            if self._closed:
                return
            if address:
                self._done_syncing()
            self.last_report = PeerReport(report, name, address, at)
            self._latest = self.last_report.phrase()
            self.report_received.emit(self.last_report)
            self._update_state()

        def unnamed(_failure: Failure) -> None:
            publish(fingerprint(device) if device else "")

        self._tasks.run("name a peer", label, publish, unnamed)

    # -- finding peers on the LAN --------------------------------------------------------------

    def find_peers(self, seconds: float = 3.0) -> bool:
        if self._closed:
            return False
        try:
            future = self._engine().discover(seconds)
        except MissionDeskError as exc:
            self.discovery_failed.emit(exc.message)
            return False
        self._when_done(future, self._on_found)
        return True

    def _on_found(self, future: Future[list[FoundPeer]]) -> None:
        error = None if future.cancelled() else future.exception()
        if future.cancelled() or error is not None:
            self.discovery_failed.emit(
                self._message(error) if error is not None else "The search was stopped."
            )
            return
        peers = future.result()
        session = self._session

        def labelled() -> list[PeerFound]:
            return [PeerFound(session.peer_label(p.device), p.address) for p in peers]

        self._tasks.run(
            "name peers found",
            labelled,
            lambda found: None if self._closed else self.peers_found.emit(found),
            lambda failure: self.discovery_failed.emit(failure.message),
        )

    # -- state and stopping --------------------------------------------------------------------

    def _update_state(self) -> None:
        parts: list[str] = []
        if self.serving_address:
            parts.append(f"serving on {self.serving_address}")
        elif self._serve_pending:
            parts.append(f"starting to serve on {self._serve_pending}…")
        if self.syncing_with:
            parts.append(f"syncing with {self.syncing_with}…")
        elif self._latest:
            parts.append(self._latest)
        state = " · ".join(parts) or "off"
        if state != self.state:
            self.state = state
            self.state_changed.emit(state)

    def stop(self, wait: float = STOP_WAIT_S) -> bool:
        """Stop serving and syncing before the vault closes (lock, quit); waits at most `wait`
        seconds. True when sync makes no more vault calls. Safe to call twice."""
        if self._closed:
            return True
        self._closed = True
        node, self._node = self._node, None
        quiet = node.close(wait) if node is not None else True
        self._serve_pending = self.serving_address = self.syncing_with = ""
        self.state = "off"
        return quiet
