"""What the Sync section shows, read from the vault in one call on the vault's thread."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from missiondesk.domain.records.people import Role
from missiondesk.domain.trust import MemberStatus
from missiondesk.services.conflicts import ConflictView
from missiondesk.services.mission import MemberView, MissionInfo
from missiondesk.services.session import Session
from missiondesk.services.sync_service import PeerSeen

if TYPE_CHECKING:  # loaded when a package is read, not with the window
    from missiondesk.domain.mission_package import PackageMission

ROLE_LABELS: dict[Role, str] = {
    Role.OFFICER: "Officer",
    Role.DUTY_OFFICER: "Duty officer",
    Role.COMMS_OFFICER: "Comms officer",
    Role.SECURITY_OFFICER: "Security officer",
    Role.COMMANDER: "Commander",
    Role.OBSERVER: "Observer",
}
STATUS_LABELS: dict[MemberStatus, str] = {
    MemberStatus.ACTIVE: "Active",
    MemberStatus.HELD: "Held for review",
    MemberStatus.EXPIRED: "Certificate expired",
    MemberStatus.REVOKED: "Revoked",
}


@dataclass(frozen=True)
class SyncOverview:
    device_id: str
    mission: MissionInfo | None
    authority_here: bool = False
    me: MemberView | None = None
    members: tuple[MemberView, ...] = ()
    peers: tuple[PeerSeen, ...] = ()  # most recently seen first
    conflicts: tuple[ConflictView, ...] = ()
    waiting: int = 0  # this laptop's operations no peer is known to hold
    my_label: str = ""  # this officer's callsign, else name (for suggested file names)
    pinned: PackageMission | None = None  # outside a mission: the one a package set it up for

    @property
    def in_mission(self) -> bool:
        return self.mission is not None

    def role_text(self) -> str:
        """'Comms officer, mission authority' or 'Officer', for the line under the title."""
        if self.me is None:
            return "not yet listed among the members"
        text = ROLE_LABELS[self.me.membership.role]
        if self.authority_here:
            text += ", mission authority (approves and revokes laptops)"
        if self.me.status is not MemberStatus.ACTIVE:
            text += f" ({STATUS_LABELS[self.me.status].lower()})"
        return text

    def others(self) -> list[MemberView]:
        """Active members other than this laptop: whom a bundle can be for."""
        return [
            m
            for m in self.members
            if m.membership.device != self.device_id and m.status is MemberStatus.ACTIVE
        ]


def load_overview(session: Session) -> SyncOverview:
    """On the vault's thread."""
    info = session.mission.info()
    summary = session.sync.summary(session.peer_label)
    person = session.people.me()
    label = (person.callsign or person.name) if person is not None else ""
    if info is None:
        return SyncOverview(
            session.device_id,
            None,
            peers=summary.peers,
            waiting=summary.waiting,
            my_label=label,
            pinned=session.mission.pinned(),
        )
    members = session.mission.members()
    me = next((m for m in members if m.membership.device == session.device_id), None)
    return SyncOverview(
        device_id=session.device_id,
        mission=info,
        authority_here=session.mission.is_authority(),
        me=me,
        members=tuple(members),
        peers=summary.peers,
        conflicts=tuple(session.conflicts.list()),
        waiting=summary.waiting,
        my_label=label,
    )
