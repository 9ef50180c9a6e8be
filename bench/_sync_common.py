"""Shared parts of the sync benchmarks: missions of real vaults, `sync serve` / `sync now` as
real processes, filling a vault in-process, and a TCP relay that counts bytes and can emulate a
thin link (bandwidth, delay, a bounded queue).

Nothing is mocked: the vaults are SQLCipher files, the nodes are `missiondesk` processes and
every byte crosses real TLS 1.3 over loopback sockets. Only one process opens a vault at a time
(the vault lock); the in-process helpers close their session before a subprocess opens it.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import os
import random
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from _common import SRC, WORDS
from missiondesk.crypto.keywrap import KdfParams
from missiondesk.domain.ids import uuid7
from missiondesk.domain.markings import Precedence
from missiondesk.domain.records.messaging import Message
from missiondesk.domain.records.people import Role
from missiondesk.services.session import Session
from missiondesk.services.sync_service import VaultReplica
from missiondesk.services.vault_access import create_vault, unlock_vault
from missiondesk.services.writer import Change

PASSPHRASE = "correct horse battery staple"  # as tests/conftest.py
SETUP_KDF = KdfParams(memory_kib=8192, iterations=1, lanes=1)  # setup speed; not measured
CALLSIGNS = ("HQ-1", "BRAVO-2", "CHARLIE-3", "DELTA-4", "ECHO-5", "FOXTROT-6", "GOLF-7")
FILL_BATCH = 1000
PY_SPY = Path(sys.executable).parent / "py-spy"


# -- vaults -----------------------------------------------------------------------------------


def make_mission(root: Path, count: int, name: str = "Sector North") -> list[Path]:
    """`count` vaults in one mission: the first is the authority, the others enrolled by file."""
    paths = [root / f"node{i}" for i in range(count)]
    authority = create_vault(
        paths[0], PASSPHRASE, name=f"Officer {CALLSIGNS[0]}", callsign=CALLSIGNS[0], kdf=SETUP_KDF
    )
    try:
        authority.mission.create(name)
        for i, path in enumerate(paths[1:], start=1):
            enroll(authority, path, CALLSIGNS[i % len(CALLSIGNS)])
    finally:
        authority.close()
    return paths


def enroll(authority: Session, path: Path, callsign: str) -> None:
    """One more member vault at `path`, enrolled by the open authority session."""
    member = create_vault(
        path, PASSPHRASE, name=f"Officer {callsign}", callsign=callsign, kdf=SETUP_KDF
    )
    try:
        request, _ = member.mission.request_enrollment()
        approval, _ = authority.mission.approve(request, role=Role.OFFICER)
        member.mission.accept(approval)
    finally:
        member.close()


@contextlib.contextmanager
def opened(path: Path) -> Iterator[Session]:
    """The vault unlocked in this process; closed (WAL checkpointed) on exit."""
    session = unlock_vault(path, PASSPHRASE)
    try:
        yield session
    finally:
        session.close()


def replica_of(session: Session) -> VaultReplica:
    """What `sync serve` hands the sync engine, for in-process baselines."""
    info = session.mission.require()
    return VaultReplica(session.vault, info, session.device_id, session.clock, session.changes)


def general_channel(session: Session) -> str:
    return session.messaging.require_channel("general")[0]


def report_text(rng: random.Random, chars: int) -> str:
    """Report-like text of about `chars` characters: the benchmarks' words, plus grid
    references, times and counts (numbers make it less compressible than words alone)."""
    parts: list[str] = []
    size = 0
    while size < chars:
        roll = rng.random()
        if roll < 0.08:
            word = f"{rng.randint(10, 60)}S{rng.choice('KLMNP')}{rng.choice('ABCD')}"
            word += f" {rng.randint(0, 99999):05d} {rng.randint(0, 99999):05d}"
        elif roll < 0.14:
            word = f"{rng.randint(0, 23):02d}{rng.randint(0, 59):02d}Z"
        elif roll < 0.2:
            word = str(rng.randint(1, 400))
        else:
            word = rng.choice(WORDS)
        parts.append(word)
        size += len(word) + 1
    return " ".join(parts)[:chars].strip().capitalize() or "Report"


def message_changes(
    channel: str,
    count: int,
    rng: random.Random,
    *,
    chars: tuple[int, int] = (20, 160),
    precedence: Precedence | None = None,
) -> list[Change]:
    """message.create changes as `MessagingService.send` builds them. Without `precedence`,
    1 in 10 is FLASH/IMMEDIATE/PRIORITY, as in bench/road.py."""
    changes: list[Change] = []
    others = [p for p in Precedence if p is not Precedence.ROUTINE]
    for _ in range(count):
        if precedence is not None:
            level = precedence
        else:
            level = rng.choice(others) if rng.random() < 0.1 else Precedence.ROUTINE
        message = Message(
            channel=channel, text=report_text(rng, rng.randint(*chars)), precedence=level
        )
        changes.append(("message.create", uuid7(), {"fields": message.model_dump(mode="json")}))
    return changes


def fill(session: Session, changes: list[Change], batch: int = FILL_BATCH) -> None:
    """Write through the one road, `batch` changes per transaction."""
    for i in range(0, len(changes), batch):
        session.writer.submit_many(changes[i : i + batch])


def fill_messages(
    path: Path, count: int, seed: int, *, chars: tuple[int, int] = (20, 160)
) -> tuple[int, int]:
    """`count` messages written on the vault at `path`; (its device's head seq, op count)."""
    rng = random.Random(seed)
    with opened(path) as session:
        channel = general_channel(session)
        done = 0
        while done < count:  # build and write in slices: 1M changes need not sit in memory
            n = min(20_000, count - done)
            fill(session, message_changes(channel, n, rng, chars=chars))
            done += n
        return session.writer.head_seq, session.vault.oplog.count()


def ops_of(path: Path, author: str | None = None, after_seq: int = 0) -> list[tuple[bytes, bytes]]:
    """(payload, signature) of the vault's ops (one author's after `after_seq`, in chain order;
    or every op, per author in chain order)."""
    with opened(path) as session:
        if author is None:
            return [(s.payload, s.signature) for s in session.vault.oplog.iter_ops()]
        head = session.vault.oplog.head(author)
        if head is None or head[0] <= after_seq:
            return []
        return session.vault.oplog.read_range(author, after_seq + 1, head[0])


def op_count(path: Path) -> int:
    with opened(path) as session:
        return session.vault.oplog.count()


def device_of(path: Path) -> str:
    with opened(path) as session:
        return session.device_id


def database_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in path.glob("vault.db*"))


