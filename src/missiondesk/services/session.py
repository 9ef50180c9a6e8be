"""An unlocked vault with every service wired to it. Closing it drops the keys the app holds."""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property
from typing import TYPE_CHECKING

from missiondesk.crypto.signing import DeviceKeys
from missiondesk.domain.hlc import HybridClock, wall_clock_ms
from missiondesk.domain.ids import fingerprint
from missiondesk.services.attachments import AttachmentService
from missiondesk.services.audit import AuditService
from missiondesk.services.changes import ChangeFeed
from missiondesk.services.channels import ChannelService
from missiondesk.services.messaging import MessagingService
from missiondesk.services.people import PeopleService
from missiondesk.services.records import RecordService
from missiondesk.services.writer import OperationWriter
from missiondesk.store.vault import Vault

if TYPE_CHECKING:
    from missiondesk.services.alerts import AlertService
    from missiondesk.services.bundles import BundleService
    from missiondesk.services.checklists import ChecklistService
    from missiondesk.services.conflicts import ConflictService
    from missiondesk.services.drafts import DraftService
    from missiondesk.services.headcount import HeadcountService
    from missiondesk.services.incident_exports import ExportService
    from missiondesk.services.incidents import IncidentService
    from missiondesk.services.layers import LayerService
    from missiondesk.services.map_features import MapFeatureService
    from missiondesk.services.mission import MissionService
    from missiondesk.services.mission_package import MissionPackageService
    from missiondesk.services.movements import MovementService
    from missiondesk.services.protection_access import ProtectionAccess
    from missiondesk.services.reports import ReportService
    from missiondesk.services.roster import RosterService
    from missiondesk.services.search import SearchService
    from missiondesk.services.sync_service import SyncService
    from missiondesk.services.verification import VerifyReport
    from missiondesk.services.watch import Watch


