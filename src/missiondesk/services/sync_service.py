"""Sync as the command line and the desktop app use it: the vault as the engine sees it, status.

`VaultReplica` gives the sync engine (which may not import the store) what it needs from the
vault; every call to it runs on one database thread. Serving and syncing run in a `SyncNode`
(services/sync_node.py), the same for the command line and the desktop app.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from missiondesk.domain.changeset import ChangeSet, Origin
from missiondesk.domain.errors import InvalidInput
from missiondesk.domain.hlc import HybridClock
from missiondesk.domain.kinds import ROUTINE
from missiondesk.domain.operation import OpRecord, SignedOperation
from missiondesk.domain.trust import Membership, Revocation, envelope
from missiondesk.services.changes import ChangeFeed
from missiondesk.services.delivery import PeerHoldings
from missiondesk.services.mission import (
    MissionInfo,
    MissionService,
    read_membership,
    read_revocation,
)
from missiondesk.store.vault import Vault

if TYPE_CHECKING:
    from missiondesk.sync.discovery import FoundPeer
    from missiondesk.sync.replica import Segment, Summary
    from missiondesk.sync.tls import TlsMaterial

# The sync engine (asyncio, TLS, mDNS, the wire format) is imported where sync runs, not with
# this module: the desktop's status bar uses SyncService.summary at start-up and needs none of it.

log = logging.getLogger(__name__)


class VaultTrust:
    def __init__(self, vault: Vault, info: MissionInfo) -> None:
        self._vault = vault
        self._info = info

    @property
    def mission_id(self) -> str:
        return self._info.id

    @property
    def authority_key(self) -> bytes:
        return self._info.authority_key

    def memberships_of(self, device: str) -> list[Membership]:
        return self._vault.trust.memberships_of(device)

    def revocation_of(self, device: str) -> Revocation | None:
        return self._vault.trust.revocation_of(device)

    def is_held(self, device: str) -> bool:
        return device in self._vault.trust.holds()


def segments_for(
    author: str, after_seq: int, last: int, urgent: list[tuple[int, int]]
) -> list[Segment]:
    """Cut one author's run so its most urgent ops go out first, in chain order."""
    from missiondesk.sync.replica import Segment

    segments: list[Segment] = []
    start = after_seq + 1
    remaining = urgent
    while start <= last:
        if not remaining:
            segments.append(Segment(author, start, last, ROUTINE))
            break
        level = min(u for _, u in remaining)
        end = max(seq for seq, u in remaining if u == level)
        segments.append(Segment(author, start, end, level))
        start = end + 1
        remaining = [(seq, u) for seq, u in remaining if seq > end]
    return segments


def revoked_last_seqs(vault: Vault) -> dict[str, int]:
    """Revoked device -> the last of its operations peers admit."""
    return {r.revocation.device: r.revocation.last_seq for r in vault.trust.revocations()}


def passed_on_heads(vault: Vault) -> dict[str, tuple[int, bytes]]:
    """Each author's head; a revoked device's no further than the revocation allows
    (operations of it stored here before the revocation arrived are not passed on: every
    peer refuses them, and laptops would never be in step)."""
    heads = vault.oplog.heads()
    for device, last in revoked_last_seqs(vault).items():
        head = heads.get(device)
        if head is not None and head[0] > last:
            op_id = vault.oplog.op_id_at(device, last) if last > 0 else None
            if op_id is None:
                del heads[device]
            else:
                heads[device] = (last, op_id)
    return heads


