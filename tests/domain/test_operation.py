import json

import pytest

from missiondesk.domain.errors import InvalidInput
from missiondesk.domain.operation import Operation, SignedOperation, canonical_json, parse_payload

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
