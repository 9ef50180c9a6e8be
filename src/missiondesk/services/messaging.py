"""Messages: send with precedence, sensitivity and attachments; read a channel page by page;
acknowledge; see who has acknowledged and where one's own messages are."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from missiondesk.domain.cards import ChannelCard
from missiondesk.domain.dtg import format_dtg
from missiondesk.domain.errors import InvalidInput
from missiondesk.domain.hlc import to_datetime
from missiondesk.domain.ids import uuid7
from missiondesk.domain.markings import Precedence, Sensitivity
from missiondesk.domain.named_tuple import NamedTuple
from missiondesk.domain.record_enums import MAX_MESSAGE_TEXT, ChannelKind
from missiondesk.services.attachments import AttachmentInfo, AttachmentService, NewAttachment
from missiondesk.services.channels import ChannelService
from missiondesk.services.delivery import MessageState, PeerHoldings
from missiondesk.services.people import PeopleService, PersonEntry
from missiondesk.services.records import RecordService, type_name, validate
from missiondesk.services.writer import Change, OperationWriter
from missiondesk.store.message_reads import Cursor, MessageRow
from missiondesk.store.vault import Vault

PAGE = 100
URGENT_SCAN = 500  # how many unacknowledged FLASH/IMMEDIATE messages the banner looks at
URGENT_CHUNK = 100  # read that many at a time: usually the first chunk holds what it shows
CUT_NOTE = " … (cut: longer than a message may be)"


# A message's fields as read for showing. Documents from peers are not validated again when they
# are folded, so a field another app wrote past the model's limits must not make a channel
# unreadable or slow every paint: an unknown precedence reads as ROUTINE, an unknown marking as
# the highest (domain/markings.py), a text longer than a message may be is cut, and odd
# attachment lists are ignored.


def _text_of(doc: dict[str, Any]) -> str:
    value = doc.get("text", "")
    text = value if isinstance(value, str) else str(value)
    return text if len(text) <= MAX_MESSAGE_TEXT else text[:MAX_MESSAGE_TEXT] + CUT_NOTE


def _attachment_ids_of(doc: dict[str, Any]) -> list[str]:
    value = doc.get("attachments") or []
    if not isinstance(value, list | tuple):
        return []
    return [v for v in value if isinstance(v, str)]


class MessageView(NamedTuple):
    id: str
    channel_id: str
    channel: str
    author: str
    author_name: str
    hlc: int
    precedence: Precedence
    sensitivity: Sensitivity
    text: str
    acknowledged_by: tuple[str, ...] = ()
    cursor: Cursor = (0, 0)
    mine: bool = False
    awaiting: tuple[str, ...] = ()  # addressed people who have not acknowledged (FLASH/IMM.)
    acked_by_me: bool = False
    state: MessageState = MessageState.RECEIVED
    delivered_to: int = 0  # addressed people known to hold it (own messages)
    audience: int = 0  # people addressed, the author left out
    attachments: tuple[AttachmentInfo, ...] = ()
    addressed_to_me: bool = True
    direct: bool = False  # in a direct channel (`channel` is then the other person's label)

    @property
    def dtg(self) -> str:
        return format_dtg(to_datetime(self.hlc))

    @property
    def needs_acknowledgement(self) -> bool:
        return self.precedence.needs_acknowledgement

    @property
    def needs_my_ack(self) -> bool:
        return (
            self.needs_acknowledgement
            and not self.mine
            and not self.acked_by_me
            and self.addressed_to_me
        )

    @property
    def status_text(self) -> str:
        """One short phrase for the message's line: where it is, who acknowledged."""
        if not self.mine:
            if not self.needs_acknowledgement:
                return ""
            return "Acknowledged" if self.acked_by_me else "Acknowledge"
        acks = len(self.acknowledged_by)
        if self.state is MessageState.ACKNOWLEDGED:
            return f"Acknowledged {acks}/{self.audience}"
        if self.state is MessageState.DELIVERED:
            text = f"Delivered {self.delivered_to}/{self.audience}"
            if self.needs_acknowledgement:
                text += f" · {acks} ack"
            return text
        return self.state.label

    def as_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "channel": self.channel,
            "channel_id": self.channel_id,
            "author": self.author,
            "author_name": self.author_name,
            "time": to_datetime(self.hlc).isoformat(),
            "dtg": self.dtg,
            "precedence": self.precedence.value.upper(),
            "sensitivity": self.sensitivity.value,
            "text": self.text,
            "acknowledged_by": list(self.acknowledged_by),
            "awaiting_acknowledgement": list(self.awaiting),
            "state": self.state.value,
            "attachments": [a.as_json() for a in self.attachments],
        }


