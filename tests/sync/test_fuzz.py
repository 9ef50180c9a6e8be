"""The frame and bundle parsers under generated garbage: a clear refusal, never a crash or hang."""

from __future__ import annotations

import asyncio
import contextlib
import struct

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from missiondesk.domain.errors import InvalidInput
from missiondesk.sync.bundle import MAGIC, read_bundle
from missiondesk.sync.wire import (
    OpsDecoder,
    OpsEncoder,
    ProtocolError,
    decode_ops,
    encode_ops,
    read_frame,
)

FUZZ = settings(max_examples=300, deadline=None)


@FUZZ
@given(st.binary(max_size=4096))
def test_op_batches(data):
    with contextlib.suppress(ProtocolError):
        decode_ops(data)


@FUZZ
@given(
    st.lists(st.tuples(st.binary(max_size=300), st.binary(min_size=64, max_size=64)), max_size=5),
    st.integers(0, 400),
    st.binary(max_size=8),
)
def test_op_batches_built_then_damaged(ops, cut, junk):
    data = encode_ops(ops)
    for sample in (data[:cut], data + junk, data[:cut] + junk + data[cut:]):
        with contextlib.suppress(ProtocolError):
            decode_ops(sample)


@FUZZ
@given(st.binary(max_size=2048))
def test_bundles(data):
    for sample in (data, MAGIC + data, MAGIC + struct.pack(">I", len(data)) + data):
        with contextlib.suppress(InvalidInput):
            read_bundle(sample)


async def _frames(data: bytes) -> None:
    reader = asyncio.StreamReader(limit=1 << 16)
    reader.feed_data(data)
    reader.feed_eof()
    for _ in range(50):
        try:
            await read_frame(reader, timeout=1)
        except ProtocolError:
            return


@FUZZ
@given(st.binary(max_size=2048))
def test_frames(data):
    asyncio.run(asyncio.wait_for(_frames(data), 10))


@FUZZ
@given(st.binary(max_size=4096))
def test_compressed_op_frames(data):
    import zlib

    decoder = OpsDecoder()
    for sample in (data, zlib.compress(data), OpsEncoder().encode([(data[:300], bytes(64))])):
        with contextlib.suppress(ProtocolError):
            decoder.decode(sample)


def _chain(n: int):
    """A real author's chain of n ops, as signed ops, as records, and its public key."""
    import base64

    from missiondesk.domain.operation import OpRecord, canonical_json
    from tests.opfactory import Author

    author = Author()
    signed = [author.register(1)]
    for i in range(n - 1):
        entity = f"01a20105-e22d-77a4-863b-{i:012x}" if i % 3 else f"token-{i}"
        signed.append(author.set("message", entity, 10 + i, "create", text=f"report {i}"))
    records = [OpRecord(*s.op[:7], canonical_json(s.op.body), s.signature, s.op_id) for s in signed]
    key = base64.b64decode(signed[0].op.body["fields"]["signing_key"])
    return signed, records, key


_CHAIN = _chain(6)


def test_operations_stream_as_fields_and_come_back_byte_for_byte():
    signed, records, _ = _chain(12)
    encoder, decoder = OpsEncoder(), OpsDecoder()
    frames = [encoder.encode(records[:5]), encoder.encode(records[5:])]
    received = [s for frame in frames for s in decoder.decode(frame)]
    assert received == signed
    # raw pairs (as tests and old callers pass them) travel as fields too, or verbatim
    pairs = [(s.payload, s.signature) for s in signed]
    assert OpsDecoder().decode(OpsEncoder().encode(pairs)) == signed
    odd = [(b'{"not":"an op"}', bytes(64))]
    with contextlib.suppress(ProtocolError):  # sent verbatim, refused by the strict parser
        OpsDecoder().decode(OpsEncoder().encode(odd))
        raise AssertionError("a payload that is no operation was accepted")


@FUZZ
@given(st.integers(0, 4000), st.integers(0, 7), st.binary(max_size=8), st.integers(0, 1))
def test_operation_stream_damaged_anywhere_is_refused(where, bit, junk, frame_no):
    """Damage anywhere: the decoder refuses it, or what it decoded is well-formed and the
    receiver's run check (hash links + the newest signature) refuses it, or it is unchanged."""
    from missiondesk.domain.operation import SignedOperation
    from missiondesk.sync.admission import check_links, check_signature

    signed, records, key = _CHAIN
    encoder = OpsEncoder()
    frames = [encoder.encode(records[:3]), encoder.encode(records[3:])]
    target = bytearray(frames[frame_no])
    index = where % len(target)
    target[index] ^= 1 << bit
    for sample in (bytes(target), frames[frame_no][:index], frames[frame_no] + junk):
        decoder = OpsDecoder()
        try:
            got = [s for f in [*frames[:frame_no], sample] for s in decoder.decode(f)]
        except ProtocolError:
            continue
        for s in got:  # well-formed: each is exactly what the strict parser makes of its bytes
            assert SignedOperation.from_parts(s.payload, s.signature) == s
        if got == signed[: len(got)]:
            continue
        with pytest.raises(ProtocolError):
            for author in {s.op.author for s in got}:
                run = [s for s in got if s.op.author == author]
                check_links(run, None)
                check_signature(run, key)


def test_a_stream_naming_what_was_never_sent_is_refused():
    import zlib as _zlib

    from missiondesk.sync import wire

    def frame(records: bytes, count: int = 1) -> bytes:
        z = _zlib.compressobj()  # a valid stream, flushed and not ended, as a sender makes it
        chunk = z.compress(struct.pack(">I", count) + records) + z.flush(_zlib.Z_SYNC_FLUSH)
        return struct.pack(">I", len(chunk)) + chunk + bytes(64 * count)

    cases = {
        "unknown flag": bytes([wire.LEAN | 64]),
        "author index never sent": bytes([wire.LEAN]) + struct.pack(">H", 0),
        "predecessor never sent": bytes([wire.LEAN | wire.NEW_AUTHOR | wire.CHAIN]) + bytes(16),
        "kind repeated before any": bytes([wire.LEAN | wire.NEW_AUTHOR | wire.SAME_KIND])
        + bytes(16)
        + struct.pack(">Q", 1),
        "truncated raw op": b"\x00" + struct.pack(">I", 500) + b"{}",
    }
    for what, records in cases.items():
        try:
            OpsDecoder().decode(frame(records))
        except ProtocolError:
            continue
        raise AssertionError(what)
    with contextlib.suppress(ProtocolError):  # signatures missing for the count announced
        OpsDecoder().decode(frame(b"", 2)[:-64])
        raise AssertionError("a frame without its signatures was accepted")
