"""Bundles on removable drives: export what chosen members likely lack, import what arrives."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from missiondesk.crypto.authority import unb64
from missiondesk.crypto.signing import DeviceKeys
from missiondesk.domain.errors import InvalidInput
from missiondesk.domain.hlc import HybridClock
from missiondesk.domain.ids import fingerprint, uuid7
from missiondesk.domain.trust import MemberStatus
from missiondesk.services.audit import AuditEvent, AuditService
from missiondesk.services.changes import ChangeFeed
from missiondesk.services.enrollment_files import write_carried_file
from missiondesk.services.input_files import read_input_file
from missiondesk.services.mission import MissionService
from missiondesk.services.sync_service import VaultReplica
from missiondesk.store.vault import Vault
from missiondesk.sync.admission import signing_key_for
from missiondesk.sync.bundle import BundleRefused, open_bundle, read_bundle, signed_by, write_bundle
from missiondesk.sync.intake import take_all
from missiondesk.sync.session import plan
from missiondesk.sync.wire import ProtocolError

MAX_BUNDLE_BYTES = 2 * 1024 * 1024 * 1024
ALTERED = "The bundle was altered: its signature does not match its content."


@dataclass
class BundleReport:
    bundle_id: str
    sender: str = ""
    recipients: list[str] = field(default_factory=list)
    operations: int = 0
    added: Counter[str] = field(default_factory=Counter)
    refused: int = 0
    reasons: list[str] = field(default_factory=list)
    dry_run: bool = False

    def as_json(self) -> dict[str, Any]:
        return {
            "bundle": self.bundle_id,
            "sender": self.sender,
            "recipients": self.recipients,
            "operations": self.operations,
            "added": dict(self.added),
            "refused": self.refused,
            "reasons": self.reasons,
            "dry_run": self.dry_run,
        }


class BundleService:
    def __init__(
        self,
        vault: Vault,
        mission: MissionService,
        keys: DeviceKeys,
        clock: HybridClock,
        feed: ChangeFeed,
        audit: AuditService,
    ) -> None:
        self._vault = vault
        self._mission = mission
        self._keys = keys
        self._clock = clock
        self._feed = feed
        self._audit = audit

    def _recipients(self, wanted: list[str]) -> dict[str, bytes]:
        if wanted:
            views = [self._mission.find_member_view(w) for w in wanted]
            for view in views:
                if view.status in (MemberStatus.REVOKED, MemberStatus.EXPIRED):
                    who = view.membership.callsign or fingerprint(view.membership.device)
                    raise InvalidInput(
                        f"{who} is {view.status.value}: a bundle for it would hand mission "
                        "traffic to a laptop the mission no longer trusts. Nothing was written."
                    )
            members = [v.membership for v in views]
        else:
            members = [
                v.membership for v in self._mission.members() if v.status is MemberStatus.ACTIVE
            ]
        recipients = {
            m.device: unb64(m.exchange_key) for m in members if m.device != self._keys.device_id
        }
        if not recipients:
            raise InvalidInput("There is no other member to export a bundle for.")
        return recipients

    def export(self, out: Path, for_devices: list[str] | None = None) -> BundleReport:
        """Write the ops the recipients likely lack (per the heads they last told us)."""
        info = self._mission.require()
        recipients = self._recipients(for_devices or [])
        known = {p.device: p.heads for p in self._vault.trust.peers()}
        replica = VaultReplica(self._vault, info, self._keys.device_id, self._clock, self._feed)
        mine = replica.heads()  # a revoked device's no further than peers admit
        # What the least informed recipient holds, author by author (unknown: nothing).
        theirs: dict[str, tuple[int, str]] = {}
        for author in mine:
            seqs = [int(known.get(r, {}).get(author, [0])[0]) for r in recipients]
            theirs[author] = (min(seqs), "")
        ops: list[tuple[bytes, bytes]] = []
        for segment in plan(mine, theirs, replica.segments):
            records = replica.read_ops(segment.author, segment.first, segment.last)
            ops.extend((r.payload(), r.signature) for r in records)
        bundle_id = uuid7()
        data = write_bundle(
            bundle_id=bundle_id,
            mission=info.id,
            sender=self._keys,
            created=self._clock.now(),
            heads=mine,
            recipients=recipients,
            trust=replica.trust_documents(),
            ops=ops,
        )
        write_carried_file(out, data)  # sealed per recipient: readable by them, not secret
        self._audit.record(
            AuditEvent.EXPORTED,
            what="bundle",
            bundle=bundle_id,
            recipients=len(recipients),
            operations=len(ops),
        )
        return BundleReport(bundle_id, self._keys.device_id, sorted(recipients), len(ops))

    def import_(self, path: Path, *, dry_run: bool = False) -> BundleReport:
        data = read_input_file(
            path,
            limit=MAX_BUNDLE_BYTES,
            too_large=f"{path.name} is larger than any bundle MissionDesk writes.",
        )
        info = self._mission.require()
        bundle = read_bundle(data)
        if bundle.mission != info.id:
            raise BundleRefused("This bundle belongs to another mission.")
        replica = VaultReplica(self._vault, info, self._keys.device_id, self._clock, self._feed)
        known_key = signing_key_for(bundle.sender, replica.trust)
        if known_key is not None and not signed_by(bundle, known_key):
            raise BundleRefused(ALTERED)
        seen = self._vault.trust.bundle_seen(bundle.bundle_id)
        if seen is not None:
            when = datetime.fromtimestamp(seen / 1000, UTC)
            raise BundleRefused(
                f"This bundle was already imported ({when:%d%H%MZ %b %y}); "
                "importing it again changes nothing."
            )
        trust_docs, ops = open_bundle(bundle, self._keys)
        if dry_run:  # views must not hear of changes that are rolled back
            replica = VaultReplica(
                self._vault, info, self._keys.device_id, self._clock, ChangeFeed()
            )
        addressed = bundle.header.get("recipients")
        report = BundleReport(
            bundle.bundle_id,
            bundle.sender,
            sorted(str(r) for r in addressed) if isinstance(addressed, list) else [],
            operations=len(ops),
            dry_run=dry_run,
        )
        try:
            if dry_run:
                with self._vault.rehearsal():
                    self._take(bundle, replica, trust_docs, ops, report)
            else:
                with self._vault.transaction():
                    self._take(bundle, replica, trust_docs, ops, report)
                    self._vault.trust.mark_bundle(bundle.bundle_id, bundle.sender)
                    self._vault.trust.record_peer(
                        bundle.sender, heads=bundle.heads(), result="bundle imported"
                    )
        except ProtocolError as exc:
            raise BundleRefused(f"The bundle was refused: {exc}. Nothing was imported.") from None
        if not dry_run:
            self._audit.record(
                AuditEvent.IMPORTED,
                what="bundle",
                bundle=bundle.bundle_id,
                operations=sum(report.added.values()),
            )
        return report

    def _take(
        self,
        bundle: Any,
        replica: VaultReplica,
        trust_docs: dict[str, Any],
        ops: list[Any],
        report: BundleReport,
    ) -> None:
        replica.add_trust_documents(trust_docs)
        key = signing_key_for(bundle.sender, replica.trust)
        if key is None:
            raise BundleRefused(
                "This bundle comes from a device that is not a member of the mission."
            )
        if not signed_by(bundle, key):  # a sender first known from the bundle's own documents
            raise BundleRefused(ALTERED)
        if replica.trust.revocation_of(bundle.sender) is not None:
            raise BundleRefused(
                f"This bundle comes from a revoked device ({fingerprint(bundle.sender)})."
            )
        intake = take_all(replica, ops)
        replica.settle()
        report.added.update(intake.kinds)
        report.refused = intake.refused
        report.reasons = intake.reasons
