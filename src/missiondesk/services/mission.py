"""Missions and membership: create a mission, enroll devices by file, list and revoke members."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from missiondesk.crypto.authority import (
    MissionAuthority,
    b64,
    ca_public_key,
    certificate_public_key,
    certificate_signed_by,
    crl_signed_by,
    unb64,
    verify_document,
)
from missiondesk.crypto.signing import DeviceKeys, SessionKey, device_id_for, verify_signature
from missiondesk.domain.errors import AccessDenied, InvalidInput
from missiondesk.domain.hlc import HybridClock, pack, to_datetime, unpack
from missiondesk.domain.ids import fingerprint, uuid7
from missiondesk.domain.markings import Sensitivity
from missiondesk.domain.records.mission import Mission
from missiondesk.domain.records.people import Person, Role
from missiondesk.domain.trust import (
    JoinRequest,
    Membership,
    MemberStatus,
    Revocation,
    envelope,
    mission_id_for,
)
from missiondesk.services.audit import AuditEvent, AuditService
from missiondesk.services.records import RecordService
from missiondesk.services.writer import OperationWriter
from missiondesk.store.connection import Connection
from missiondesk.store.vault import Vault, write_meta

if TYPE_CHECKING:  # the package model is loaded when a package is read, not at unlock
    from missiondesk.domain.mission_package import PackageMission

AUTHORITY_SECRET = "mission_authority"  # noqa: S105 - names of rows, not secrets
TLS_SECRET = "tls_key"  # noqa: S105
DAY_MS = 24 * 3600 * 1000
PACKAGE_MISSION = "package_mission"
PACKAGE_SEQ = "package_seq"


@dataclass(frozen=True)
class MissionInfo:
    id: str
    name: str
    authority_key: bytes
    ca_certificate: bytes
    discovery: bool


@dataclass(frozen=True)
class MemberView:
    membership: Membership
    status: MemberStatus
    detail: str

    def as_json(self) -> dict[str, Any]:
        m = self.membership
        return {
            "device": m.device,
            "fingerprint": fingerprint(m.device),
            "name": m.name,
            "callsign": m.callsign,
            "role": m.role.value,
            "clearance": m.clearance.value,
            "authority": m.authority,
            "status": self.status.value,
            "detail": self.detail,
            "valid_until": to_datetime(m.valid_until).isoformat(),  # ISO 8601, UTC
        }


def _signed(document: Membership | Revocation, signature: bytes) -> dict[str, Any]:
    return envelope(document, signature)


def read_membership(data: Any, authority_key: bytes) -> tuple[Membership, bytes]:
    """A membership envelope, checked against the mission authority's key."""
    try:
        membership = Membership.model_validate(data["document"])
        signature = unb64(data["signature"])
    except (KeyError, TypeError, ValueError, ValidationError):
        raise InvalidInput("A membership certificate is malformed.") from None
    if not verify_document(authority_key, membership, signature):
        raise InvalidInput("A membership certificate is not signed by the mission authority.")
    return membership, signature


def read_revocation(data: Any, authority_key: bytes) -> tuple[Revocation, bytes]:
    try:
        revocation = Revocation.model_validate(data["document"])
        signature = unb64(data["signature"])
    except (KeyError, TypeError, ValueError, ValidationError):
        raise InvalidInput("A revocation is malformed.") from None
    if not verify_document(authority_key, revocation, signature):
        raise InvalidInput("A revocation is not signed by the mission authority.")
    return revocation, signature