class Around(NamedTuple):
    """A page of a channel centred on one message (search results open in context)."""

    rows: list[MessageView]  # newest first
    target: int  # index of the message in `rows`
    newest: bool  # nothing newer exists beyond rows[0]


class FoundMessage(NamedTuple):
    """A search hit: the message, and a snippet with each match between \\x02 and \\x03."""

    message: MessageView
    snippet: str


class _ViewContext:
    """What turning a page of rows into views needs, read once per page; what depends only on
    the channel (and the author) is worked out once per page too, not once per message."""

    def __init__(self, service: MessagingService) -> None:
        self.me_device = service.device_id
        self.me_person = service._people.person_id
        self.mine = service._people.my_ids()  # my record, and the roster's of me
        self.channels = dict(service._channels.all())
        self.directory = service._people.directory()
        self.revoked = service._vault.trust.revoked_devices()  # their acks never come
        self.person_of_device = {d: e.id for e in self.directory for d in e.devices}
        self.labels = {e.id: e.label for e in self.directory}
        self.holdings = PeerHoldings.load(service._vault, self.me_device)
        self._audiences: dict[tuple[str, str], list[PersonEntry]] = {}
        self._titles: dict[str, str] = {}

    def audience(self, channel: ChannelCard | None, author_person: str) -> list[PersonEntry]:
        if channel is None:
            return []
        wanted = set(channel.members)
        return [
            e
            for e in self.directory
            if (not wanted or e.id in wanted)
            and e.id != author_person
            and not e.devices <= self.revoked  # a laptop still in the mission (and at least one)
        ]

    def audience_in(self, channel_id: str, author_person: str) -> list[PersonEntry]:
        key = (channel_id, author_person)
        found = self._audiences.get(key)
        if found is None:
            found = self._audiences[key] = self.audience(
                self.channels.get(channel_id), author_person
            )
        return found

    def addressed_to_me(self, channel: ChannelCard | None) -> bool:
        return channel is None or not channel.members or not self.mine.isdisjoint(channel.members)

    def title(self, channel_id: str) -> str:
        found = self._titles.get(channel_id)
        if found is None:
            channel = self.channels.get(channel_id)
            found = channel.name if channel else "?"
            if channel is not None and channel.kind is ChannelKind.DIRECT:
                others = [self.labels.get(m, "?") for m in channel.members if m != self.me_person]
                found = ", ".join(others) or found
            self._titles[channel_id] = found
        return found