class VaultReplica:
    def __init__(
        self, vault: Vault, info: MissionInfo, device_id: str, clock: HybridClock, feed: ChangeFeed
    ) -> None:
        self._vault = vault
        self._device_id = device_id
        self._clock = clock
        self._feed = feed
        self._trust = VaultTrust(vault, info)

    @property
    def device_id(self) -> str:
        return self._device_id

    @property
    def trust(self) -> VaultTrust:
        return self._trust

    def summary(self) -> Summary:
        from missiondesk.sync.replica import Summary
        from missiondesk.sync.session import heads_digest, trust_digest

        return Summary(
            heads_digest(self.heads()),
            trust_digest(self._vault.trust.trust_digest_rows()),
            self._vault.oplog.count(),
        )

    def heads(self) -> dict[str, tuple[int, bytes]]:
        return passed_on_heads(self._vault)

    def head(self, author: str) -> tuple[int, bytes] | None:
        return self._vault.oplog.head(author)

    def op_id_at(self, author: str, seq: int) -> bytes | None:
        return self._vault.oplog.op_id_at(author, seq)

    def segments(self, author: str, after_seq: int) -> list[Segment]:
        head = self._vault.oplog.head(author)
        last = min(head[0], revoked_last_seqs(self._vault).get(author, head[0])) if head else 0
        if last <= after_seq:
            return []
        urgent = [u for u in self._vault.oplog.urgent_after(author, after_seq) if u[0] <= last]
        return segments_for(author, after_seq, last, urgent)

    def read_ops(self, author: str, first: int, last: int) -> list[OpRecord]:
        return self._vault.oplog.read_records(author, first, last)

    def trust_documents(self) -> dict[str, Any]:
        trust = self._vault.trust
        return {
            "memberships": [envelope(m.membership, m.signature) for m in trust.memberships()],
            "revocations": [envelope(r.revocation, r.signature) for r in trust.revocations()],
        }

    def add_trust_documents(self, documents: dict[str, Any]) -> int:
        from missiondesk.sync.wire import ProtocolError

        key = self._trust.authority_key
        memberships, revocations = documents.get("memberships"), documents.get("revocations")
        if not isinstance(memberships, list) or not isinstance(revocations, list):
            raise ProtocolError("the peer's trust documents are malformed")
        try:
            checked_m = [read_membership(item, key) for item in memberships]
            checked_r = [read_revocation(item, key) for item in revocations]
        except ProtocolError:
            raise
        except Exception as exc:  # noqa: BLE001 - any defect in them is the peer's fault
            raise ProtocolError(f"the peer's trust documents were refused: {exc}") from None
        added = 0
        with self._vault.transaction():
            for membership, signature in checked_m:
                if membership.mission == self._trust.mission_id:
                    added += self._vault.trust.add_membership(membership, signature)
            for revocation, signature in checked_r:
                if revocation.mission == self._trust.mission_id:
                    added += self._vault.trust.add_revocation(revocation, signature)
        return added

    def apply(self, ops: list[SignedOperation]) -> int:
        """Commit received ops to the log now; settle() folds them into the records."""
        changes = self._vault.apply(ops, Origin.PEER, fold=False)
        self._clock.observe(max(s.op.hlc for s in ops))
        self._feed.publish(changes)
        return len(changes.applied)

    def settle(self) -> int:
        """Fold every logged op into records, projections and search, batch by batch."""
        total = 0
        while True:
            count, changes = self._vault.fold_pending()
            if not count:
                return total
            total += count
            self._feed.publish(changes)

    def hold(self, author: str, reason: str, detail: str) -> None:
        with self._vault.transaction():
            self._vault.trust.hold(author, reason, detail)

    def too_far_ahead(self, hlc: int) -> bool:
        return self._clock.is_too_far_ahead(hlc)

    def record_peer(
        self,
        device: str,
        *,
        address: str,
        heads: dict[str, Any],
        result: str,
        sent: int,
        received: int,
    ) -> None:
        if not device:
            return
        with self._vault.transaction():
            self._vault.trust.record_peer(
                device, address=address, heads=heads, result=result, sent=sent, received=received
            )
        # Views that show peers (last seen, last result) refresh from this like from any change.
        self._feed.publish(ChangeSet(Origin.PEER, entities={"peer": frozenset({device})}))


