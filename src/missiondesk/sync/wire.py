"""Frames on the wire and the binary form of operation batches.

A frame is ``u32 length | u8 type | payload`` (big-endian; the length counts the type byte).
Frames larger than MAX_FRAME are refused before a byte of them is buffered. A batch of
operations is ``u32 count`` then, per operation, ``u32 payload length | payload | 64-byte
signature``; bundles carry it. Sync sessions stream operations in a leaner compressed form
(`OpsEncoder`, below).
"""

from __future__ import annotations

import asyncio
import json
import struct
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from enum import IntEnum
from typing import Any

from missiondesk.domain.errors import InvalidInput
from missiondesk.domain.operation import (
    MAX_PAYLOAD_BYTES,
    OpRecord,
    SignedOperation,
    canonical_json,
    from_fields,
    op_id_for,
    parse_payload,
)

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
        except (ValueError, UnicodeDecodeError, RecursionError):  # nested without end
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
#
# An OPS frame is ``u32 n | n bytes of one per-session zlib stream, flushed | 64-byte signatures``
# (the signatures are random bytes: outside the compressor they cost exactly 64 bytes and do not
# spoil its statistics for the rest). Inflated, the chunk is ``u32 count`` then one record per
# operation, in the order of the signatures:
#
#   u8 tag = 0: ``u32 length | payload`` exactly as stored (any op the fields below cannot
#               rebuild byte for byte; the receiver parses it strictly)
#   u8 tag = LEAN | flags: the payload's fields, from which the receiver rebuilds the canonical
#               payload (`domain.operation.assemble`) and checks it as strictly as a parsed one:
#     author     NEW_AUTHOR: 16 bytes (the device id), else u16 index of an author named before
#     seq, prev  CHAIN: the op after the author's last op in this stream (prev = that op's id, as
#                the receiver computed it); else u64 seq, then 32 bytes prev unless seq is 1
#     kind       SAME_KIND: as the record before, else u8 length | ASCII
#     mission    SAME_MISSION: as the record before, else u16 length | UTF-8
#     entity     UUID: 16 bytes of a canonical UUID, else u8 length | ASCII
#     hlc        varint: zigzag of the difference from the hlc of the record before (0 before
#                the first)
#     body       varint length | canonical JSON
#
# (varint: 7 bits a byte, low first, at most 10 bytes; zigzag maps 0, -1, 1, -2 .. to 0, 1, 2, 3)
#
# The receiver hashes and verifies the bytes it rebuilt, so a record that rebuilds to anything
# but what its author signed fails the hash links or the signature like any tampering.

MAX_INFLATED_FRAME = 64 * 1024 * 1024
LEAN, CHAIN, SAME_KIND, SAME_MISSION, UUID, NEW_AUTHOR = 1, 2, 4, 8, 16, 32
_KNOWN_FLAGS = LEAN | CHAIN | SAME_KIND | SAME_MISSION | UUID | NEW_AUTHOR
_U8 = struct.Struct(">B")
_U16 = struct.Struct(">H")
_U64 = struct.Struct(">Q")
# Fields valid by construction in a lean record, by its repeat flags (author and prev come from
# raw bytes; a repeated kind or mission was checked when it was first sent).
_KNOWN = {
    flags: frozenset(
        ["author", "prev"]
        + (["kind"] if flags & SAME_KIND else [])
        + (["mission"] if flags & SAME_MISSION else [])
        + (["entity"] if flags & UUID else [])
    )
    for flags in range(SAME_KIND | SAME_MISSION | UUID | 3)
    if not flags & ~(SAME_KIND | SAME_MISSION | UUID)
}

_NEXT = LEAN | CHAIN | SAME_KIND | SAME_MISSION | UUID  # most records of a session
_ALL_KNOWN = _KNOWN[SAME_KIND | SAME_MISSION | UUID]

WireOp = OpRecord | tuple[bytes, bytes]  # what a sender streams: stored records, or raw pairs


def _uuid_bytes(entity: str) -> bytes | None:
    """The 16 bytes of a lowercase canonical UUID (which they render back to), else None."""
    if len(entity) != 36 or not entity[8] == entity[13] == entity[18] == entity[23] == "-":
        return None
    digits = entity.replace("-", "")
    try:
        raw = bytes.fromhex(digits)
    except ValueError:
        return None
    return raw if len(raw) == 16 and raw.hex() == digits else None