class MissionService:
    def __init__(
        self,
        vault: Vault,
        writer: OperationWriter,
        keys: DeviceKeys,
        records: RecordService,
        audit: AuditService,
        clock: HybridClock,
    ) -> None:
        self._vault = vault
        self._writer = writer
        self._keys = keys
        self._records = records
        self._audit = audit
        self._clock = clock

    # -- the mission this vault belongs to ----------------------------------------------------

    def info(self) -> MissionInfo | None:
        mission_id = self._vault.get_meta("mission_id")
        if not mission_id:
            return None
        record = self._vault.reads.get(mission_id)
        if record is None:  # known from an enrollment file before its op arrived
            return MissionInfo(
                mission_id,
                self._vault.get_meta("mission_name") or "",
                unb64(self._vault.get_meta("authority_key") or ""),
                (self._vault.get_meta("ca_certificate") or "").encode(),
                True,
            )
        mission = Mission.model_validate(record.doc)
        return MissionInfo(
            mission_id,
            mission.name,
            unb64(mission.authority_key),
            mission.ca_certificate.encode(),
            mission.discovery,
        )

    def require(self) -> MissionInfo:
        info = self.info()
        if info is None:
            raise InvalidInput(
                "This vault is not in a mission yet.",
                hint="create one with 'mission create' or join with 'enroll'",
            )
        return info

    def authority(self) -> MissionAuthority:
        """The mission authority's key; refused on every other laptop."""
        raw = self._vault.trust.secret(AUTHORITY_SECRET)
        if raw is None:
            raise AccessDenied("Only the laptop holding the mission authority key can do this.")
        return MissionAuthority.from_private_bytes(raw)

    def my_membership(self) -> Membership | None:
        """This laptop's latest membership certificate, or None in a vault with no mission (or
        before its certificate arrived). Refused (AccessDenied) when it was revoked or has
        expired: nothing that needs a role can be done then."""
        if self.info() is None:
            return None
        device = self._keys.device_id
        if self._vault.trust.revoked_at(device) is not None:
            raise AccessDenied("This laptop's membership of the mission was revoked.")
        found = self._vault.trust.memberships_of(device)
        if not found:
            return None
        latest = found[-1]
        if latest.valid_until < self._clock.now():
            raise AccessDenied(
                "This laptop's membership certificate has expired; ask the mission authority "
                "to renew it."
            )
        return latest

    def role_of(self, device: str) -> Role | None:
        """The role a device's latest certificate gives it (None if it has none here)."""
        found = self._vault.trust.memberships_of(device)
        return found[-1].role if found else None

    def is_authority(self) -> bool:
        return self._vault.trust.secret(AUTHORITY_SECRET) is not None

    def _tls_key(self) -> SessionKey:
        raw = self._vault.trust.secret(TLS_SECRET)
        if raw is None:
            key = SessionKey.generate()
            with self._vault.transaction():
                self._vault.trust.set_secret(TLS_SECRET, key.private_bytes())
            return key
        return SessionKey.from_private_bytes(raw)

    def _me(self) -> Person:
        pid = self._vault.get_meta("person_id") or ""
        return self._records.get(Person, pid)

    def _store_mission(
        self,
        mission_id: str,
        name: str,
        authority_key: bytes,
        *,
        ca_pem: bytes,
        tls_cert: bytes,
        crl: bytes | None,
    ) -> None:
        for key, value in (
            ("mission_id", mission_id),
            ("mission_name", name),
            ("authority_key", b64(authority_key)),
            ("ca_certificate", ca_pem.decode()),
            ("tls_certificate", tls_cert.decode()),
        ):
            self._vault.set_meta(key, value)
        if crl is not None:
            self._vault.set_meta("crl", crl.decode())
        self._writer.set_mission(mission_id)

    def _issue(
        self,
        authority: MissionAuthority,
        mission_name: str,
        request: JoinRequest,
        *,
        role: Role,
        clearance: Sensitivity,
        valid_days: int,
        is_authority: bool = False,
    ) -> tuple[Membership, bytes, bytes]:
        now = self._clock.now()
        valid_from = min(now, request.created)
        wall_ms, _ = unpack(now)
        membership = Membership(
            mission=authority.mission_id,
            mission_name=mission_name,
            serial=uuid7(),
            device=request.device,
            signing_key=request.signing_key,
            exchange_key=request.exchange_key,
            tls_key=request.tls_key,
            tls_serial=int.from_bytes(os.urandom(8), "big") >> 1 or 1,
            name=request.name,
            callsign=request.callsign,
            role=role,
            clearance=clearance,
            authority=is_authority,
            valid_from=valid_from,
            valid_until=pack(wall_ms + valid_days * DAY_MS, 0),
            enrolled_seq=request.head_seq,
            issued_at=now,
        )
        signature = authority.sign(membership)
        tls_cert = authority.device_certificate(membership, membership.tls_serial)
        return membership, signature, tls_cert

    def _own_request(self) -> JoinRequest:
        me = self._me()
        signing, exchange = self._keys.public_b64()
        tls_public = self._tls_key().public
        return JoinRequest(
            device=self._keys.device_id,
            signing_key=signing,
            exchange_key=exchange,
            tls_key=b64(tls_public),
            name=me.name,
            callsign=me.callsign,
            head_seq=self._writer.head_seq,
            created=self._clock.now(),
        )

    def create(
        self, name: str, *, role: Role = Role.COMMS_OFFICER, valid_days: int = 365
    ) -> MissionInfo:
        """Make this laptop the mission authority and its first member."""
        if self.info() is not None:
            raise InvalidInput("This vault already belongs to a mission.")
        pinned = self.pinned()
        if pinned is not None:
            raise InvalidInput(
                f"This laptop was set up for the mission {pinned.name} from its package: join "
                "that mission instead of creating one."
            )
        if not name.strip():
            raise InvalidInput("The mission needs a name.")
        authority = MissionAuthority.generate()
        ca_pem = authority.ca_certificate(name)
        request = self._own_request()
        membership, signature, tls_cert = self._issue(
            authority,
            name.strip(),
            request,
            role=role,
            clearance=Sensitivity.STRICTLY_CONFIDENTIAL,
            valid_days=valid_days,
            is_authority=True,
        )
        with self._vault.transaction():
            self._vault.trust.set_secret(AUTHORITY_SECRET, authority.private_bytes())
        self._store_mission(
            authority.mission_id,
            name.strip(),
            authority.public_key,
            ca_pem=ca_pem,
            tls_cert=tls_cert,
            crl=authority.revocation_list([]),
        )
        mission = Mission(
            name=name.strip(),
            authority_key=b64(authority.public_key),
            ca_certificate=ca_pem.decode(),
        )
        self._writer.submit_many(
            [
                (
                    "mission.create",
                    authority.mission_id,
                    {"fields": mission.model_dump(mode="json")},
                ),
                (
                    "membership.grant",
                    membership.serial,
                    {"certificate": _signed(membership, signature)},
                ),
            ]
        )
        self._audit.record(AuditEvent.MISSION_CREATED, mission=authority.mission_id)
        return self.require()

    def set_discovery(self, allowed: bool) -> None:
        """Allow or forbid finding peers by mDNS, for every laptop of the mission."""
        self.authority()
        info = self.require()
        self._writer.submit("mission.update", info.id, {"fields": {"discovery": allowed}})

    # -- the mission a package set this laptop up for ------------------------------------------

    def pinned(self) -> PackageMission | None:
        """The mission a mission package set this laptop up for, before it is enrolled."""
        raw = self._vault.get_meta(PACKAGE_MISSION)
        if not raw:
            return None
        from missiondesk.domain.mission_package import PackageMission

        try:
            return PackageMission.model_validate_json(raw)
        except ValidationError:
            return None

    @staticmethod
    def pin_package(conn: Connection, mission: PackageMission) -> None:
        """Keep the package's mission (in the import's transaction): only its authority's
        approval will be accepted from now on."""
        write_meta(conn, PACKAGE_MISSION, mission.model_dump_json())

    def note_package_seq(self, seq: int) -> None:
        """This laptop's last operation restating the package: a join request must cover it."""
        self._vault.set_meta(PACKAGE_SEQ, str(seq))

    # -- enrollment by file -------------------------------------------------------------------

    def request_enrollment(self) -> tuple[bytes, str]:
        """A join request file for the mission authority, and the code both people compare."""
        if self.info() is not None:
            raise InvalidInput("This vault already belongs to a mission.")
        request = self._own_request()
        signature = self._keys.sign(request.signed_bytes())
        content = json.dumps({"join_request": envelope(request, signature)}, indent=2).encode()
        self._audit.record(AuditEvent.EXPORTED, what="enrollment request")
        return content, request.code

    @staticmethod
    def read_request(content: bytes) -> JoinRequest:
        try:
            data = json.loads(content)["join_request"]
            request = JoinRequest.model_validate(data["document"])
            signature = unb64(data["signature"])
        except (KeyError, TypeError, ValueError, ValidationError, RecursionError):
            raise InvalidInput("This is not a MissionDesk join request file.") from None
        if device_id_for(unb64(request.signing_key)) != request.device or not verify_signature(
            unb64(request.signing_key), signature, request.signed_bytes()
        ):
            raise InvalidInput(
                "The join request is not signed by the device it names; it was altered or forged."
            )
        return request

    def approve(
        self,
        content: bytes,
        *,
        role: Role,
        clearance: Sensitivity = Sensitivity.CONFIDENTIAL,
        valid_days: int = 365,
        expect_code: str | None = None,
    ) -> tuple[bytes, Membership]:
        authority = self.authority()
        info = self.require()
        request = self.read_request(content)
        if expect_code is not None and expect_code.replace(" ", "") != request.code:
            raise InvalidInput(
                f"The codes differ ({request.code} here): do not approve; "
                "the request file may have been replaced."
            )
        revoked = self._vault.trust.revoked_at(request.device)
        if revoked is not None:
            raise InvalidInput("This device was revoked; it cannot be enrolled again.")
        membership, signature, tls_cert = self._issue(
            authority, info.name, request, role=role, clearance=clearance, valid_days=valid_days
        )
        self._writer.submit(
            "membership.grant", membership.serial, {"certificate": _signed(membership, signature)}
        )
        trust = self._vault.trust
        approval = {
            "join_approval": {
                "mission": {
                    "id": info.id,
                    "name": info.name,
                    "authority_key": b64(info.authority_key),
                    "ca_certificate": info.ca_certificate.decode(),
                },
                "certificate": _signed(membership, signature),
                "tls_certificate": tls_cert.decode(),
                "crl": self._vault.get_meta("crl"),
                "memberships": [_signed(m.membership, m.signature) for m in trust.memberships()],
                "revocations": [_signed(r.revocation, r.signature) for r in trust.revocations()],
            }
        }
        self._audit.record(AuditEvent.MEMBER_ENROLLED, device=request.device, role=role.value)
        return json.dumps(approval, indent=2).encode(), membership

    def accept(self, content: bytes) -> Membership:
        if self.info() is not None:
            raise InvalidInput("This vault already belongs to a mission.")
        try:
            data = json.loads(content)["join_approval"]
            mission = data["mission"]
            authority_key = unb64(mission["authority_key"])
            mission_id = str(mission["id"])
            ca_pem = str(mission["ca_certificate"]).encode()
            tls_cert = str(data["tls_certificate"]).encode()
            crl = data.get("crl")
        except (KeyError, TypeError, ValueError, RecursionError):
            raise InvalidInput("This is not a MissionDesk enrollment approval file.") from None
        if mission_id_for(authority_key) != mission_id:
            raise InvalidInput("The approval names a mission that does not match its key.")
        pinned = self.pinned()
        if pinned is not None and (
            pinned.id != mission_id or unb64(pinned.authority_key) != authority_key
        ):
            raise InvalidInput(
                f"This approval is not from the authority of {pinned.name} (code {pinned.code}), "
                "the mission this laptop was set up for from its package. It was refused."
            )
        try:
            ca_ok = ca_public_key(ca_pem) == authority_key
            tls_ok = certificate_signed_by(tls_cert, authority_key)
            tls_key = certificate_public_key(tls_cert)
        except ValueError:
            ca_ok = tls_ok = False
            tls_key = b""
        if not (ca_ok and tls_ok):
            raise InvalidInput("The approval's certificates are not the mission authority's.")
        if crl is not None and not (
            isinstance(crl, str) and crl_signed_by(crl.encode(), authority_key)
        ):
            raise InvalidInput("The approval's revocation list is not the mission authority's.")
        membership, _ = read_membership(data["certificate"], authority_key)
        mine = self._own_request()
        if membership.device != self._keys.device_id or membership.signing_key != mine.signing_key:
            raise InvalidInput("This approval was made for another device.")
        if tls_key != self._tls_key().public or membership.mission != mission_id:
            raise InvalidInput("This approval does not match this device's request.")
        if membership.enrolled_seq < int(self._vault.get_meta(PACKAGE_SEQ) or 0):
            raise InvalidInput(
                "This approval answers a join request written before the mission package was "
                "imported here: write a new join request and have it approved."
            )
        with self._vault.transaction():
            for item in data.get("memberships", []):
                self._vault.trust.add_membership(*read_membership(item, authority_key))
            for item in data.get("revocations", []):
                self._vault.trust.add_revocation(*read_revocation(item, authority_key))
        self._store_mission(
            mission_id,
            membership.mission_name,  # signed; the file's own "name" is not
            authority_key,
            ca_pem=ca_pem,
            tls_cert=tls_cert,
            crl=crl.encode() if isinstance(crl, str) else None,
        )
        self._clock.observe(membership.valid_from)
        self._audit.record(AuditEvent.IMPORTED, what="enrollment approval", mission=mission_id)
        return membership

    # -- members -------------------------------------------------------------------------------

    def members(self) -> list[MemberView]:
        trust = self._vault.trust
        holds = trust.holds()
        now = self._clock.now()
        latest: dict[str, Membership] = {}
        for stored in trust.memberships():
            latest[stored.membership.device] = stored.membership
        views = []
        for device, membership in latest.items():
            revoked = trust.revoked_at(device)
            if revoked is not None:
                views.append(MemberView(membership, MemberStatus.REVOKED, "revoked"))
            elif device in holds:
                reason, detail, _ = holds[device]
                views.append(MemberView(membership, MemberStatus.HELD, f"{reason}: {detail}"))
            elif membership.valid_until < now:
                views.append(MemberView(membership, MemberStatus.EXPIRED, "certificate expired"))
            else:
                views.append(MemberView(membership, MemberStatus.ACTIVE, ""))
        return sorted(views, key=lambda v: (v.membership.callsign or v.membership.name).lower())

    def find_member(self, device: str) -> Membership:
        return self.find_member_view(device).membership

    def find_member_view(self, device: str) -> MemberView:
        """The one member a device id (or its start, or a fingerprint) or callsign names."""
        wanted = device.replace("-", "").lower()
        found = [
            v
            for v in self.members()
            if v.membership.device == wanted
            or v.membership.device.startswith(wanted)
            or v.membership.callsign.lower() == device.lower()
        ]
        active = [v for v in found if v.status is MemberStatus.ACTIVE]
        if len(found) > 1 and len(active) == 1:
            return active[0]  # a callsign whose lost laptop was revoked and replaced
        if len(found) != 1:
            raise InvalidInput(
                f"No single member matches '{device}'; use the device id from 'members list'."
            )
        return found[0]

    def revoke(self, device: str, reason: str = "") -> Revocation:
        authority = self.authority()
        info = self.require()
        member = self.find_member(device)
        if member.device == self._keys.device_id:
            raise InvalidInput("The authority's own laptop cannot be revoked from itself.")
        head = self._vault.oplog.head(member.device)
        revocation = Revocation(
            mission=info.id,
            device=member.device,
            revoked_at=self._clock.now(),
            last_seq=head[0] if head else 0,
            tls_serial=member.tls_serial,
            reason=reason,
        )
        signature = authority.sign(revocation)
        self._writer.submit(
            "membership.revoke",
            f"revocation-{member.device}",
            {"revocation": envelope(revocation, signature)},
        )
        serials = [r.revocation.tls_serial for r in self._vault.trust.revocations()]
        self._vault.set_meta("crl", authority.revocation_list(serials).decode())
        self._audit.record(AuditEvent.MEMBER_REVOKED, device=member.device)
        return revocation

    def release(self, device: str) -> None:
        """An officer has reviewed a held device's operations and lets them in again."""
        member = self.find_member(device)
        with self._vault.transaction():
            if not self._vault.trust.release(member.device):
                raise InvalidInput(f"Device {fingerprint(member.device)} is not held.")
        self._audit.record(AuditEvent.MEMBER_RELEASED, device=member.device)

    def tls_material(self) -> tuple[SessionKey, bytes, bytes, bytes | None]:
        """This device's TLS key and certificate, the mission CA, and the latest CRL."""
        self.require()
        cert = self._vault.get_meta("tls_certificate")
        ca = self._vault.get_meta("ca_certificate")
        if not cert or not ca:
            raise InvalidInput("This vault has no session certificate; enroll it first.")
        crl = self._vault.get_meta("crl")
        return self._tls_key(), cert.encode(), ca.encode(), crl.encode() if crl else None
