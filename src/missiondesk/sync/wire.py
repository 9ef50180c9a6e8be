"""Frames on the wire and the binary form of operation batches.

A frame is ``u32 length | u8 type | payload`` (big-endian; the length counts the type byte).
Frames larger than MAX_FRAME are refused before a byte of them is buffered. A batch of
operations is ``u32 count`` then, per operation, ``u32 payload length | payload | 64-byte
signature``; the same encoding fills sync frames and bundles.
"""

from __future__ import annotations

import asyncio
import json
import struct
import zlib
from dataclasses import dataclass
from enum import IntEnum
from typing import Any

from missiondesk.domain.errors import InvalidInput
from missiondesk.domain.operation import MAX_PAYLOAD_BYTES, SignedOperation, op_id_for

MAX_FRAME = 16 * 1024 * 1024
MAX_BATCH_OPS = 100_000
SIGNATURE_BYTES = 64
_HEADER = struct.Struct(">IB")
_U32 = struct.Struct(">I")


class FrameType(IntEnum):
    HELLO = 1
    HEADS = 2
    TRUST = 3
    OPS = 4
    DONE = 5
    ERROR = 6
    COMMITTED = 7  # everything the peer sent up to its DONE is committed here


class ProtocolError(InvalidInput):
    """The peer sent something malformed, oversized or out of order."""


class PeerTimeout(ProtocolError):
    pass


@dataclass(frozen=True)
class Frame:
    type: FrameType
    payload: bytes

    def json(self) -> dict[str, Any]:
        try:
            value = json.loads(self.payload)
        except (ValueError, UnicodeDecodeError):
            raise ProtocolError(f"a {self.type.name} frame is not JSON") from None
        if not isinstance(value, dict):
            raise ProtocolError(f"a {self.type.name} frame is not a JSON object")
        return value


def encode_frame(kind: FrameType, payload: bytes) -> bytes:
    if len(payload) + 1 > MAX_FRAME:
        raise ValueError("frame too large")
    return _HEADER.pack(len(payload) + 1, kind) + payload


def json_frame(kind: FrameType, value: dict[str, Any]) -> bytes:
    return encode_frame(kind, json.dumps(value, separators=(",", ":"), sort_keys=True).encode())


async def read_frame(reader: asyncio.StreamReader, timeout: float) -> Frame:
    """The next frame; refuses oversized frames and unknown types. `timeout` is how long the
    peer may send nothing at all: a large frame over a slow link is fine while bytes arrive."""
    header = await _read_exactly(reader, _HEADER.size, timeout, started=False)
    length, kind = _HEADER.unpack(header)
    if length < 1 or length > MAX_FRAME:
        raise ProtocolError(f"the peer sent a frame of {length} bytes (limit {MAX_FRAME})")
    try:
        frame_type = FrameType(kind)
    except ValueError:
        raise ProtocolError(f"the peer sent an unknown frame type {kind}") from None
    payload = await _read_exactly(reader, length - 1, timeout, started=True)
    return Frame(frame_type, payload)


async def _read_exactly(
    reader: asyncio.StreamReader, size: int, timeout: float, *, started: bool
) -> bytes:
    parts: list[bytes] = []
    missing = size
    while missing:
        try:
            chunk = await asyncio.wait_for(reader.read(min(missing, 256 * 1024)), timeout)
        except TimeoutError:
            raise PeerTimeout(f"the peer sent nothing for {timeout:.0f} s") from None
        if not chunk:
            if started or parts:
                raise ProtocolError("the peer closed the connection in the middle of a frame")
            raise ProtocolError("the peer closed the connection")
        parts.append(chunk)
        missing -= len(chunk)
    return b"".join(parts)


def encode_ops(ops: list[tuple[bytes, bytes]]) -> bytes:
    parts = [_U32.pack(len(ops))]
    for payload, signature in ops:
        parts.append(_U32.pack(len(payload)))
        parts.append(payload)
        parts.append(signature)
    return b"".join(parts)


def decode_ops(data: bytes) -> list[SignedOperation]:
    """Parse a batch strictly; every op is checked for shape (not yet for its signature)."""
    ops = []
    for payload, signature in split_batch(data):
        try:
            ops.append(SignedOperation.from_parts(payload, signature))
        except InvalidInput as exc:
            raise ProtocolError(str(exc)) from None
    return ops


