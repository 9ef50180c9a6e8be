"""One sync session between two peers, the same code on both ends.

1. Both send HELLO (mission, device, digests of their heads and trust). Equal digests: both send
   DONE and the session is over after one round trip and a few hundred bytes.
2. Otherwise each sends TRUST (if the trust digests differ) and HEADS (author -> newest seq and
   op id). Certificates and revocations are applied first, so ops of new members can be checked.
3. Each streams what the other lacks, author run by author run, most urgent first, in OPS frames
   of at most BATCH_OPS operations; each received frame is verified, admitted and committed on its
   own, so a cut link loses at most the frame in flight. Then DONE.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import ssl
from collections.abc import Callable
from concurrent.futures import Executor
from dataclasses import dataclass, field
from typing import Any, TypeVar

from missiondesk.domain.operation import OpRecord, SignedOperation
from missiondesk.sync.intake import take_all
from missiondesk.sync.replica import Replica, Segment, Summary
from missiondesk.sync.tls import refused_by_peer
from missiondesk.sync.wire import (
    MAX_FRAME,
    Frame,
    FrameType,
    OpsDecoder,
    OpsEncoder,
    ProtocolError,
    encode_frame,
    json_frame,
    read_frame,
)

log = logging.getLogger(__name__)
PROTOCOL = 2  # 2: OPS frames carry operations as fields (wire.OpsEncoder)
BATCH_OPS = 1000
BATCH_BYTES = 1024 * 1024
SMALL_DELTA = 10_000  # operations: up to this many, the sender compresses at zlib level 9
T = TypeVar("T")


@dataclass
class SessionReport:
    peer: str = ""
    in_sync: bool = False
    sent: int = 0
    received: int = 0
    refused: int = 0
    reasons: list[str] = field(default_factory=list)
    held: list[str] = field(default_factory=list)
    bytes_sent: int = 0
    bytes_received: int = 0
    frames_sent: int = 0
    frames_received: int = 0
    error: str = ""
    # a laptop refused for its certificate or its membership, or refusing this one: nothing
    # was exchanged, and syncing again changes nothing until a certificate does (not in JSON)
    refusal: bool = False

    def as_json(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if k != "refusal"}

    def summary(self) -> str:
        if self.error:
            return f"failed: {self.error}"
        if self.in_sync:
            return "already in step"
        text = f"received {self.received}, sent {self.sent}"
        if self.refused:
            text += f", refused {self.refused} ({'; '.join(sorted(set(self.reasons)))})"
        if self.held:  # never only in --json: a held device's new operations go nowhere
            text += (
                f"; {len(set(self.held))} device(s) held for signing two different operations"
                " with one number (members list)"
            )
        return text


def heads_digest(heads: dict[str, tuple[int, bytes]]) -> str:
    h = hashlib.sha256()
    for author in sorted(heads):
        seq, op_id = heads[author]
        h.update(f"{author}:{seq}:{op_id.hex()};".encode())
    return h.hexdigest()


def trust_digest(rows: list[str]) -> str:
    return hashlib.sha256("\n".join(rows).encode()).hexdigest()


def plan(
    mine: dict[str, tuple[int, bytes]],
    theirs: dict[str, tuple[int, str]],
    segments_of: Callable[[str, int], list[Segment]],
) -> list[Segment]:
    """What the peer lacks, most urgent first; an author's segments keep their chain order."""
    found: list[Segment] = []
    for author, (seq, _) in mine.items():
        their_seq = theirs.get(author, (0, ""))[0]
        if seq > their_seq:
            found.extend(segments_of(author, their_seq))
    return sorted(found, key=lambda s: (s.urgency, s.author, s.first))


