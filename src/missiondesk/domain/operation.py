"""Operations: the one form every change takes, local or from a peer.

An operation is a small JSON object encoded canonically (sorted keys, no spaces, UTF-8). The
author's device signs ``SIGNING_CONTEXT + payload``; the op id is SHA-256 of the payload followed
by the signature, so an operation's ``prev`` (the id of the author's previous operation) pins
that predecessor's signature too, and a contiguous run of one author is authenticated by its hash
links plus the newest signature.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any, NamedTuple

import orjson

from missiondesk.domain.errors import InvalidInput
from missiondesk.domain.ids import is_device_id, is_entity_id

FORMAT_VERSION = 1
SIGNING_CONTEXT = b"missiondesk/op/v1\x00"
MAX_PAYLOAD_BYTES = 12 * 1024 * 1024
_FIELDS = frozenset({"v", "mission", "author", "seq", "prev", "hlc", "kind", "entity", "body"})
_KIND_RE = re.compile(r"^[a-z][a-z_]{0,31}\.[a-z][a-z_]{0,31}$")
_OP_ID_HEX_RE = re.compile(r"^[0-9a-f]{64}$")
_MAX_INT = (1 << 63) - 1


def canonical_json(value: Any) -> bytes:
    """The canonical encoding shared by operations, bundles and the audit log: compact JSON,
    keys sorted, UTF-8, no NaN or infinity (orjson; its output is the definition)."""
    return orjson.dumps(value, option=orjson.OPT_SORT_KEYS)


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
                "v": FORMAT_VERSION,
                "mission": self.mission,
                "author": self.author,
                "seq": self.seq,
                "prev": self.prev,
                "hlc": self.hlc,
                "kind": self.kind,
                "entity": self.entity,
                "body": self.body,
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
    digest = hashlib.sha256(payload)
    digest.update(signature)
    return digest.digest()


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


def parse_payload(payload: bytes) -> Operation:
    """Parse payload bytes strictly: exact fields, bounded values, canonical encoding."""
    _require(len(payload) <= MAX_PAYLOAD_BYTES, "too large")
    try:
        data = orjson.loads(payload)
    except (ValueError, RecursionError):
        raise InvalidInput("malformed operation: not canonical JSON") from None
    _require(isinstance(data, dict) and set(data) == _FIELDS, "unexpected fields")
    _require(data["v"] == FORMAT_VERSION, "unknown format version")
    mission, author, seq, prev = data["mission"], data["author"], data["seq"], data["prev"]
    hlc, kind, entity, body = data["hlc"], data["kind"], data["entity"], data["body"]
    _require(isinstance(mission, str) and len(mission) <= 64, "mission")
    _require(isinstance(author, str) and is_device_id(author), "author")
    _require(type(seq) is int and 1 <= seq <= _MAX_INT, "sequence number")
    if seq == 1:
        _require(prev is None, "first operation has a predecessor")
    else:
        _require(isinstance(prev, str) and bool(_OP_ID_HEX_RE.match(prev)), "predecessor")
    _require(type(hlc) is int and 0 <= hlc <= _MAX_INT, "clock")
    _require(isinstance(kind, str) and bool(_KIND_RE.match(kind)), "kind")
    _require(isinstance(entity, str) and is_entity_id(entity), "entity id")
    _require(isinstance(body, dict), "body")
    op = Operation(mission, author, seq, prev, hlc, kind, entity, body)
    _require(op.payload() == payload, "not canonical JSON")
    return op