# -- nodes as processes -----------------------------------------------------------------------


def env() -> dict[str, str]:
    e = {k: v for k, v in os.environ.items() if not k.startswith("MISSIONDESK_")}
    e["MISSIONDESK_PASSPHRASE"] = PASSPHRASE
    e["PYTHONPATH"] = os.pathsep.join(filter(None, [str(SRC), e.get("PYTHONPATH", "")]))
    return e


def _cli(path: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "missiondesk", "--vault", str(path), *args]


_ANNOUNCE_FLAG: list[bool] = []


def _can_skip_announce() -> bool:
    """Whether `sync serve` has --no-announce (mDNS stays out of the measurement)."""
    if not _ANNOUNCE_FLAG:
        done = subprocess.run(
            [sys.executable, "-m", "missiondesk", "sync", "serve", "--help"],
            env=env(),
            capture_output=True,
            text=True,
            check=False,
        )
        _ANNOUNCE_FLAG.append("--no-announce" in done.stdout)
    return _ANNOUNCE_FLAG[0]


class Server:
    """`missiondesk sync serve` in its own process on a free loopback port."""

    def __init__(self, path: Path, timeout: int = 120) -> None:
        self.path = path
        args = ["sync", "serve", "--listen", "127.0.0.1:0", "--timeout", str(timeout)]
        if _can_skip_announce():
            args.append("--no-announce")
        self.process = subprocess.Popen(
            _cli(path, *args),
            env=env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        match = re.search(r"on 127\.0\.0\.1:(\d+)", line)
        if not match:
            self.process.kill()
            _, err = self.process.communicate()
            raise RuntimeError(f"sync serve did not start: {line!r} {err[-2000:]}")
        self.port = int(match.group(1))
        self.address = f"127.0.0.1:{self.port}"
        self.lines: list[tuple[float, str]] = []  # (perf_counter when printed, line)
        self._err: list[str] = []
        self._readers = [
            threading.Thread(target=self._read_out, name="serve-out", daemon=True),
            threading.Thread(target=self._read_err, name="serve-err", daemon=True),
        ]
        for reader in self._readers:
            reader.start()

    def _read_out(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append((time.perf_counter(), line.rstrip("\n")))

    def _read_err(self) -> None:
        assert self.process.stderr is not None
        self._err.append(self.process.stderr.read())

    def session_ends(self, count: int, timeout: float = 600) -> list[tuple[float, str]]:
        """Wait until the node has printed `count` session reports (one line per session, when
        its side of the session is over: everything received is committed)."""
        deadline = time.monotonic() + timeout
        while len(self.lines) < count:
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"sync serve printed {self.lines} and stopped or hung")
            time.sleep(0.005)
        return self.lines[:count]

    @property
    def pid(self) -> int:
        return self.process.pid

    def stop(self) -> str:
        """Stop it as a service manager would (SIGTERM: a shell running us in the background
        leaves SIGINT ignored in its children); what it printed."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
                raise RuntimeError("sync serve did not stop within 60 s of SIGTERM") from None
        for reader in self._readers:
            reader.join(10)
        err = "".join(self._err)
        if "Traceback" in err:
            raise RuntimeError(f"sync serve failed: {err[-2000:]}")
        return "\n".join(line for _, line in self.lines)

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


@dataclass
class SyncRun:
    report: dict[str, Any]
    seconds: float  # wall time of the `sync now` process, start to exit

    @property
    def app_bytes(self) -> int:
        return int(self.report["bytes_sent"]) + int(self.report["bytes_received"])


def sync_now(path: Path, address: str, timeout: int = 120) -> SyncRun:
    """Run `missiondesk sync now --json` against `address`; raises if the sync failed."""
    start = time.perf_counter()
    done = subprocess.run(
        _cli(path, "sync", "now", "--peer", address, "--json", "--timeout", str(timeout)),
        env=env(),
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - start
    text = done.stdout.strip()
    report = json.loads(text) if text.startswith("{") else {}
    if done.returncode != 0 or report.get("error") or "Traceback" in done.stderr:
        raise RuntimeError(f"sync now failed ({done.returncode}): {text} {done.stderr[-2000:]}")
    return SyncRun(report, seconds)


def pair(client: Path, server: Path) -> SyncRun:
    """One session: `server` serves, `client` connects; returns once both sides are done."""
    with Server(server) as node:
        run = sync_now(client, node.address)
        node.session_ends(1)
        return run


class Profiler:
    """py-spy sampling a running process (every thread, native frames off), raw stacks out."""

    def __init__(self, pid: int, out: Path, rate: int = 250) -> None:
        self.out = out
        self.process = subprocess.Popen(
            [
                *(str(PY_SPY), "record", "--pid", str(pid), "--rate", str(rate)),
                *("--format", "raw", "--output", str(out), "--threads"),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        time.sleep(1.0)  # attached before the measured work starts

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
        try:
            self.process.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.communicate()


# -- a relay that counts bytes and can emulate a thin link ------------------------------------


@dataclass
class Direction:
    """One direction of one connection: bytes, and when each chunk left its sender."""

    bytes: int = 0
    chunks: list[tuple[float, int]] = field(default_factory=list)


@dataclass
class Connection:
    opened: float
    closed: float = 0.0
    up: Direction = field(default_factory=Direction)  # client -> server
    down: Direction = field(default_factory=Direction)  # server -> client

    @property
    def total(self) -> int:
        return self.up.bytes + self.down.bytes

    def client_flights(self, gap: float) -> int:
        """Bursts of client bytes separated by more than `gap` seconds: with a one-way delay,
        each burst after the first is a round trip the client waited for."""
        times = [t for t, _ in self.up.chunks]
        if not times:
            return 0
        return 1 + sum(1 for a, b in itertools.pairwise(times) if b - a > gap)


class Link:
    """A TCP relay on 127.0.0.1 in front of `target_port`, run on its own thread.

    With `rate` (bytes/s) each direction is a link of that bandwidth: a chunk is serialised
    after the ones before it (plus `header` bytes of TCP/IP headers per `mss` bytes), then
    delivered `delay` seconds later; the relay reads more from a sender only while less than
    `queue` bytes wait for the link, so the sender feels the back-pressure of a bounded
    router queue. Without `rate` it only adds `delay` (0: a plain counting relay). With a
    delay, a new connection's first bytes also wait one round trip (TCP's handshake).
    """

    def __init__(
        self,
        target_port: int,
        *,
        rate: float | None = None,
        delay: float = 0.0,
        queue: int = 64 * 1024,
        mss: int = 1460,
        header: int = 40,
    ) -> None:
        self.target_port = target_port
        self.rate = rate
        self.delay = delay
        self.queue = queue
        self.mss = mss
        self.header = header if rate else 0
        self.connections: list[Connection] = []
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._server: asyncio.Server | None = None
        self.port = 0
        self._thread = threading.Thread(target=self._run, name="link", daemon=True)

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    def __enter__(self) -> Link:
        self._thread.start()
        self._ready.wait(10)
        return self

    def __exit__(self, *exc: object) -> None:
        async def shut() -> None:
            if self._server is not None:
                self._server.close()
            tasks = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)

        asyncio.run_coroutine_threadsafe(shut(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)

    def reset(self) -> None:
        self.connections.clear()

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)

        async def start() -> None:
            self._server = await asyncio.start_server(self._handle, "127.0.0.1", 0)
            self.port = int(self._server.sockets[0].getsockname()[1])

        self._loop.run_until_complete(start())
        self._ready.set()
        self._loop.run_forever()

    async def _handle(self, c_reader: asyncio.StreamReader, c_writer: asyncio.StreamWriter) -> None:
        loop = asyncio.get_running_loop()
        conn = Connection(opened=loop.time())
        self.connections.append(conn)
        try:
            s_reader, s_writer = await asyncio.open_connection("127.0.0.1", self.target_port)
        except OSError:
            c_writer.close()
            return
        if self.delay:  # TCP's own handshake: the client's first bytes wait one round trip
            await asyncio.sleep(2 * self.delay)

        def broken() -> None:  # one end is gone: reset both, as a real TCP peer would
            for w in (c_writer, s_writer):
                w.transport.abort()

        try:
            await asyncio.gather(
                self._pipe(c_reader, s_writer, conn.up, broken),
                self._pipe(s_reader, c_writer, conn.down, broken),
            )
        except asyncio.CancelledError:  # the relay is shutting down with this one still open
            pass
        finally:
            conn.closed = loop.time()
            for w in (c_writer, s_writer):
                with contextlib.suppress(Exception):
                    w.close()

    async def _pipe(
        self,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
        stats: Direction,
        broken: Callable[[], None],
    ) -> None:
        loop = asyncio.get_running_loop()
        line: asyncio.Queue[tuple[float, bytes | None]] = asyncio.Queue()
        deliver = asyncio.create_task(self._deliver(line, writer, broken))
        link_free = 0.0  # when the link has sent everything accepted so far
        read_size = self.mss if self.rate else 65536
        try:
            while True:
                if self.rate:
                    backlog = (link_free - loop.time()) * self.rate
                    if backlog > self.queue:
                        await asyncio.sleep((backlog - self.queue) / self.rate)
                try:
                    data = await reader.read(read_size)
                except ConnectionError:
                    data = b""
                now = loop.time()
                if not data:
                    line.put_nowait((max(now, link_free) + self.delay, None))
                    break
                stats.bytes += len(data)
                stats.chunks.append((now, len(data)))
                if self.rate:
                    link_free = max(now, link_free) + (len(data) + self.header) / self.rate
                    line.put_nowait((link_free + self.delay, data))
                else:
                    line.put_nowait((now + self.delay, data))
        finally:
            await deliver

    @staticmethod
    async def _deliver(
        line: asyncio.Queue[tuple[float, bytes | None]],
        writer: asyncio.StreamWriter,
        broken: Callable[[], None],
    ) -> None:
        loop = asyncio.get_running_loop()
        while True:
            at, data = await line.get()
            wait = at - loop.time()
            if wait > 0:
                await asyncio.sleep(wait)
            try:
                if data is None:
                    if writer.can_write_eof():
                        writer.write_eof()
                    return
                writer.write(data)
                await writer.drain()
            except (ConnectionError, OSError):
                broken()
                return


def last_connection(link: Link, wait: float = 5.0) -> Connection:
    """The relay's newest connection, once both directions have closed."""
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        if link.connections and link.connections[-1].closed:
            break
        time.sleep(0.02)
    if not link.connections:
        raise RuntimeError("no connection went through the relay")
    return link.connections[-1]
