import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from missiondesk.domain.errors import InvalidInput
from missiondesk.domain.operation import (
    Operation,
    SignedOperation,
    assemble,
    canonical_json,
    from_fields,
    parse_payload,
    split_payload,
)

AUTHOR = "a" * 32


def make(**over: object) -> Operation:
    fields: dict = dict(
        mission="",
        author=AUTHOR,
        seq=2,
        prev="b" * 64,
        hlc=123,
        kind="message.create",
        entity="01a20105-e22d-77a4-863b-bbcf5007b007",
        body={"fields": {"text": "hé"}},
    )
    fields.update(over)
    return Operation(**fields)


def test_payload_is_canonical_and_round_trips():
    op = make()
    payload = op.payload()
    assert payload == canonical_json(json.loads(payload))
    assert b" " not in payload.replace(b"h\xc3\xa9", b"")
    assert parse_payload(payload) == op


def test_id_covers_payload_and_signature():
    payload = make().payload()
    a = SignedOperation.from_parts(payload, b"\x01" * 64)
    b = SignedOperation.from_parts(payload, b"\x02" * 64)
    assert a.op_id != b.op_id
    assert len(a.op_id) == 32


@pytest.mark.parametrize(
    "mutate",
    [
        lambda d: d.pop("kind"),
        lambda d: d.update(extra=1),
        lambda d: d.update(v=2),
        lambda d: d.update(seq=0),
        lambda d: d.update(seq="2"),
        lambda d: d.update(seq=True),
        lambda d: d.update(prev=None),
        lambda d: d.update(author="not-hex"),
        lambda d: d.update(kind="DROP TABLE"),
        lambda d: d.update(entity=""),
        lambda d: d.update(body=[]),
        lambda d: d.update(hlc=-1),
    ],
)
def test_malformed_payloads_are_refused(mutate):
    data = json.loads(make().payload())
    mutate(data)
    with pytest.raises(InvalidInput):
        parse_payload(canonical_json(data))


def test_non_canonical_encoding_is_refused():
    data = json.loads(make().payload())
    spaced = json.dumps(data, sort_keys=True).encode()
    with pytest.raises(InvalidInput, match="canonical"):
        parse_payload(spaced)


def test_first_operation_has_no_predecessor():
    with pytest.raises(InvalidInput):
        parse_payload(make(seq=1).payload())
    assert parse_payload(make(seq=1, prev=None).payload()).seq == 1


@pytest.mark.parametrize("garbage", [b"", b"\xff\xfe", b"[1,2]", b"{", b"null", b"[" * 100_000])
def test_garbage_is_refused_cleanly(garbage):
    with pytest.raises(InvalidInput):
        parse_payload(garbage)


JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**63), 2**63 - 1) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=12,
)


@settings(max_examples=200, deadline=None)
@given(
    st.dictionaries(st.text(max_size=8), JSON, max_size=5),
    st.text(max_size=64),
    st.integers(1, 2**63 - 1),
    st.integers(0, 2**63 - 1),
)
def test_assemble_rebuilds_the_canonical_payload_byte_for_byte(body, mission, seq, hlc):
    op = make(body=body, mission=mission, seq=seq, hlc=hlc, prev=None if seq == 1 else "c" * 64)
    fields = (op.mission, op.author, op.seq, op.prev, op.hlc, op.kind, op.entity)
    assert assemble(*fields, canonical_json(body)) == op.payload()
    rebuilt, payload = from_fields(*fields, canonical_json(body))
    assert rebuilt == op and payload == op.payload() and parse_payload(payload) == op
    known = (op.author, op.seq, op.prev, op.hlc, op.kind, op.entity)
    assert split_payload(payload, *known) == (mission, canonical_json(body))
    other = (op.author, op.seq, op.prev, op.hlc + 1, op.kind, op.entity)
    assert split_payload(payload, *other) is None  # fields that are not the payload's


def test_fields_are_checked_as_strictly_as_a_parsed_payload():
    op = make()
    fields = dict(zip(Operation._fields[:7], op[:7], strict=True))
    body = canonical_json(op.body)
    assert from_fields(**fields, body=body)[0] == op
    refused = {
        "a body that is not canonical": {"body": b'{"fields": {"text":"h\xc3\xa9"}}'},
        "keys out of order": {"body": b'{"z":1,"a":2}'},
        "a body that is not an object": {"body": b"[1]"},
        "garbage": {"body": b"\xff"},
        "a bad author": {"author": "A" * 32},
        "a bad predecessor": {"prev": "x" * 64},
        "a missing predecessor": {"prev": None},
        "a first op with a predecessor": {"seq": 1},
        "a bad kind": {"kind": "Message.create"},
        "a bad entity": {"entity": "no spaces allowed"},
        "a long mission": {"mission": "m" * 65},
        "a clock out of range": {"hlc": -1},
        "a sequence number out of range": {"seq": 0},
    }
    for what, change in refused.items():
        args = {**fields, "body": body, **change}
        with pytest.raises(InvalidInput):
            from_fields(**args)
            pytest.fail(what)