def _uuid_text(raw: bytes) -> str:
    h = raw.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def _as_record(pair: tuple[bytes, bytes]) -> OpRecord | None:
    """The record of a raw (payload, signature) pair, if its payload parses."""
    payload, signature = pair
    try:
        op = parse_payload(payload)
    except InvalidInput:
        return None
    return OpRecord(
        op.mission,
        op.author,
        op.seq,
        op.prev,
        op.hlc,
        op.kind,
        op.entity,
        canonical_json(op.body),
        signature,
        op_id_for(payload, signature),
    )


class OpsEncoder:
    """Sender side of a session: one zlib stream for all OPS frames, flushed at each frame so
    every frame can be read on arrival; operations as their fields (see above)."""

    def __init__(self, level: int = 6) -> None:
        # Level 9 makes op streams only ~1.5 % smaller and costs the sender twice the time.
        self._zlib = zlib.compressobj(level, zlib.DEFLATED, 15, 9)
        self._authors: dict[str, int] = {}
        self._last: dict[str, tuple[int, bytes]] = {}  # author -> (seq, id) sent last
        self._kind = self._mission = ""
        self._hlc = 0
        self._started = False

    def encode(self, ops: Sequence[WireOp]) -> bytes:
        """One frame's payload for the given ops (stored records, or (payload, signature)
        pairs, which go as fields too when they parse), in chain order per author."""
        parts = [_U32.pack(len(ops))]
        signatures = []
        for item in ops:
            record = item if isinstance(item, OpRecord) else _as_record(item)
            signature = item.signature if isinstance(item, OpRecord) else item[1]
            if len(signature) != SIGNATURE_BYTES:
                raise ValueError("an operation's signature has the wrong length")
            signatures.append(signature)
            if record is not None and record.raw is None and self._lean(record, parts):
                continue
            payload = item.payload() if isinstance(item, OpRecord) else item[0]
            parts += [b"\x00", _U32.pack(len(payload)), payload]
            if record is not None and record.raw is None:  # the receiver takes it as its
                # author's last op too (a raw record that does not parse ends the session)
                self._last[record.author] = (record.seq, op_id_for(payload, signature))
        chunk = self._zlib.compress(b"".join(parts)) + self._zlib.flush(zlib.Z_SYNC_FLUSH)
        return b"".join((_U32.pack(len(chunk)), chunk, *signatures))

    def _lean(self, r: OpRecord, parts: list[bytes]) -> bool:
        """Append the fields of `r` as a lean record; False (nothing appended) if it has none."""
        index = self._authors.get(r.author)
        if index is None:
            author_raw = _hex_bytes(r.author, 16)
            if author_raw is None or len(self._authors) >= 65535:
                return False
            tag, fields = LEAN | NEW_AUTHOR, [author_raw]
        else:
            tag, fields = LEAN, [_U16.pack(index)]
        place = self._place(r, fields)
        names = self._names(r, fields) if place is not None else None
        if place is None or names is None:
            return False
        delta = r.hlc - self._hlc
        fields += [_varint((delta << 1) ^ (delta >> 63)), _varint(len(r.body)), r.body]
        if index is None:
            self._authors[r.author] = len(self._authors)
        self._last[r.author] = (r.seq, r.op_id)
        self._kind, self._mission, self._hlc, self._started = r.kind, r.mission, r.hlc, True
        parts.append(_U8.pack(tag | place | names))
        parts += fields
        return True

    def _place(self, r: OpRecord, fields: list[bytes]) -> int | None:
        """The CHAIN flag, or the sequence number and predecessor appended; None: unsendable."""
        last = self._last.get(r.author)
        if last is not None and r.seq == last[0] + 1 and r.prev == last[1].hex():
            return CHAIN
        if r.seq == 1 and r.prev is None:
            fields.append(_U64.pack(1))
            return 0
        prev_raw = _hex_bytes(r.prev, 32) if r.prev is not None else None
        if prev_raw is None or r.seq < 1:
            return None
        fields += [_U64.pack(r.seq), prev_raw]
        return 0

    def _names(self, r: OpRecord, fields: list[bytes]) -> int | None:
        """Flags for kind, mission and entity, with what is not repeated appended."""
        flags = 0
        if self._started and r.kind == self._kind:
            flags |= SAME_KIND
        else:
            kind = r.kind.encode()
            if len(kind) > 255:
                return None
            fields += [_U8.pack(len(kind)), kind]
        if self._started and r.mission == self._mission:
            flags |= SAME_MISSION
        else:
            mission = r.mission.encode()
            if len(mission) > 65535:
                return None
            fields += [_U16.pack(len(mission)), mission]
        entity_raw = _uuid_bytes(r.entity)
        if entity_raw is not None:
            fields.append(entity_raw)
            return flags | UUID
        entity = r.entity.encode()
        if len(entity) > 255:
            return None
        fields += [_U8.pack(len(entity)), entity]
        return flags


