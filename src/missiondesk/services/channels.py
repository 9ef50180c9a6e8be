"""Channels: mission-wide, outpost, role, ad hoc and direct; who each addresses; read marks.

A channel's members are person ids; none means everyone in the mission. Members decide who a
message is addressed to (and so who is asked to acknowledge FLASH and IMMEDIATE traffic) and
which channels a person's screens list. They are not a cryptographic boundary: every enrolled
laptop of the mission holds every channel in its own encrypted vault (see docs/messaging.md).
"""

from __future__ import annotations

from missiondesk.domain.cards import ChannelCard
from missiondesk.domain.digest import sha256
from missiondesk.domain.errors import InvalidInput
from missiondesk.domain.markings import Sensitivity
from missiondesk.domain.named_tuple import NamedTuple
from missiondesk.domain.record_enums import ChannelKind
from missiondesk.services.people import PeopleService, PersonEntry
from missiondesk.services.records import RecordService, validate
from missiondesk.store.vault import Vault

UNREAD_CAP = 1000  # counts stop here: "999+" says enough, and a huge backlog stays cheap
_KIND_ORDER = {
    ChannelKind.MISSION: 0,
    ChannelKind.OUTPOST: 1,
    ChannelKind.ROLE: 2,
    ChannelKind.AD_HOC: 3,
    ChannelKind.DIRECT: 4,
}
KIND_LABELS: dict[ChannelKind, str] = {
    ChannelKind.MISSION: "Mission-wide",
    ChannelKind.OUTPOST: "Outpost",
    ChannelKind.ROLE: "Role",
    ChannelKind.AD_HOC: "Ad hoc",
    ChannelKind.DIRECT: "Direct",
}


class ChannelView(NamedTuple):
    id: str
    channel: ChannelCard
    title: str  # "general", or the other person's callsign for a direct channel
    unread: int  # capped at UNREAD_CAP
    unread_urgent: int  # of them FLASH or IMMEDIATE
    members: tuple[str, ...]  # labels of the members; empty: everyone

    @property
    def kind(self) -> ChannelKind:
        return self.channel.kind

    @property
    def is_direct(self) -> bool:
        return self.channel.kind is ChannelKind.DIRECT

    @property
    def unread_text(self) -> str:
        if not self.unread:
            return ""
        return f"{UNREAD_CAP - 1}+" if self.unread >= UNREAD_CAP else str(self.unread)


def direct_channel_id(first: str, second: str) -> str:
    """The same id on every laptop for the direct channel of two people, so it is one record
    wherever either of them opens it first."""
    a, b = sorted((first, second))
    return "dm-" + sha256(f"{a}\n{b}".encode()).hex()[:40]


def _records_of(person_id: str, aliases: dict[str, str]) -> list[str]:
    """A person's roster record and the laptop's own records paired with it."""
    return [person_id, *(own for own, kept in aliases.items() if kept == person_id)]