def split_batch(data: bytes) -> list[tuple[bytes, bytes]]:
    """The (payload, signature) pairs of a batch, with every length checked."""
    view = memoryview(data)
    if len(view) < 4:
        raise ProtocolError("an operation batch is truncated")
    (count,) = _U32.unpack_from(view, 0)
    if count > MAX_BATCH_OPS:
        raise ProtocolError(f"an operation batch claims {count} operations")
    offset, pairs = 4, []
    for _ in range(count):
        if offset + 4 > len(view):
            raise ProtocolError("an operation batch is truncated")
        (size,) = _U32.unpack_from(view, offset)
        offset += 4
        if size > MAX_PAYLOAD_BYTES or offset + size + SIGNATURE_BYTES > len(view):
            raise ProtocolError("an operation in a batch is truncated or oversized")
        payload = bytes(view[offset : offset + size])
        signature = bytes(view[offset + size : offset + size + SIGNATURE_BYTES])
        offset += size + SIGNATURE_BYTES
        pairs.append((payload, signature))
    if offset != len(view):
        raise ProtocolError("an operation batch has trailing bytes")
    return pairs


# -- the compressed stream of operations within one session ------------------------------------

_PREV = b'"prev":'
_ELIDED = b'"="'
MAX_INFLATED_FRAME = 64 * 1024 * 1024


def _prev_value(payload: bytes) -> tuple[int, int]:
    """Start and end of the top-level `prev` value of a canonical payload. Keys are sorted:
    only `seq` and `v` (numbers) follow `prev`, so the last `,"seq":` is the top-level one and
    the top-level `"prev":` is the last one before it."""
    seq_at = payload.rfind(b',"seq":')
    prev_at = payload.rfind(_PREV, 0, seq_at)
    if seq_at < 0 or prev_at < 0:
        return -1, -1
    return prev_at + len(_PREV), seq_at


class OpsEncoder:
    """Sender side of a session: one zlib stream for all OPS frames, flushed at each frame so
    every frame can be read on arrival; an op's `prev` is left out when it is the id of the same
    author's op sent just before in this stream (the receiver puts it back)."""

    def __init__(self) -> None:
        self._zlib = zlib.compressobj(6)
        self._last: dict[str, bytes] = {}  # author -> id of its op sent last

    def encode(self, ops: list[tuple[bytes, bytes]]) -> bytes:
        """One frame's payload for stored (payload, signature) pairs, in chain order."""
        parts = [_U32.pack(len(ops))]
        for payload, signature in ops:
            author = _author_of(payload) or ""
            last = self._last.get(author)
            sent = payload
            if last is not None:
                start, end = _prev_value(payload)
                if start >= 0 and payload[start:end] == b'"' + last.hex().encode() + b'"':
                    sent = payload[:start] + _ELIDED + payload[end:]
            parts += [_U32.pack(len(sent)), sent, signature]
            self._last[author] = op_id_for(payload, signature)
        return self._zlib.compress(b"".join(parts)) + self._zlib.flush(zlib.Z_SYNC_FLUSH)


class OpsDecoder:
    """Receiver side of OpsEncoder; refuses bombs, garbage and left-out predecessors it cannot
    put back (the restored payload must still match its signature and its id's hash link)."""

    def __init__(self) -> None:
        self._zlib = zlib.decompressobj()
        self._last: dict[str, bytes] = {}

    def decode(self, data: bytes) -> list[SignedOperation]:
        try:
            raw = self._zlib.decompress(data, MAX_INFLATED_FRAME)
        except zlib.error:
            raise ProtocolError("an operation frame is not a valid compressed stream") from None
        if self._zlib.unconsumed_tail:
            raise ProtocolError("an operation frame inflates beyond the limit")
        ops = []
        for sent, signature in split_batch(raw):
            payload = self._restore(sent)
            try:
                signed = SignedOperation.from_parts(payload, signature)
            except InvalidInput as exc:
                raise ProtocolError(str(exc)) from None
            self._last[signed.op.author] = signed.op_id
            ops.append(signed)
        return ops

    def _restore(self, payload: bytes) -> bytes:
        start, end = _prev_value(payload)
        if start < 0 or payload[start:end] != _ELIDED:
            return payload
        author = _author_of(payload)
        last = self._last.get(author) if author else None
        if last is None:
            raise ProtocolError("an operation leaves out a predecessor never sent")
        return payload[:start] + b'"' + last.hex().encode() + b'"' + payload[end:]


def _author_of(payload: bytes) -> str | None:
    """The author of a canonical payload: "author" is always its first key."""
    if payload.startswith(b'{"author":"') and payload[43:44] == b'"':
        return payload[11:43].decode("ascii", "replace")
    return None
