"""Operations: the one form every change takes, local or from a peer.

An operation is a small JSON object encoded canonically (sorted keys, no spaces, UTF-8). The
author's device signs ``SIGNING_CONTEXT + payload``; the op id is SHA-256 of the payload followed
by the signature, so an operation's ``prev`` (the id of the author's previous operation) pins
that predecessor's signature too, and a contiguous run of one author is authenticated by its hash
links plus the newest signature.

The payload is a function of the fields and the canonical JSON of the body (`assemble`): the
vault stores the fields and the body apart and the wire sends them that way; both rebuild the
very bytes that were signed.
"""

from __future__ import annotations

import re
from typing import Any

from missiondesk.domain.digest import sha256
from missiondesk.domain.errors import InvalidInput
from missiondesk.domain.ids import is_device_id, is_entity_id
from missiondesk.domain.json_codec import canonical_json as canonical_json  # noqa: PLC0414 - re-exported
from missiondesk.domain.json_codec import orjson
from missiondesk.domain.named_tuple import NamedTuple

FORMAT_VERSION = 1
SIGNING_CONTEXT = b"missiondesk/op/v1\x00"
MAX_PAYLOAD_BYTES = 12 * 1024 * 1024
_FIELDS = frozenset({"v", "mission", "author", "seq", "prev", "hlc", "kind", "entity", "body"})
_KIND_RE = re.compile(r"^[a-z][a-z_]{0,31}\.[a-z][a-z_]{0,31}$")
_OP_ID_HEX_RE = re.compile(r"^[0-9a-f]{64}$")
_MAX_INT = (1 << 63) - 1


def assemble(
    mission: str,
    author: str,
    seq: int,
    prev: str | None,
    hlc: int,
    kind: str,
    entity: str,
    body: bytes,
) -> bytes:
    """The canonical payload of an operation whose body is given as canonical JSON bytes.

    Identical to ``canonical_json`` of the whole object (the body is spliced in verbatim,
    exactly where the encoder would have written it), so a payload can be kept or sent as its
    fields plus its body and rebuilt byte for byte.
    """
    codec = orjson()
    payload: bytes = codec.dumps(
        {
            "author": author,
            "body": codec.Fragment(body),
            "entity": entity,
            "hlc": hlc,
            "kind": kind,
            "mission": mission,
            "prev": prev,
            "seq": seq,
            "v": FORMAT_VERSION,
        },
        option=codec.OPT_SORT_KEYS,
    )
    return payload


class Operation(NamedTuple):
    """The unsigned content of an operation (a tuple: immutable, and cheap to build)."""

    mission: str
    author: str
    seq: int
    prev: str | None
    hlc: int
    kind: str
    entity: str
    body: dict[str, Any]

    def payload(self) -> bytes:
        return canonical_json(
            {
                "author": self.author,
                "body": self.body,
                "entity": self.entity,
                "hlc": self.hlc,
                "kind": self.kind,
                "mission": self.mission,
                "prev": self.prev,
                "seq": self.seq,
                "v": FORMAT_VERSION,
            }
        )

    @property
    def record_type(self) -> str:
        return self.kind.split(".", 1)[0]

    @property
    def action(self) -> str:
        return self.kind.split(".", 1)[1]


def signing_message(payload: bytes) -> bytes:
    return SIGNING_CONTEXT + payload


def op_id_for(payload: bytes, signature: bytes) -> bytes:
    return sha256(payload, signature)


class SignedOperation(NamedTuple):
    """An operation as it is stored and exchanged: payload bytes, signature, and id."""

    op: Operation
    payload: bytes
    signature: bytes
    op_id: bytes

    @classmethod
    def from_parts(cls, payload: bytes, signature: bytes) -> SignedOperation:
        """Parse and check the shape of a stored or received operation (not its signature)."""
        if len(signature) != 64:
            raise InvalidInput("operation signature has the wrong length")
        return cls(parse_payload(payload), payload, signature, op_id_for(payload, signature))


def _require(condition: bool, what: str) -> None:
    if not condition:
        raise InvalidInput(f"malformed operation: {what}")


_NOTHING_KNOWN: frozenset[str] = frozenset()
_STRINGS = frozenset(("mission", "author", "prev", "kind", "entity"))


def _check_fields(
    mission: object,
    author: object,
    seq: object,
    prev: object,
    hlc: object,
    kind: object,
    entity: object,
    body: object,
    known: frozenset[str] = _NOTHING_KNOWN,
) -> None:
    """Exact types and bounded values of an operation's fields (shared by every parser).
    `known`: the names of string fields the caller made valid by construction."""
    if "mission" not in known:
        _require(type(mission) is str and len(mission) <= 64, "mission")
    if "author" not in known:
        _require(type(author) is str and is_device_id(author), "author")
    _require(type(seq) is int and 1 <= seq <= _MAX_INT, "sequence number")
    if seq == 1:
        _require(prev is None, "first operation has a predecessor")
    elif "prev" not in known:
        _require(type(prev) is str and bool(_OP_ID_HEX_RE.match(prev)), "predecessor")
    else:
        _require(prev is not None, "predecessor")
    _require(type(hlc) is int and 0 <= hlc <= _MAX_INT, "clock")
    if "kind" not in known:
        _require(type(kind) is str and bool(_KIND_RE.match(kind)), "kind")
    if "entity" not in known:
        _require(type(entity) is str and is_entity_id(entity), "entity id")
    _require(type(body) is dict, "body")