class Session:
    def __init__(
        self,
        replica: Replica,
        db: Executor,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
        peer_device: str,
        *,
        address: str = "",
        timeout: float = 30.0,
    ) -> None:
        self._replica = replica
        self._db = db
        self._reader = reader
        self._writer = writer
        self._timeout = timeout
        self._address = address
        self.report = SessionReport(peer=peer_device)
        self._encoder = OpsEncoder()  # one compressed stream each way for the whole session
        self._decoder = OpsDecoder()
        self._stopped: set[str] = set()

    async def _call(self, fn: Callable[..., T], *args: Any) -> T:
        return await asyncio.get_running_loop().run_in_executor(self._db, fn, *args)

    async def _send(self, data: bytes) -> None:
        if self._writer.is_closing():
            raise ConnectionResetError("the connection was closed")
        self._writer.write(data)
        self.report.bytes_sent += len(data)
        self.report.frames_sent += 1
        await asyncio.wait_for(self._writer.drain(), self._timeout)

    async def _recv(self) -> Frame:
        frame = await read_frame(self._reader, self._timeout)
        self.report.bytes_received += len(frame.payload) + 5
        self.report.frames_received += 1
        if frame.type is FrameType.ERROR:
            reason = str(frame.json().get("reason", "no reason given"))[:300]
            raise ProtocolError(f"the peer ended the session: {reason}")
        return frame

    async def _expect(self, kind: FrameType) -> Frame:
        frame = await self._recv()
        if frame.type is not kind:
            raise ProtocolError(f"expected {kind.name}, the peer sent {frame.type.name}")
        return frame

    async def run(self) -> SessionReport:
        """Run the session; never raises for peer faults (they end up in report.error)."""
        heads_seen: dict[str, Any] = {}
        try:
            heads_seen = await self._exchange()
        except (ConnectionError, OSError) as exc:
            # The peer may have said why before it closed: prefer its reason to ours.
            self.report.error = (
                await self._peer_reason()
                or self._cut_at_once(exc)
                or str(exc)
                or type(exc).__name__
            )
        except (ProtocolError, TimeoutError) as exc:
            self.report.error = str(exc) or type(exc).__name__
            await self._send_error(self.report.error)
        finally:
            await self._close()
        # The link is free now: fold what was logged into records, projections and search
        # (even after a failure: every committed frame counts).
        try:
            await self._call(self._replica.settle)
        except Exception:
            log.exception("could not fold the received operations; they are kept in the log")
        result = self.report.summary()
        try:
            await self._call(
                lambda: self._replica.record_peer(
                    self.report.peer,
                    address=self._address,
                    heads=heads_seen,
                    result=result,
                    sent=self.report.sent,
                    received=self.report.received,
                )
            )
        except Exception:
            log.exception("could not record the peer")
        return self.report

    async def _hello(self) -> tuple[Summary, dict[str, Any]]:
        """Exchange HELLO frames; refuse a peer of another mission or protocol."""
        summary = await self._call(self._replica.summary)
        trust = self._replica.trust
        await self._send(
            json_frame(
                FrameType.HELLO,
                {
                    "proto": PROTOCOL,
                    "mission": trust.mission_id,
                    "device": self._replica.device_id,
                    "heads": summary.heads_digest,
                    "trust": summary.trust_digest,
                    "ops": summary.operations,
                },
            )
        )
        hello = (await self._expect(FrameType.HELLO)).json()
        if hello.get("proto") != PROTOCOL:
            raise ProtocolError(f"the peer speaks protocol {hello.get('proto')}, not {PROTOCOL}")
        if hello.get("mission") != trust.mission_id:
            raise ProtocolError("the peer belongs to another mission")
        if hello.get("device") != self.report.peer:
            raise ProtocolError("the peer's HELLO names another device than its certificate")
        return summary, hello

    async def _exchange(self) -> dict[str, Any]:
        summary, hello = await self._hello()
        same_trust = hello.get("trust") == summary.trust_digest
        if hello.get("heads") == summary.heads_digest and same_trust:
            self.report.in_sync = True
            await self._send(json_frame(FrameType.DONE, {}))
            await self._expect(FrameType.DONE)
            mine = await self._call(self._replica.heads)
            return {a: [s, i.hex()] for a, (s, i) in mine.items()}
        if not same_trust:
            documents = await self._call(self._replica.trust_documents)
            await self._send(json_frame(FrameType.TRUST, documents))
        mine = await self._call(self._replica.heads)
        await self._send(
            json_frame(FrameType.HEADS, {"heads": {a: [s, i.hex()] for a, (s, i) in mine.items()}})
        )
        frame = await self._recv()
        if frame.type is FrameType.TRUST:
            if same_trust:
                raise ProtocolError("the peer sent trust documents out of turn")
            await self._call(self._replica.add_trust_documents, frame.json())
            frame = await self._recv()
        if frame.type is not FrameType.HEADS:
            raise ProtocolError(f"expected HEADS, the peer sent {frame.type.name}")
        theirs = self._parse_heads(frame.json())
        await self._check_forks(mine, theirs)
        # Send and receive at once; the first failure of either ends both.
        tasks = {
            asyncio.create_task(self._stream(mine, theirs)),
            asyncio.create_task(self._receive()),
        }
        try:
            done, pending = await asyncio.wait(tasks, return_when=asyncio.FIRST_EXCEPTION)
        except asyncio.CancelledError:  # the session is stopped (serve's stop): both go
            # Cut the link first: a send blocked on a peer that reads nothing ends at once,
            # and none starts after (Python 3.11's wait_for can swallow a cancellation that
            # meets the drain finishing, and the send after it would block on a new one).
            self._writer.transport.abort()
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)  # each one's end retrieved
            raise
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)
        errors = [task.exception() for task in done]  # retrieve each, raise the first
        for error in errors:
            if error is not None:
                raise error
        # What the peer holds now: its heads, plus everything we sent it.
        after: dict[str, tuple[int, str]] = dict(theirs)
        for author, (seq, op_id) in mine.items():
            if author not in self.report.held and seq > after.get(author, (0, ""))[0]:
                after[author] = (seq, op_id.hex())
        return {a: [s, i] for a, (s, i) in after.items()}

    @staticmethod
    def _parse_heads(data: dict[str, Any]) -> dict[str, tuple[int, str]]:
        raw = data.get("heads")
        if not isinstance(raw, dict) or len(raw) > 100_000:
            raise ProtocolError("the peer's HEADS frame is malformed")
        heads: dict[str, tuple[int, str]] = {}
        for author, value in raw.items():
            if (
                not isinstance(value, list)
                or len(value) != 2
                or type(value[0]) is not int
                or not isinstance(value[1], str)
            ):
                raise ProtocolError("the peer's HEADS frame is malformed")
            heads[str(author)] = (value[0], value[1])
        return heads

    async def _check_forks(
        self, mine: dict[str, tuple[int, bytes]], theirs: dict[str, tuple[int, str]]
    ) -> None:
        """Same author, same sequence number, different op: a cloned laptop. Hold it."""
        for author, (seq, op_id) in theirs.items():
            if author not in mine or seq < 1:
                continue
            ours = await self._call(self._replica.op_id_at, author, seq)
            if ours is not None and ours.hex() != op_id:
                detail = f"two different operations {seq}"
                await self._call(self._replica.hold, author, "equivocation", detail)
                self.report.held.append(author)
                log.warning("device %s signed two different operations %d", author[:8], seq)

    async def _stream(
        self, mine: dict[str, tuple[int, bytes]], theirs: dict[str, tuple[int, str]]
    ) -> None:
        held = set(self.report.held)
        segments = await self._call(
            plan, {a: h for a, h in mine.items() if a not in held}, theirs, self._replica.segments
        )
        if sum(s.last - s.first + 1 for s in segments) <= SMALL_DELTA:
            # A small delta is what a thin link carries: compress it harder (level 9 saves
            # ~1.5 % and costs the sender ~10 us an op, which matters only for big imports).
            self._encoder = OpsEncoder(9)
        for segment in segments:
            first = segment.first
            while first <= segment.last:
                last = min(segment.last, first + BATCH_OPS - 1)
                ops = await self._call(self._replica.read_ops, segment.author, first, last)
                for chunk in _chunks(ops):
                    await self._send(encode_frame(FrameType.OPS, self._encoder.encode(chunk)))
                    self.report.sent += len(chunk)
                first = last + 1
        await self._send(json_frame(FrameType.DONE, {}))

    async def _receive(self) -> None:
        """Take the peer's OPS until its DONE, answer COMMITTED, and wait for the peer's
        COMMITTED: a session only ends once both sides hold what the other sent."""
        done = committed = False
        taking: asyncio.Future[None] | None = None  # the frame being committed meanwhile
        loop = asyncio.get_running_loop()
        try:
            while not (done and committed):
                frame = await self._recv()
                if frame.type is FrameType.OPS and not done:
                    ops = self._decoder.decode(frame.payload)  # while the last frame commits
                    if taking is not None:
                        await taking
                    taking = loop.run_in_executor(self._db, self._take, ops)
                elif frame.type is FrameType.DONE and not done:
                    if taking is not None:
                        await taking
                        taking = None
                    done = True
                    await self._send(
                        json_frame(FrameType.COMMITTED, {"received": self.report.received})
                    )
                elif frame.type is FrameType.COMMITTED and not committed:
                    committed = True
                else:
                    raise ProtocolError(f"the peer sent {frame.type.name} out of turn")
        finally:
            if taking is not None:  # never leave a commit running behind a failed session
                await asyncio.gather(taking, return_exceptions=True)

    def _take(self, ops: list[SignedOperation]) -> None:
        """Verify, admit and commit a received batch (on the database thread). Once an
        author's operation was refused in this session, its later ones cannot follow."""
        skipped = [s for s in ops if s.op.author in self._stopped]
        if skipped:
            self.report.refused += len(skipped)
            ops = [s for s in ops if s.op.author not in self._stopped]
        intake = take_all(self._replica, ops)
        self._stopped |= intake.stopped
        self.report.received += intake.received
        self.report.refused += intake.refused
        self.report.reasons += intake.reasons
        self.report.held += intake.held
        for reason in intake.reasons:
            log.warning("refused operations: %s", reason)

    def _cut_at_once(self, exc: BaseException) -> str:
        """A peer that cut the link right after the handshake, before a single frame: what
        a laptop does that refused this one's certificate in TLS 1.3 (its alert is lost when
        it resets the connection)."""
        if self.report.frames_received or not isinstance(exc, ConnectionError):
            return ""
        return (
            "the peer closed the link right after the secure handshake, before a word of sync: "
            "it may have refused this laptop's certificate (expired, revoked, or of another "
            "mission); its officer's log says why"
        )

    async def _peer_reason(self) -> str:
        """An ERROR frame the peer sent before closing, if one is waiting to be read."""
        try:
            while True:
                frame = await read_frame(self._reader, 2.0)
                if frame.type is FrameType.ERROR:
                    return f"the peer ended the session: {frame.json().get('reason', '')}"
        except ssl.SSLError as exc:  # its TLS alert may say why (TLS 1.3: after the handshake)
            return refused_by_peer(exc)
        except (ProtocolError, ConnectionError, OSError):
            return ""

    async def _send_error(self, reason: str) -> None:
        if self._writer.is_closing():
            return
        try:
            self._writer.write(json_frame(FrameType.ERROR, {"reason": reason[:300]}))
            await asyncio.wait_for(self._writer.drain(), 5)
        except (ConnectionError, OSError, TimeoutError, RuntimeError):
            pass

    async def _close(self) -> None:
        try:
            self._writer.close()
            await asyncio.wait_for(self._writer.wait_closed(), 5)
        except (ConnectionError, OSError, TimeoutError, ssl.SSLError):
            pass


def _chunks(ops: list[OpRecord]) -> list[list[OpRecord]]:
    """Split so no frame exceeds BATCH_BYTES (or holds more than one oversized op)."""
    chunks: list[list[OpRecord]] = []
    current: list[OpRecord] = []
    size = 0
    for record in ops:
        # a generous bound on what the op costs in the frame, fields included
        cost = len(record.raw if record.raw is not None else record.body) + 256
        if current and size + cost > min(BATCH_BYTES, MAX_FRAME - 64):
            chunks.append(current)
            current, size = [], 0
        current.append(record)
        size += cost
    if current:
        chunks.append(current)
    return chunks
