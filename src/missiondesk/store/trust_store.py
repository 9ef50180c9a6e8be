"""Tables of sync and trust: memberships, revocations, holds, peers, bundles seen, secrets."""

from __future__ import annotations

import json
import time
from typing import TYPE_CHECKING, Any

from missiondesk.domain.named_tuple import NamedTuple
from missiondesk.store.connection import Connection

if TYPE_CHECKING:  # the models load at the first membership read: the first screen reads only
    # the peers (what each holds, for the delivery state of this officer's messages)
    from missiondesk.domain.trust import Membership, Revocation


def _now_ms() -> int:
    return time.time_ns() // 1_000_000


class StoredMembership(NamedTuple):
    membership: Membership
    signature: bytes


class StoredRevocation(NamedTuple):
    revocation: Revocation
    signature: bytes


class PeerRecord(NamedTuple):
    device: str
    address: str
    last_seen: int
    heads: dict[str, Any]
    last_result: str
    sent: int
    received: int


class TrustStore:
    """Reads and writes on one connection; writers run inside the caller's transaction."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    # -- memberships and revocations ----------------------------------------------------------

    def add_membership(self, membership: Membership, signature: bytes) -> bool:
        cur = self._conn.execute(
            "INSERT OR IGNORE INTO memberships (serial, device, document, signature, valid_from,"
            " valid_until, enrolled_seq, issued_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                membership.serial,
                membership.device,
                membership.model_dump_json(),
                bytearray(signature),
                membership.valid_from,
                membership.valid_until,
                membership.enrolled_seq,
                membership.issued_at,
            ),
        )
        return bool(cur.rowcount)

    def add_revocation(self, revocation: Revocation, signature: bytes) -> bool:
        """Keep the earliest revocation of a device (the strictest)."""
        row = self._conn.execute(
            "SELECT revoked_at FROM revocations WHERE device = ?", (revocation.device,)
        ).fetchone()
        if row is not None and row[0] <= revocation.revoked_at:
            return False
        self._conn.execute(
            "INSERT OR REPLACE INTO revocations (device, revoked_at, document, signature)"
            " VALUES (?, ?, ?, ?)",
            (
                revocation.device,
                revocation.revoked_at,
                revocation.model_dump_json(),
                bytearray(signature),
            ),
        )
        return True

    def memberships(self) -> list[StoredMembership]:
        from missiondesk.domain.trust import Membership

        rows = self._conn.execute(
            "SELECT document, signature FROM memberships ORDER BY issued_at, serial"
        ).fetchall()
        return [StoredMembership(Membership.model_validate_json(r[0]), bytes(r[1])) for r in rows]

    def memberships_of(self, device: str) -> list[Membership]:
        from missiondesk.domain.trust import Membership

        rows = self._conn.execute(
            "SELECT document FROM memberships WHERE device = ? ORDER BY issued_at", (device,)
        ).fetchall()
        return [Membership.model_validate_json(r[0]) for r in rows]

    def revocations(self) -> list[StoredRevocation]:
        from missiondesk.domain.trust import Revocation

        rows = self._conn.execute(
            "SELECT document, signature FROM revocations ORDER BY device"
        ).fetchall()
        return [StoredRevocation(Revocation.model_validate_json(r[0]), bytes(r[1])) for r in rows]

    def revocation_of(self, device: str) -> Revocation | None:
        from missiondesk.domain.trust import Revocation

        row = self._conn.execute(
            "SELECT document FROM revocations WHERE device = ?", (device,)
        ).fetchone()
        return Revocation.model_validate_json(row[0]) if row else None

    def revoked_devices(self) -> frozenset[str]:
        """Every revoked device (no documents read: the first screen asks)."""
        return frozenset(r[0] for r in self._conn.execute("SELECT device FROM revocations"))

    def revoked_at(self, device: str) -> int | None:
        row = self._conn.execute(
            "SELECT revoked_at FROM revocations WHERE device = ?", (device,)
        ).fetchone()
        return int(row[0]) if row else None

    def trust_digest_rows(self) -> list[str]:
        """What the trust digest covers: every certificate serial and revocation."""
        serials = [
            f"m:{r[0]}"
            for r in self._conn.execute("SELECT serial FROM memberships ORDER BY serial").fetchall()
        ]
        revoked = [
            f"r:{r[0]}:{r[1]}"
            for r in self._conn.execute(
                "SELECT device, revoked_at FROM revocations ORDER BY device"
            ).fetchall()
        ]
        return serials + revoked

    # -- holds: authors whose further ops wait for an officer's review ------------------------

    def hold(self, author: str, reason: str, detail: str) -> None:
        self._conn.execute(
            "INSERT OR IGNORE INTO holds (author, reason, since, detail) VALUES (?, ?, ?, ?)",
            (author, reason, _now_ms(), detail),
        )

    def release(self, author: str) -> bool:
        return bool(self._conn.execute("DELETE FROM holds WHERE author = ?", (author,)).rowcount)

    def holds(self) -> dict[str, tuple[str, str, int]]:
        rows = self._conn.execute("SELECT author, reason, detail, since FROM holds").fetchall()
        return {r[0]: (r[1], r[2], r[3]) for r in rows}

    # -- peers ---------------------------------------------------------------------------------

    def record_peer(
        self,
        device: str,
        *,
        address: str = "",
        heads: dict[str, Any] | None = None,
        result: str = "",
        sent: int = 0,
        received: int = 0,
    ) -> None:
        self._conn.execute(
            "INSERT INTO peers (device, address, last_seen, heads, last_result, sent, received)"
            " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (device) DO UPDATE SET"
            " address = CASE WHEN excluded.address = '' THEN address ELSE excluded.address END,"
            " last_seen = excluded.last_seen,"
            " heads = CASE WHEN excluded.heads = '{}' THEN heads ELSE excluded.heads END,"
            " last_result = excluded.last_result, sent = sent + excluded.sent,"
            " received = received + excluded.received",
            (
                device,
                address,
                _now_ms(),
                json.dumps(heads or {}, sort_keys=True),
                result,
                sent,
                received,
            ),
        )

    def peers(self) -> list[PeerRecord]:
        rows = self._conn.execute(
            "SELECT device, address, last_seen, heads, last_result, sent, received FROM peers"
            " ORDER BY last_seen DESC"
        ).fetchall()
        return [PeerRecord(r[0], r[1], r[2], json.loads(r[3]), r[4], r[5], r[6]) for r in rows]

    # -- bundles already imported --------------------------------------------------------------

    def bundle_seen(self, bundle_id: str) -> int | None:
        row = self._conn.execute(
            "SELECT imported_at FROM bundles_seen WHERE bundle_id = ?", (bundle_id,)
        ).fetchone()
        return int(row[0]) if row else None

    def mark_bundle(self, bundle_id: str, sender: str) -> None:
        self._conn.execute(
            "INSERT OR IGNORE INTO bundles_seen (bundle_id, sender, imported_at) VALUES (?, ?, ?)",
            (bundle_id, sender, _now_ms()),
        )

    # -- secrets: the mission authority key, the TLS session key -------------------------------

    def secret(self, name: str) -> bytes | None:
        row = self._conn.execute("SELECT value FROM secrets WHERE name = ?", (name,)).fetchone()
        return bytes(row[0]) if row else None

    def set_secret(self, name: str, value: bytes) -> None:
        self._conn.execute(
            "INSERT OR REPLACE INTO secrets (name, value) VALUES (?, ?)", (name, bytearray(value))
        )
