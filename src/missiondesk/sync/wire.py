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
from dataclasses import dataclass
from enum import IntEnum
from typing import Any

from missiondesk.domain.errors import InvalidInput
from missiondesk.domain.operation import MAX_PAYLOAD_BYTES, SignedOperation

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
    """The next frame; refuses oversized frames and unknown types, times out on silent peers."""
    try:
        header = await asyncio.wait_for(reader.readexactly(_HEADER.size), timeout)
        length, kind = _HEADER.unpack(header)
        if length < 1 or length > MAX_FRAME:
            raise ProtocolError(f"the peer sent a frame of {length} bytes (limit {MAX_FRAME})")
        try:
            frame_type = FrameType(kind)
        except ValueError:
            raise ProtocolError(f"the peer sent an unknown frame type {kind}") from None
        payload = await asyncio.wait_for(reader.readexactly(length - 1), timeout)
    except TimeoutError:
        raise PeerTimeout(f"the peer sent nothing for {timeout:.0f} s") from None
    except asyncio.IncompleteReadError:
        raise ProtocolError("the peer closed the connection in the middle of a frame") from None
    return Frame(frame_type, payload)


def encode_ops(ops: list[tuple[bytes, bytes]]) -> bytes:
    parts = [_U32.pack(len(ops))]
    for payload, signature in ops:
        parts.append(_U32.pack(len(payload)))
        parts.append(payload)
        parts.append(signature)
    return b"".join(parts)


def decode_ops(data: bytes) -> list[SignedOperation]:
    """Parse a batch strictly; every op is checked for shape (not yet for its signature)."""
    view = memoryview(data)
    if len(view) < 4:
        raise ProtocolError("an operation batch is truncated")
    (count,) = _U32.unpack_from(view, 0)
    if count > MAX_BATCH_OPS:
        raise ProtocolError(f"an operation batch claims {count} operations")
    offset, ops = 4, []
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
        try:
            ops.append(SignedOperation.from_parts(payload, signature))
        except InvalidInput as exc:
            raise ProtocolError(str(exc)) from None
    if offset != len(view):
        raise ProtocolError("an operation batch has trailing bytes")
    return ops