@dataclass(frozen=True)
class PeerSeen:
    device: str
    label: str  # callsign, or fingerprint
    last_seen_ms: int
    last_result: str
    address: str = ""  # where it was last met ("" for a bundle)
    sent: int = 0  # operations sent to it, received from it, in the last session
    received: int = 0


@dataclass(frozen=True)
class SyncSummary:
    """What the status bar shows: the mission, the peers last heard from, what waits to go."""

    mission_name: str  # "" when this vault is not in a mission
    peers: tuple[PeerSeen, ...]  # most recent first
    waiting: int  # this device's operations that no peer is known to hold

    @property
    def in_mission(self) -> bool:
        return bool(self.mission_name)


class SyncService:
    def __init__(
        self,
        vault: Vault,
        mission: MissionService,
        device_id: str,
        clock: HybridClock,
        feed: ChangeFeed,
    ) -> None:
        self._vault = vault
        self._mission = mission
        self._device_id = device_id
        self._clock = clock
        self._feed = feed

    @property
    def device_id(self) -> str:
        return self._device_id

    def engine_parts(self) -> tuple[VaultReplica, TlsMaterial, MissionInfo]:
        """What the engine needs to serve or sync: the vault as it sees it, this device's TLS
        identity and the mission. Reads the vault: call it on the vault's thread."""
        from missiondesk.sync.tls import TlsMaterial

        info = self._mission.require()
        key, cert, ca, _crl = self._mission.tls_material()
        replica = VaultReplica(self._vault, info, self._device_id, self._clock, self._feed)
        return replica, TlsMaterial(key, cert, ca), info

    def discovery_mission(self) -> str:
        """The mission id to look for on the LAN; refused when the mission forbids discovery."""
        info = self._mission.require()
        if not info.discovery:
            raise InvalidInput(
                "This mission does not allow finding peers on the network; "
                "name the peer by its address (HOST:PORT)."
            )
        return info.id

    def discover(self, seconds: float = 3.0) -> list[FoundPeer]:
        """Peers announcing themselves on the LAN (blocks for `seconds`; the CLI's way)."""
        from missiondesk.sync.discovery import discover

        return discover(self.discovery_mission(), self._device_id, seconds)

    def summary(self, label: Callable[[str], str]) -> SyncSummary:
        """Works with or without a mission; `label` names a device (callsign or fingerprint)."""
        info = self._mission.info()
        peers = tuple(
            PeerSeen(
                p.device,
                label(p.device),
                p.last_seen,
                p.last_result,
                address=p.address,
                sent=p.sent,
                received=p.received,
            )
            for p in self._vault.trust.peers()
        )
        head = self._vault.oplog.head(self._device_id)
        waiting = PeerHoldings.load(self._vault, self._device_id).waiting(head[0] if head else 0)
        return SyncSummary(info.name if info else "", peers, waiting)

    def status(self) -> dict[str, Any]:
        info = self._mission.require()
        heads = passed_on_heads(self._vault)
        peers = []
        for peer in self._vault.trust.peers():
            # What this laptop holds beyond what the peer said it held at the last session's
            # end, its own operations aside (a peer holds all it wrote).
            lacking = (
                sum(
                    max(0, seq - int(peer.heads.get(a, [0])[0]))
                    for a, (seq, _) in heads.items()
                    if a != peer.device
                )
                if peer.heads
                else None
            )
            peers.append(
                {
                    "device": peer.device,
                    "address": peer.address,
                    "last_seen": peer.last_seen,
                    "last_result": peer.last_result,
                    "sent": peer.sent,
                    "received": peer.received,
                    "pending_for_peer": lacking,
                }
            )
        holds = self._vault.trust.holds()
        return {
            "mission": info.id,
            "mission_name": info.name,
            "device": self._device_id,
            "operations": self._vault.oplog.count(),
            "authors": len(heads),
            "peers": peers,
            "held": [{"device": d, "reason": r, "detail": t} for d, (r, t, _) in holds.items()],
        }