def _varint(value: int) -> bytes:
    if value < 0x80:
        return _U8.pack(value)
    out = bytearray()
    while value >= 0x80:
        out.append((value & 0x7F) | 0x80)
        value >>= 7
    out.append(value)
    return bytes(out)


def _read_varint(view: bytes, offset: int) -> tuple[int, int]:
    byte = view[offset]
    if byte < 0x80:
        return byte, offset + 1
    value, shift = byte & 0x7F, 7
    while True:
        offset += 1
        byte = view[offset]
        value |= (byte & 0x7F) << shift
        if byte < 0x80:
            return value, offset + 1
        shift += 7
        if shift > 63:
            raise ProtocolError("an operation record holds an overlong number")


def _hex_bytes(text: str, size: int) -> bytes | None:
    """`size` bytes written as lowercase hex digits (which they render back to), else None."""
    if len(text) != 2 * size:
        return None
    try:
        raw = bytes.fromhex(text)
    except ValueError:
        return None
    return raw if raw.hex() == text else None


class OpsDecoder:
    """Receiver side of OpsEncoder: refuses bombs, garbage, truncation, unknown flags, and
    records that name what was never sent; every op is rebuilt and checked as strictly as a
    parsed payload (`domain.operation`)."""

    def __init__(self) -> None:
        self._zlib = zlib.decompressobj()
        self._authors: list[str] = []
        self._named: set[str] = set()
        self._last: dict[str, tuple[int, bytes]] = {}
        self._kind = self._mission = ""
        self._hlc = 0
        self._started = False

    def decode(self, data: bytes) -> list[SignedOperation]:
        view = memoryview(data)
        if len(view) < 4:
            raise ProtocolError("an operation frame is truncated")
        (size,) = _U32.unpack_from(view, 0)
        if 4 + size > len(view):
            raise ProtocolError("an operation frame is truncated")
        try:
            raw = self._zlib.decompress(view[4 : 4 + size], MAX_INFLATED_FRAME)
        except zlib.error:
            raise ProtocolError("an operation frame is not a valid compressed stream") from None
        if self._zlib.unconsumed_tail:
            raise ProtocolError("an operation frame inflates beyond the limit")
        if self._zlib.eof:
            raise ProtocolError("an operation frame ends the compressed stream")
        signatures = view[4 + size :]
        try:
            return self._records(raw, signatures)
        except InvalidInput as exc:
            raise ProtocolError(str(exc)) from None
        except (struct.error, IndexError, ValueError):
            raise ProtocolError("an operation record is truncated or malformed") from None

    def _records(self, raw: bytes, signatures: memoryview) -> list[SignedOperation]:
        view = raw  # bytes: slices are copies already (no memoryview round trip)
        if len(view) < 4:
            raise ProtocolError("an operation batch is truncated")
        (count,) = _U32.unpack_from(view, 0)
        if count > MAX_BATCH_OPS or len(signatures) != count * SIGNATURE_BYTES:
            raise ProtocolError("an operation frame's signatures do not match its operations")
        offset, ops = 4, []
        sigs = bytes(signatures)
        for i in range(count):
            signature = sigs[i * SIGNATURE_BYTES : (i + 1) * SIGNATURE_BYTES]
            tag = view[offset]
            offset += 1
            if tag == _NEXT:  # the common record, inlined: the next op of a known author
                signed, offset = self._next(view, offset, signature)
            elif tag == 0:
                (length,) = _U32.unpack_from(view, offset)
                offset += 4
                if length > MAX_PAYLOAD_BYTES or offset + length > len(view):
                    raise ProtocolError("an operation in a batch is truncated or oversized")
                payload = view[offset : offset + length]
                offset += length
                signed = SignedOperation.from_parts(payload, signature)
            else:
                signed, offset = self._lean(tag, view, offset, signature)
            op = signed.op
            self._last[op.author] = (op.seq, signed.op_id)
            ops.append(signed)
        if offset != len(view):
            raise ProtocolError("an operation batch has trailing bytes")
        return ops

    def _next(self, view: bytes, offset: int, signature: bytes) -> tuple[SignedOperation, int]:
        """A record tagged _NEXT: what `_lean` does, without the branches it needs not take."""
        (index,) = _U16.unpack_from(view, offset)
        if index >= len(self._authors) or not self._started:
            raise ProtocolError("an operation record names what was never sent")
        author = self._authors[index]
        last = self._last.get(author)
        if last is None:
            raise ProtocolError("an operation leaves out a predecessor never sent")
        raw = view[offset + 2 : offset + 18]
        if len(raw) != 16:
            raise ProtocolError("an operation record is truncated")
        zigzag, offset = _read_varint(view, offset + 18)
        length, offset = _read_varint(view, offset)
        if offset + length > len(view):
            raise ProtocolError("an operation record is truncated")
        body = view[offset : offset + length]
        hlc = self._hlc + ((zigzag >> 1) ^ -(zigzag & 1))
        op, payload = from_fields(
            self._mission,
            author,
            last[0] + 1,
            last[1].hex(),
            hlc,
            self._kind,
            _uuid_text(raw),
            body,
            known=_ALL_KNOWN,
        )
        self._hlc = hlc
        return SignedOperation(op, payload, signature, op_id_for(payload, signature)), (
            offset + length
        )

    def _lean(
        self, tag: int, view: bytes, offset: int, signature: bytes
    ) -> tuple[SignedOperation, int]:
        if not tag & LEAN or tag & ~_KNOWN_FLAGS:
            raise ProtocolError(f"an operation record has an unknown form ({tag})")
        author, offset = self._author(tag, view, offset)
        seq, prev, offset = self._place(tag, author, view, offset)
        kind, mission, entity, offset = self._names(tag, view, offset)
        zigzag, offset = _read_varint(view, offset)
        length, offset = _read_varint(view, offset)
        delta = (zigzag >> 1) ^ -(zigzag & 1)
        if offset + length > len(view):
            raise ProtocolError("an operation record is truncated")
        body = view[offset : offset + length]
        hlc = self._hlc + delta
        known = _KNOWN[tag & (SAME_KIND | SAME_MISSION | UUID)]
        op, payload = from_fields(mission, author, seq, prev, hlc, kind, entity, body, known=known)
        if tag & NEW_AUTHOR:
            self._authors.append(author)
            self._named.add(author)
        self._kind, self._mission, self._hlc, self._started = kind, mission, hlc, True
        signed = SignedOperation(op, payload, signature, op_id_for(payload, signature))
        return signed, offset + length

    def _author(self, tag: int, view: bytes, offset: int) -> tuple[str, int]:
        if tag & NEW_AUTHOR:
            author = view[offset : offset + 16].hex()
            if len(author) != 32 or author in self._named:
                raise ProtocolError("an operation record names an author twice or is truncated")
            return author, offset + 16
        (index,) = _U16.unpack_from(view, offset)
        if index >= len(self._authors):
            raise ProtocolError("an operation record names an author never sent")
        return self._authors[index], offset + 2

    def _place(
        self, tag: int, author: str, view: bytes, offset: int
    ) -> tuple[int, str | None, int]:
        """Sequence number and predecessor: after the author's last op, or as sent."""
        if tag & CHAIN:
            last = self._last.get(author)
            if last is None:
                raise ProtocolError("an operation leaves out a predecessor never sent")
            return last[0] + 1, last[1].hex(), offset
        (seq,) = _U64.unpack_from(view, offset)
        offset += 8
        if seq <= 1:
            return seq, None, offset
        prev = view[offset : offset + 32].hex()
        if len(prev) != 64:
            raise ProtocolError("an operation record is truncated")
        return seq, prev, offset + 32

    def _names(self, tag: int, view: bytes, offset: int) -> tuple[str, str, str, int]:
        """Kind, mission and entity: repeated, or as sent."""
        if tag & (SAME_KIND | SAME_MISSION) and not self._started:
            raise ProtocolError("an operation record repeats a name never sent")
        if tag & SAME_KIND:
            kind = self._kind
        else:
            length = view[offset]
            kind = view[offset + 1 : offset + 1 + length].decode("ascii")
            offset += 1 + length
        if tag & SAME_MISSION:
            mission = self._mission
        else:
            (length,) = _U16.unpack_from(view, offset)
            mission = view[offset + 2 : offset + 2 + length].decode("utf-8")
            offset += 2 + length
        if tag & UUID:
            raw = view[offset : offset + 16]
            if len(raw) != 16:
                raise ProtocolError("an operation record is truncated")
            return kind, mission, _uuid_text(raw), offset + 16
        length = view[offset]
        entity = view[offset + 1 : offset + 1 + length].decode("ascii")
        return kind, mission, entity, offset + 1 + length