class Session:
    """Made by `start`. A plain class (a dataclass costs ~1 ms to create, on the unlock's path);
    the services made when first used are cached properties below."""

    def __init__(
        self,
        *,
        vault: Vault,
        keys: DeviceKeys,
        clock: HybridClock,
        changes: ChangeFeed,
        writer: OperationWriter,
        records: RecordService,
        people: PeopleService,
        channels: ChannelService,
        attachments: AttachmentService,
        messaging: MessagingService,
        audit: AuditService,
        wall: Callable[[], int] = wall_clock_ms,
    ) -> None:
        self.vault = vault
        self.keys = keys
        self.clock = clock
        self.changes = changes
        self.writer = writer
        self.records = records
        self.people = people
        self.channels = channels
        self.attachments = attachments
        self.messaging = messaging
        self.audit = audit
        self.wall = wall

    @classmethod
    def start(
        cls, vault: Vault, audit_key: bytes, wall: Callable[[], int] = wall_clock_ms
    ) -> Session:
        """Wire the services to an open vault. `wall` is the wall clock in ms (tests drive it)."""
        device_id, signing, exchange = vault.load_identity()
        keys = DeviceKeys.from_private_bytes(signing, exchange)
        clock = HybridClock(last=vault.oplog.max_hlc(), wall=wall)
        feed = ChangeFeed()
        writer = OperationWriter(vault, keys, clock, feed, vault.get_meta("mission_id") or "")
        records = RecordService(vault, writer)
        people = PeopleService(vault, records, device_id)
        audit = AuditService(vault, audit_key)
        channels = ChannelService(vault, records, people)
        attachments = AttachmentService(vault, records, audit)
        return cls(
            vault=vault,
            keys=keys,
            clock=clock,
            changes=feed,
            writer=writer,
            records=records,
            people=people,
            channels=channels,
            attachments=attachments,
            messaging=MessagingService(vault, records, writer, people, channels, attachments),
            audit=audit,
            wall=wall,
        )

    # -- made when first used: the first screen after unlock is Messages -----------------------

    @cached_property
    def mission(self) -> MissionService:
        """The mission this laptop belongs to: membership, enrollment, the authority's work."""
        from missiondesk.services.mission import MissionService

        return MissionService(
            self.vault, self.writer, self.keys, self.records, self.audit, self.clock
        )

    @cached_property
    def sync(self) -> SyncService:
        """Peers, sync sessions and what is pending for them (the status bar's first read)."""
        from missiondesk.services.sync_service import SyncService

        return SyncService(self.vault, self.mission, self.device_id, self.clock, self.changes)

    @cached_property
    def drafts(self) -> DraftService:
        """The message being written when the vault locked, kept in it (services/drafts.py)."""
        from missiondesk.services.drafts import DraftService

        return DraftService(self.vault)

    @cached_property
    def search(self) -> SearchService:
        from missiondesk.services.search import SearchService

        return SearchService(self.vault)

    @cached_property
    def incidents(self) -> IncidentService:
        """Incidents, their taxonomy and workflow (made when first used: the first screen after
        unlock is Messages)."""
        from missiondesk.services.incident_taxonomy import TaxonomyService
        from missiondesk.services.incidents import IncidentService

        taxonomy = TaxonomyService(self.vault, self.records)
        return IncidentService(
            self.vault, self.records, self.people, self.mission, self.attachments, taxonomy
        )

    @cached_property
    def conflicts(self) -> ConflictService:
        """The conflicts sync recorded, for review (made when first used)."""
        from missiondesk.services.conflicts import ConflictService

        return ConflictService(self.vault, self.records, self.people)

    @cached_property
    def bundles(self) -> BundleService:
        """Made when first used: bundles bring in the sync engine, which unlocking (and the
        desktop's first screen) does not need."""
        from missiondesk.services.bundles import BundleService

        return BundleService(
            self.vault, self.mission, self.keys, self.clock, self.changes, self.audit
        )

    @cached_property
    def packages(self) -> MissionPackageService:
        """Mission packages: made by the mission authority, imported on a new laptop."""
        from missiondesk.services.mission_package import MissionPackageService

        return MissionPackageService(self.vault, self.writer, self.mission, self.audit, self.clock)

    @cached_property
    def layers(self) -> LayerService:
        """Map layers: MBTiles packages and GeoJSON / KML / KMZ / GPX overlays."""
        from missiondesk.services.layers import LayerService

        return LayerService(self.vault, self.records, self.writer, self.audit)

    @cached_property
    def features(self) -> MapFeatureService:
        """Points, outposts, routes, areas and no-go zones drawn on the map."""
        from missiondesk.services.map_features import MapFeatureService

        return MapFeatureService(self.records)

    @cached_property
    def reports(self) -> ReportService:
        """INCREP, SITREP and 9-line MEDEVAC as text or PDF (made when first used; a SITREP
        reads the movements, the roster, the headcounts and when peers were last met)."""
        from missiondesk.services.reports import ReportService

        return ReportService(
            self.incidents, self.people, self.attachments, self.audit,
            movements=self.movements, headcount=self.headcount, roster=self.roster,
            sync=lambda: self.sync.summary(self.peer_label), messaging=self.messaging,
        )  # fmt: skip

    @cached_property
    def exports(self) -> ExportService:
        """Incidents as CSV (optionally HXL) and GeoJSON files (made when first used)."""
        from missiondesk.services.incident_exports import ExportService

        return ExportService(self.incidents, self.audit)

    # -- personnel protection (made when first used) -------------------------------------------

    @cached_property
    def protection_access(self) -> ProtectionAccess:
        from missiondesk.services.protection_access import ProtectionAccess

        return ProtectionAccess(self.mission)

    @cached_property
    def checklists(self) -> ChecklistService:
        """Checklist templates, checklists and their items, compliance (made when first used:
        the first screen after unlock needs none of it)."""
        from missiondesk.services.checklist_templates import TemplateService
        from missiondesk.services.checklists import ChecklistService

        templates = TemplateService(self.vault, self.records, self.mission)
        return ChecklistService(
            self.vault, self.records, self.people, self.attachments, templates, self.wall
        )

    @cached_property
    def roster(self) -> RosterService:
        """The mission's people and their (Strictly Confidential) emergency details."""
        from missiondesk.services.roster import RosterService

        return RosterService(self.vault, self.records, self.people, self.protection_access)

    @cached_property
    def movements(self) -> MovementService:
        """Planned movements, check-ins, arrivals and the escalation of missed check-ins."""
        from missiondesk.services.movements import MovementService

        return MovementService(
            self.vault, self.records, self.people, self.roster, self.protection_access, self.wall
        )

    @cached_property
    def alerts(self) -> AlertService:
        """Escalation and panic alerts: list, acknowledge, panic."""
        from missiondesk.services.alerts import AlertService

        return AlertService(
            self.vault, self.records, self.people, self.roster, self.movements, self.mission,
            self.wall,
        )  # fmt: skip

    @cached_property
    def headcount(self) -> HeadcountService:
        """Emergency headcounts and their roll-up."""
        from missiondesk.services.headcount import HeadcountService

        return HeadcountService(
            self.vault, self.records, self.people, self.roster, self.protection_access, self.wall
        )

    @cached_property
    def watch(self) -> Watch:
        """`tick(now)`: escalates missed check-ins and finds the checklists that turned late;
        other watchers are added with `add`."""
        from missiondesk.services.watch import Watch

        watch = Watch(self.wall)
        watch.add("movements", self.movements.escalate)
        watch.add("checklists", self.checklists.turned_late)
        return watch

    @property
    def device_id(self) -> str:
        return self.keys.device_id

    def peer_label(self, device: str) -> str:
        """The callsign of the officer using `device`: from the records, else from its
        membership certificate (a peer met for the first time), else its fingerprint."""
        name = self.people.display_name(device)
        if name != fingerprint(device):
            return name
        for view in self.mission.members():
            if view.membership.device == device:
                return view.membership.callsign or view.membership.name
        return name

    def verify_operations(self) -> VerifyReport:
        from missiondesk.services.verification import verify_log

        return verify_log(self.vault)

    def close(self) -> None:
        self.vault.close()