class ChannelService:
    def __init__(self, vault: Vault, records: RecordService, people: PeopleService) -> None:
        self._vault = vault
        self._records = records
        self._people = people

    # -- the channels -------------------------------------------------------------------------

    def all(self) -> list[tuple[str, ChannelCard]]:
        return [(s.id, c) for s, c in self._records.cards("channel", ChannelCard.from_doc)]

    def find(self, name_or_id: str) -> tuple[str, ChannelCard] | None:
        wanted = name_or_id.strip().lstrip("#").casefold()
        for channel_id, channel in self.all():
            if channel_id == name_or_id or channel.name.casefold() == wanted:
                return channel_id, channel
        return None

    def require(self, name_or_id: str) -> tuple[str, ChannelCard]:
        found = self.find(name_or_id)
        if found is None:
            names = ", ".join(sorted(c.name for _, c in self.all())) or "none yet"
            raise InvalidInput(
                f"There is no channel '{name_or_id}' (channels: {names}).",
                hint="create one with: missiondesk channel create NAME",
            )
        return found

    def create(
        self,
        name: str,
        kind: ChannelKind = ChannelKind.AD_HOC,
        description: str = "",
        sensitivity: Sensitivity = Sensitivity.UNCLASSIFIED,
        members: tuple[str, ...] = (),
    ) -> str:
        """A new channel; `members` are person ids (this officer is added to a non-empty list)."""
        if kind is ChannelKind.DIRECT:
            raise InvalidInput("Open a direct channel with a person instead of creating one.")
        name = name.strip().lstrip("#").strip()
        if self.find(name) is not None:
            raise InvalidInput(f"A channel named '{name}' already exists.")
        known = {e.id for e in self._people.directory()}
        unknown = [m for m in members if m not in known]
        if unknown:
            raise InvalidInput(f"{len(unknown)} of the chosen members are not known here.")
        me = self._people.person_id
        chosen = tuple(sorted(set(members) | ({me} if members and me else set())))
        from missiondesk.domain.records.messaging import Channel  # pydantic: for writes

        channel = validate(
            Channel,
            {
                "name": name,
                "kind": kind,
                "description": description,
                "sensitivity": sensitivity,
                "members": chosen,
            },
        )
        channel_id, _ = self._records.create(channel)
        return channel_id

    def direct(self, person_id: str) -> str:
        """The direct channel between this officer and `person_id`, made if it does not exist.

        Either person may be known by two records (a laptop's own and the roster's:
        `PeopleService.one_person`); the channel is made for the roster's, so both laptops
        name the same one, and one made earlier for another pairing of the records is kept."""
        aliases = self._people.one_person()
        me = aliases.get(self._people.person_id, self._people.person_id)
        other = aliases.get(person_id, person_id)
        people = {e.id: e for e in self._people.directory()}
        if other not in people:
            raise InvalidInput("That person is not known on this laptop.")
        if other == me:
            raise InvalidInput("A direct channel needs another person.")
        channel_id = direct_channel_id(me, other)
        if self._vault.reads.get(channel_id) is None:
            earlier = sorted(
                direct_channel_id(a, b)
                for a in _records_of(me, aliases)
                for b in _records_of(other, aliases)
            )
            for candidate in earlier:
                if self._vault.reads.get(candidate) is not None:
                    return candidate
            labels = sorted(people[p].label if p in people else "?" for p in (me, other))
            name = " ↔ ".join(labels)
            from missiondesk.domain.records.messaging import Channel  # pydantic: for writes

            channel = validate(
                Channel,
                {
                    "name": name[:80],
                    "kind": ChannelKind.DIRECT,
                    "description": "Direct messages",
                    "members": tuple(sorted((me, other))),
                },
            )
            self._records.create(channel, entity_id=channel_id)
        return channel_id

    # -- who a channel addresses ----------------------------------------------------------------

    def audience(self, channel: ChannelCard) -> list[PersonEntry]:
        """The people a channel addresses: its members, or everyone known when it has none."""
        directory = self._people.directory()
        if not channel.members:
            return directory
        wanted = set(channel.members)
        return [e for e in directory if e.id in wanted]

    def concerns_me(self, channel: ChannelCard, mine: frozenset[str] | None = None) -> bool:
        """Addressed to everyone, or to this officer by either of their records (`my_ids`)."""
        if not channel.members:
            return True
        return not (mine if mine is not None else self._people.my_ids()).isdisjoint(channel.members)

    # -- the list the screens show -------------------------------------------------------------

    def overview(self) -> list[ChannelView]:
        """Channels addressed to this officer, mission-wide first, with unread counts."""
        marks = self._vault.messages.read_marks()
        labels = self._people.all_labels()  # people taken off the roster too
        me = self._people.person_id
        mine = self._people.my_ids()  # read once for the list
        views = []
        for channel_id, channel in self.all():
            if not self.concerns_me(channel, mine):
                continue
            unread, urgent = self._vault.messages.unread(
                channel_id, marks.get(channel_id, 0), UNREAD_CAP
            )
            title = channel.name
            if channel.kind is ChannelKind.DIRECT:
                others = [labels.get(m, "?") for m in channel.members if m != me]
                title = ", ".join(others) or channel.name
            members = tuple(sorted(labels.get(m, "?") for m in channel.members))
            views.append(ChannelView(channel_id, channel, title, unread, urgent, members))
        return sorted(views, key=lambda v: (_KIND_ORDER[v.kind], v.title.casefold()))

    def mark_read(self, channel_id: str, hlc: int) -> bool:
        """Everything in the channel up to `hlc` has been seen (read marks stay on this laptop)."""
        with self._vault.transaction():
            return self._vault.messages.mark_read(channel_id, hlc)
