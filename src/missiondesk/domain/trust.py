"""Who belongs to a mission: membership certificates and revocations signed by its authority.

Both are small canonical-JSON documents signed with the mission authority's Ed25519 key. They are
self-authenticating: wherever one comes from (an enrollment file, a sync session, a bundle), its
signature against the mission's authority key decides whether it counts.
"""

from __future__ import annotations

import base64
import hashlib
from enum import StrEnum
from typing import Any, Literal, Protocol

from pydantic import BaseModel, ConfigDict, Field

from missiondesk.domain.markings import Sensitivity
from missiondesk.domain.operation import canonical_json
from missiondesk.domain.records.people import Role

CERT_CONTEXT = b"missiondesk/membership/v1\x00"
REVOCATION_CONTEXT = b"missiondesk/revocation/v1\x00"
MISSION_ID_CONTEXT = b"missiondesk/mission/v1\x00"
JOIN_CONTEXT = b"missiondesk/join/v1\x00"


def mission_id_for(authority_public_key: bytes) -> str:
    """A mission's id: 16 bytes of SHA-256 over its authority's public key, in hex."""
    return hashlib.sha256(MISSION_ID_CONTEXT + authority_public_key).digest()[:16].hex()


def short_code(
    *, device: str, signing_key: str, exchange_key: str, tls_key: str, name: str, callsign: str
) -> str:
    """Eight digits two people compare aloud. Both the join request and the certificate that
    answers it give the same code, so a file altered on its way shows a different one."""
    data = canonical_json(
        {
            "device": device,
            "signing_key": signing_key,
            "exchange_key": exchange_key,
            "tls_key": tls_key,
            "name": name,
            "callsign": callsign,
        }
    )
    number = int.from_bytes(hashlib.sha256(b"missiondesk/code\x00" + data).digest()[:8], "big")
    digits = f"{number % 10**8:08d}"
    return f"{digits[:4]}-{digits[4:]}"


class _Enrolled(Protocol):
    @property
    def device(self) -> str: ...
    @property
    def signing_key(self) -> str: ...
    @property
    def exchange_key(self) -> str: ...
    @property
    def tls_key(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def callsign(self) -> str: ...


def code_of(document: _Enrolled) -> str:
    """The code of a join request and of the certificate that answers it: the same."""
    return short_code(
        device=document.device,
        signing_key=document.signing_key,
        exchange_key=document.exchange_key,
        tls_key=document.tls_key,
        name=document.name,
        callsign=document.callsign,
    )


class MemberStatus(StrEnum):
    ACTIVE = "active"
    EXPIRED = "expired"
    REVOKED = "revoked"
    HELD = "held"  # a cloned-laptop signature or a far-future clock: ops held for review


class Membership(BaseModel):
    """What the authority vouches for: this device key belongs to this person, in this role."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    type: Literal["membership"] = "membership"
    v: Literal[1] = 1
    mission: str = Field(pattern=r"^[0-9a-f]{32}$")
    mission_name: str = Field(min_length=1, max_length=120)
    serial: str = Field(min_length=1, max_length=64)
    device: str = Field(pattern=r"^[0-9a-f]{32}$")
    signing_key: str = Field(min_length=43, max_length=44)
    exchange_key: str = Field(min_length=43, max_length=44)
    tls_key: str = Field(min_length=43, max_length=44)  # the key its session certificate binds
    tls_serial: int = Field(ge=1, lt=2**63)  # serial of that X.509 certificate (for the CRL)
    name: str = Field(min_length=1, max_length=120)
    callsign: str = Field(default="", max_length=40)
    role: Role = Role.OFFICER
    clearance: Sensitivity = Sensitivity.CONFIDENTIAL
    authority: bool = False  # this device may issue certificates (holds the authority key)
    valid_from: int = Field(ge=0)  # hybrid-clock time
    valid_until: int = Field(ge=0)
    enrolled_seq: int = Field(ge=0)  # the device's ops up to here predate enrollment and count
    issued_at: int = Field(ge=0)

    def signed_bytes(self) -> bytes:
        return CERT_CONTEXT + canonical_json(self.model_dump(mode="json"))

    @property
    def code(self) -> str:
        return code_of(self)


class Revocation(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    type: Literal["revocation"] = "revocation"
    v: Literal[1] = 1
    mission: str = Field(pattern=r"^[0-9a-f]{32}$")
    device: str = Field(pattern=r"^[0-9a-f]{32}$")
    revoked_at: int = Field(ge=0)  # ops of the device stamped after this are refused
    last_seq: int = Field(
        ge=0
    )  # and so are its ops after this one (a backdated clock is no way in)
    tls_serial: int = Field(ge=0)  # for the certificate revocation list
    reason: str = Field(default="", max_length=300)

    def signed_bytes(self) -> bytes:
        return REVOCATION_CONTEXT + canonical_json(self.model_dump(mode="json"))


class JoinRequest(BaseModel):
    """What a device asks to be enrolled with; signed by the device's own key."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    type: Literal["join_request"] = "join_request"
    v: Literal[1] = 1
    device: str = Field(pattern=r"^[0-9a-f]{32}$")
    signing_key: str = Field(min_length=43, max_length=44)
    exchange_key: str = Field(min_length=43, max_length=44)
    tls_key: str = Field(min_length=43, max_length=44)
    name: str = Field(min_length=1, max_length=120)
    callsign: str = Field(default="", max_length=40)
    head_seq: int = Field(ge=0)
    created: int = Field(ge=0)  # the device's hybrid-clock time

    def signed_bytes(self) -> bytes:
        return JOIN_CONTEXT + canonical_json(self.model_dump(mode="json"))

    @property
    def code(self) -> str:
        return code_of(self)


def envelope(document: Membership | Revocation | JoinRequest, signature: bytes) -> dict[str, Any]:
    return {
        "document": document.model_dump(mode="json"),
        "signature": base64.b64encode(signature).decode("ascii"),
    }
