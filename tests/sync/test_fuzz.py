"""The frame and bundle parsers under generated garbage: a clear refusal, never a crash or hang."""

from __future__ import annotations

import asyncio
import contextlib
import struct

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