def parse_payload(payload: bytes) -> Operation:
    """Parse payload bytes strictly: exact fields, bounded values, canonical encoding."""
    _require(len(payload) <= MAX_PAYLOAD_BYTES, "too large")
    try:
        data = orjson().loads(payload)
    except (ValueError, RecursionError):
        raise InvalidInput("malformed operation: not canonical JSON") from None
    _require(type(data) is dict and data.keys() == _FIELDS, "unexpected fields")
    _require(data["v"] == FORMAT_VERSION and type(data["v"]) is int, "unknown format version")
    op = Operation(
        data["mission"],
        data["author"],
        data["seq"],
        data["prev"],
        data["hlc"],
        data["kind"],
        data["entity"],
        data["body"],
    )
    _check_fields(*op)
    _require(op.payload() == payload, "not canonical JSON")
    return op


def from_fields(
    mission: str,
    author: str,
    seq: int,
    prev: str | None,
    hlc: int,
    kind: str,
    entity: str,
    body: bytes,
    *,
    known: frozenset[str] = frozenset(),
) -> tuple[Operation, bytes]:
    """An operation given as fields plus the canonical JSON of its body (as the wire sends it),
    checked as strictly as `parse_payload`: the same bounds, and a body that is a JSON object
    re-encoding to exactly these bytes. `known` names fields the caller built in a form that
    is valid by construction (an author or prev from raw bytes), or checked before. Returns
    the operation and its payload."""
    _require(len(body) <= MAX_PAYLOAD_BYTES, "too large")
    try:
        value = orjson().loads(body)
    except (ValueError, RecursionError):
        raise InvalidInput("malformed operation: not canonical JSON") from None
    if len(known) == len(_STRINGS):  # only the numbers and the body are left to check
        _require(type(value) is dict, "body")
        _require(type(seq) is int and 1 <= seq <= _MAX_INT, "sequence number")
        _require((seq == 1) == (prev is None), "predecessor")
        _require(type(hlc) is int and 0 <= hlc <= _MAX_INT, "clock")
    else:
        _check_fields(mission, author, seq, prev, hlc, kind, entity, value, known)
    _require(canonical_json(value) == body, "not canonical JSON")
    payload = assemble(mission, author, seq, prev, hlc, kind, entity, body)
    _require(len(payload) <= MAX_PAYLOAD_BYTES, "too large")
    return Operation(mission, author, seq, prev, hlc, kind, entity, value), payload


def split_payload(
    payload: bytes, author: str, seq: int, prev: str | None, hlc: int, kind: str, entity: str
) -> tuple[str, bytes] | None:
    """(mission, body as canonical JSON) of a stored payload whose other fields are known,
    without parsing it; None unless `assemble` of the result gives back exactly `payload` (then
    the caller parses it). Canonical keys are sorted, so the body starts after the author and
    ends where the known run of entity, hlc and kind begins (the last such run: the mission
    after it is a JSON string, which holds no bare quote); the mission sits before prev."""
    # Quoted as they stand: ids and kinds need no escaping in valid ops; one that would need
    # it fails to match (None), and the assemble check below vouches for the rest.
    head = b'{"author":"%b","body":' % author.encode()
    before_mission = b',"entity":"%b","hlc":%d,"kind":"%b","mission":' % (
        entity.encode(),
        hlc,
        kind.encode(),
    )
    prev_json = b"null" if prev is None else b'"%b"' % prev.encode()
    after_mission = b',"prev":%b,"seq":%d,"v":1}' % (prev_json, seq)
    if not payload.startswith(head) or not payload.endswith(after_mission):
        return None
    end = len(payload) - len(after_mission)
    at = payload.rfind(before_mission, len(head), end)
    if at < 0:
        return None
    quoted = payload[at + len(before_mission) : end]
    if (
        quoted[:1] == b'"'
        and b"\\" not in quoted
        and quoted.count(b'"') == 2
        and quoted[-1:] == b'"'
    ):
        mission: object = quoted[1:-1].decode("utf-8", "replace")
    else:
        try:
            mission = orjson().loads(quoted)
        except ValueError:
            return None
    if type(mission) is not str:
        return None
    body = payload[len(head) : at]
    if assemble(mission, author, seq, prev, hlc, kind, entity, body) != payload:
        return None
    return mission, body


class OpRecord(NamedTuple):
    """A stored operation as columns: its fields, its body as canonical JSON, its signature
    and its id. `payload()` rebuilds the signed bytes; `raw` holds them instead for an op
    that is kept verbatim (one whose bytes the fields could not rebuild)."""

    mission: str
    author: str
    seq: int
    prev: str | None
    hlc: int
    kind: str
    entity: str
    body: bytes
    signature: bytes
    op_id: bytes
    raw: bytes | None = None

    def payload(self) -> bytes:
        if self.raw is not None:
            return self.raw
        return assemble(
            self.mission,
            self.author,
            self.seq,
            self.prev,
            self.hlc,
            self.kind,
            self.entity,
            self.body,
        )