class MessagingService:
    def __init__(
        self,
        vault: Vault,
        records: RecordService,
        writer: OperationWriter,
        people: PeopleService,
        channels: ChannelService,
        attachments: AttachmentService,
    ) -> None:
        self._vault = vault
        self._records = records
        self._writer = writer
        self._people = people
        self._channels = channels
        self._attachments = attachments

    @property
    def device_id(self) -> str:
        return self._people.device_id

    # -- channels (kept here for the command line and scripts) ---------------------------------

    def create_channel(
        self,
        name: str,
        kind: ChannelKind = ChannelKind.AD_HOC,
        description: str = "",
        sensitivity: Sensitivity = Sensitivity.UNCLASSIFIED,
    ) -> str:
        return self._channels.create(name, kind, description, sensitivity)

    def channels(self) -> list[tuple[str, ChannelCard]]:
        return self._channels.all()

    def find_channel(self, name_or_id: str) -> tuple[str, ChannelCard] | None:
        return self._channels.find(name_or_id)

    def require_channel(self, name_or_id: str) -> tuple[str, ChannelCard]:
        return self._channels.require(name_or_id)

    # -- writing -------------------------------------------------------------------------------

    def send(
        self,
        channel: str,
        text: str,
        precedence: Precedence = Precedence.ROUTINE,
        sensitivity: Sensitivity = Sensitivity.UNCLASSIFIED,
        attachments: Sequence[NewAttachment] = (),
        reply_to: str | None = None,
    ) -> str:
        """Send a message with its files: one transaction, so it arrives whole or not at all."""
        channel_id, found = self.require_channel(channel)
        if sensitivity.rank < found.sensitivity.rank:  # never below its channel's level
            sensitivity = found.sensitivity
        changes: list[Change] = []
        attachment_ids: list[str] = []
        for new in attachments:
            entity, change = self._attachments.change_for(new, sensitivity)
            attachment_ids.append(entity)
            changes.append(change)
        if not text.strip() and attachment_ids:
            text = ", ".join(a.name for a in attachments)
        from missiondesk.domain.records.messaging import Message  # pydantic: for writes

        message = validate(
            Message,
            {
                "channel": channel_id,
                "text": text,
                "precedence": precedence,
                "sensitivity": sensitivity,
                "attachments": tuple(attachment_ids),
                "reply_to": reply_to,
            },
        )
        message_id = uuid7()
        body: dict[str, Any] = {"fields": message.model_dump(mode="json")}
        changes.append((f"{type_name(Message)}.create", message_id, body))
        self._writer.submit_many(changes)
        stored = self._vault.reads.get(message_id)
        if stored is not None:  # what one writes one has read
            self._channels.mark_read(channel_id, stored.created_hlc)
        return message_id

    def acknowledge(self, message_id: str) -> None:
        from missiondesk.domain.records.messaging import Message

        self._records.stored(Message, message_id)
        if self.device_id in self._vault.reads.acknowledgements(message_id):
            return
        self._writer.submit("message.ack", message_id, {})

    # -- reading -------------------------------------------------------------------------------

    def older(
        self, channel_id: str, before: Cursor | None = None, limit: int = PAGE
    ) -> list[MessageView]:
        """A page of a channel, newest first, older than `before` (the newest page if None)."""
        return self._views(self._vault.messages.older(channel_id, before, limit))

    def newer(self, channel_id: str, after: Cursor, limit: int = PAGE) -> list[MessageView]:
        """Messages newer than `after`, newest first (what arrived since a page was read)."""
        rows = self._vault.messages.newer(channel_id, after, limit)
        rows.reverse()
        return self._views(rows)

    def views_of(self, message_ids: list[str]) -> list[MessageView]:
        return self._views(self._vault.messages.by_ids(message_ids))

    def around(self, message_id: str, before: int = 30, after: int = 30) -> Around:
        """The message with up to `after` newer and `before` older ones of its channel."""
        found = self._vault.messages.by_ids([message_id])
        if not found:
            raise InvalidInput("That message is not in this vault.")
        row = found[0]
        channel = str(row.record.doc.get("channel", ""))
        newer = self._vault.messages.newer(channel, row.cursor, after + 1)
        newest = len(newer) <= after
        newer = newer[:after]
        newer.reverse()
        older = self._vault.messages.older(channel, row.cursor, before)
        views = self._views([*newer, row, *older])
        return Around(views, len(newer), newest)

    def search(self, text: str, limit: int = 50, channel: str | None = None) -> list[FoundMessage]:
        """Messages matching every word of `text` (the last one as a prefix), newest first."""
        hits = self._vault.messages.search(text, limit=limit, channel=channel)
        views = self._views([h.row for h in hits])
        return [FoundMessage(v, h.snippet) for v, h in zip(views, hits, strict=True)]

    def count(self, channel_id: str) -> int:
        return self._vault.messages.count(channel_id)

    def waiting_for_my_ack(self, limit: int = 50) -> list[MessageView]:
        """FLASH and IMMEDIATE messages addressed to this officer that wait for an ack."""
        # The rows are FLASH/IMMEDIATE and not acknowledged by this device, newest first, read
        # URGENT_CHUNK at a time up to URGENT_SCAN; views are made only for the first `limit`
        # that are someone else's and addressed to this officer (what needs_my_ack checks).
        ctx: _ViewContext | None = None
        wanted: list[MessageRow] = []
        before: Cursor | None = None
        scanned = 0
        while scanned < URGENT_SCAN and len(wanted) < limit:
            rows = self._vault.messages.unacknowledged_urgent(
                self.device_id, min(URGENT_CHUNK, URGENT_SCAN - scanned), before
            )
            if not rows:
                break
            ctx = ctx or _ViewContext(self)
            scanned, before = scanned + len(rows), rows[-1].cursor
            for row in rows:
                channel = ctx.channels.get(str(row.record.doc.get("channel", "")))
                if row.record.author != ctx.me_device and ctx.addressed_to_me(channel):
                    wanted.append(row)
                    if len(wanted) == limit:
                        break
        return [v for v in self._views(wanted, ctx) if v.needs_my_ack][:limit]

    def _views(self, rows: list[MessageRow], ctx: _ViewContext | None = None) -> list[MessageView]:
        if not rows:
            return []
        ctx = ctx or _ViewContext(self)
        acks_of = self._vault.reads.acknowledgements_of([r.record.id for r in rows])
        own_hlcs = [r.record.created_hlc for r in rows if r.record.author == ctx.me_device]
        seqs = self._vault.messages.own_sequence_numbers(ctx.me_device, own_hlcs)
        return [self._view(ctx, row, acks_of[row.record.id], seqs) for row in rows]

    def _view(
        self, ctx: _ViewContext, row: MessageRow, acks: dict[str, int], seqs: dict[int, int]
    ) -> MessageView:
        stored = row.record
        doc = stored.doc
        channel_id = str(doc.get("channel", ""))
        channel = ctx.channels.get(channel_id)
        author_person = ctx.person_of_device.get(stored.author, "")
        precedence = Precedence.of_stored(doc.get("precedence", "routine"))
        audience = ctx.audience_in(channel_id, author_person)
        acked_people = {ctx.person_of_device.get(d, d) for d in acks} if acks else set()
        mine = stored.author == ctx.me_device
        state, delivered = MessageState.RECEIVED, 0
        if mine:
            holders = ctx.holdings.holders(seqs.get(stored.created_hlc, 1 << 62))
            holding_people = {ctx.person_of_device.get(d, d) for d in holders} | acked_people
            delivered = sum(1 for e in audience if e.id in holding_people)
            everyone_acked = bool(audience) and all(e.id in acked_people for e in audience)
            if precedence.needs_acknowledgement and everyone_acked:
                state = MessageState.ACKNOWLEDGED
            elif delivered:
                state = MessageState.DELIVERED
            elif holders:
                state = MessageState.SENT
            else:
                state = MessageState.QUEUED
        awaiting: tuple[str, ...] = ()
        if precedence.needs_acknowledgement:
            awaiting = tuple(e.label for e in audience if e.id not in acked_people)
        attachment_ids = _attachment_ids_of(doc)
        return MessageView(
            id=stored.id,
            channel_id=channel_id,
            channel=ctx.title(channel_id),
            author=stored.author,
            author_name=self._people.display_name(stored.author),
            hlc=stored.created_hlc,
            precedence=precedence,
            sensitivity=Sensitivity.of_stored(doc.get("sensitivity", "unclassified")),
            text=_text_of(doc),
            acknowledged_by=tuple(sorted(self._people.display_name(d) for d in acks))
            if acks
            else (),
            cursor=row.cursor,
            mine=mine,
            awaiting=awaiting,
            acked_by_me=ctx.me_device in acks,
            state=state,
            delivered_to=delivered,
            audience=len(audience),
            attachments=tuple(self._attachments.info(attachment_ids)) if attachment_ids else (),
            addressed_to_me=ctx.addressed_to_me(channel),
            direct=channel is not None and channel.kind is ChannelKind.DIRECT,
        )

    def list(
        self, channel: str | None = None, limit: int = 100, before_hlc: int | None = None
    ) -> list[MessageView]:
        """The newest `limit` messages (of one channel or all), oldest first: the CLI's view."""
        channel_id = self.require_channel(channel)[0] if channel else None
        page = self._vault.reads.messages(channel_id, limit=limit, before_hlc=before_hlc)
        rows = {r.record.id: r for r in self._vault.messages.by_ids([s.id for s in page])}
        return self._views([rows[s.id] for s in page if s.id in rows])
