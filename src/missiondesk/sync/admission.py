"""Which received operations a node accepts.

Two kinds of refusal. Input that is forged, tampered or malformed (a broken hash link, a bad
signature, a certificate not signed by the authority) ends the session: the peer is faulty or
hostile. Operations that are authentic but not admissible (from a revoked device, outside its
membership, from another mission, with a clock far ahead) are left out with the reason
recorded, and the session goes on; since an author's operations form a chain, everything after
the first inadmissible one is left out too.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

from missiondesk.crypto.authority import verify_document
from missiondesk.crypto.signing import device_id_for, verify_signature
from missiondesk.domain.operation import SignedOperation, signing_message
from missiondesk.domain.trust import Membership, Revocation
from missiondesk.sync.wire import ProtocolError


class TrustView(Protocol):
    """What admission needs to know about the mission's members."""

    @property
    def mission_id(self) -> str: ...

    @property
    def authority_key(self) -> bytes: ...

    def memberships_of(self, device: str) -> list[Membership]: ...

    def revocation_of(self, device: str) -> Revocation | None: ...

    def is_held(self, device: str) -> bool: ...


@dataclass(frozen=True)
class Verdict:
    accepted: list[SignedOperation]
    refused: int = 0
    reason: str = ""
    hold: str = ""  # set when the author's later operations must wait for review


def _short(device: str) -> str:
    return device[:8]


def signing_key_for(author: str, trust: TrustView) -> bytes | None:
    for membership in trust.memberships_of(author):
        try:
            key = base64.b64decode(membership.signing_key, validate=True)
        except (binascii.Error, ValueError):
            continue
        if device_id_for(key) == author:
            return key
    return None


def check_links(ops: Sequence[SignedOperation], head: tuple[int, bytes] | None) -> None:
    """The run continues the stored chain without a gap and every hash link holds."""
    author = ops[0].op.author
    seq, prev = (head[0], head[1].hex()) if head else (0, None)
    for signed in ops:
        op = signed.op
        if op.author != author:
            raise ProtocolError("a run mixes operations of several devices")
        if op.seq != seq + 1:
            raise ProtocolError(f"device {_short(author)}'s operations jump from {seq} to {op.seq}")
        if op.prev != prev:
            raise ProtocolError(
                f"operation {op.seq} of device {_short(author)} does not link to the one before"
            )
        seq, prev = op.seq, signed.op_id.hex()


def check_signature(ops: Sequence[SignedOperation], key: bytes) -> None:
    """Hash links plus the newest signature authenticate the whole run (see domain/operation)."""
    newest = ops[-1]
    if not verify_signature(key, newest.signature, signing_message(newest.payload)):
        raise ProtocolError(
            f"operation {newest.op.seq} of device {_short(newest.op.author)} has a bad signature"
        )


_TRUST_KINDS = frozenset(
    ("membership.grant", "membership.revoke", "mission.update", "mission.delete", "mission.create")
)


def _check_trust_body(signed: SignedOperation, trust: TrustView) -> None:
    """Trust operations carry documents the authority signed; a forged one is tampering."""
    op = signed.op
    model: type[Membership] | type[Revocation]
    if op.kind == "membership.grant":
        doc_key, model = "certificate", Membership
    elif op.kind == "membership.revoke":
        doc_key, model = "revocation", Revocation
    elif op.kind in ("mission.update", "mission.delete"):
        if not any(m.authority for m in trust.memberships_of(op.author)):
            raise ProtocolError("a device without the authority's certificate changed the mission")
        return
    elif op.kind == "mission.create":
        fields = op.body.get("fields", {})
        key = fields.get("authority_key") if isinstance(fields, dict) else None
        if op.entity != trust.mission_id or key != base64.b64encode(trust.authority_key).decode():
            raise ProtocolError("an operation claims to create this mission with another key")
        return
    else:
        return
    try:
        envelope = op.body[doc_key]
        document = model.model_validate(envelope["document"])
        signature = base64.b64decode(envelope["signature"], validate=True)
    except (KeyError, TypeError, ValueError, binascii.Error):
        raise ProtocolError(f"a {op.kind} operation is malformed") from None
    if document.mission != trust.mission_id or not verify_document(
        trust.authority_key, document, signature
    ):
        raise ProtocolError(f"a {op.kind} operation is not signed by the mission authority")


def _inadmissible(
    signed: SignedOperation,
    mission_id: str,
    memberships: list[Membership],
    revocation: Revocation | None,
) -> str:
    """Why this authentic operation is not accepted, or '' if it is."""
    op = signed.op
    if op.mission not in ("", mission_id):
        return f"device {_short(op.author)} sent an operation of another mission"
    if revocation is not None and (op.hlc >= revocation.revoked_at or op.seq > revocation.last_seq):
        return f"device {_short(op.author)} was revoked"
    for membership in memberships:
        if op.seq <= membership.enrolled_seq or (
            membership.valid_from <= op.hlc <= membership.valid_until
        ):
            return ""
    return f"device {_short(op.author)} had no valid membership when it wrote operation {op.seq}"


def admit(
    ops: Sequence[SignedOperation],
    head: tuple[int, bytes] | None,
    trust: TrustView,
    too_far_ahead: Callable[[int], bool],
) -> Verdict:
    """Check a run of one author that should continue `head`; raise on tampering."""
    if not ops:
        return Verdict([])
    author = ops[0].op.author
    check_links(ops, head)
    key = signing_key_for(author, trust)
    if key is None:
        return Verdict([], len(ops), f"device {_short(author)} is not a member of this mission")
    check_signature(ops, key)
    if trust.is_held(author):
        return Verdict([], len(ops), f"device {_short(author)} is held for review")
    # The author's trust, read once per run (trust operations inside the run take effect when
    # the run is applied, as they always did).
    memberships = trust.memberships_of(author)
    revocation = trust.revocation_of(author)
    ahead = too_far_ahead(max(s.op.hlc for s in ops))  # then find the first one, if any
    for index, signed in enumerate(ops):
        if signed.op.kind in _TRUST_KINDS:
            _check_trust_body(signed, trust)
        if signed.op.kind == "device.register":
            fields = signed.op.body.get("fields", {})
            announced = fields.get("signing_key") if isinstance(fields, dict) else None
            if announced != base64.b64encode(key).decode():
                raise ProtocolError(f"device {_short(author)} registered another key")
        reason = _inadmissible(signed, trust.mission_id, memberships, revocation)
        if reason:
            return Verdict(list(ops[:index]), len(ops) - index, reason)
        if ahead and too_far_ahead(signed.op.hlc):
            return Verdict(
                list(ops[:index]),
                len(ops) - index,
                f"device {_short(author)}'s clock is more than 24 h ahead",
                hold="clock more than 24 h ahead",
            )
    return Verdict(list(ops))
