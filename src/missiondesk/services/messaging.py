"""Channels and messages: send with precedence, list, acknowledge."""

from __future__ import annotations

from dataclasses import dataclass, field

from missiondesk.domain.dtg import format_dtg
from missiondesk.domain.errors import InvalidInput
from missiondesk.domain.hlc import to_datetime
from missiondesk.domain.records.base import Sensitivity
from missiondesk.domain.records.messaging import Channel, ChannelKind, Message, Precedence
from missiondesk.services.people import PeopleService
from missiondesk.services.records import RecordService, validate
from missiondesk.services.writer import OperationWriter
from missiondesk.store.vault import Vault


@dataclass(frozen=True)
class MessageView:
    id: str
    channel_id: str
    channel: str
    author: str
    author_name: str
    hlc: int
    precedence: Precedence
    sensitivity: Sensitivity
    text: str
    acknowledged_by: tuple[str, ...] = field(default=())

    @property
    def dtg(self) -> str:
        return format_dtg(to_datetime(self.hlc))

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
        }


class MessagingService:
    def __init__(
        self, vault: Vault, records: RecordService, writer: OperationWriter, people: PeopleService
    ) -> None:
        self._vault = vault
        self._records = records
        self._writer = writer
        self._people = people

    def create_channel(
        self,
        name: str,
        kind: ChannelKind = ChannelKind.AD_HOC,
        description: str = "",
        sensitivity: Sensitivity = Sensitivity.UNCLASSIFIED,
    ) -> str:
        if self.find_channel(name) is not None:
            raise InvalidInput(f"A channel named '{name}' already exists.")
        channel = validate(
            Channel,
            {"name": name, "kind": kind, "description": description, "sensitivity": sensitivity},
        )
        channel_id, _ = self._records.create(channel)
        return channel_id

    def channels(self) -> list[tuple[str, Channel]]:
        return [(s.id, c) for s, c in self._records.list(Channel)]

    def find_channel(self, name_or_id: str) -> tuple[str, Channel] | None:
        wanted = name_or_id.strip().lstrip("#").casefold()
        for channel_id, channel in self.channels():
            if channel_id == name_or_id or channel.name.casefold() == wanted:
                return channel_id, channel
        return None

    def require_channel(self, name_or_id: str) -> tuple[str, Channel]:
        found = self.find_channel(name_or_id)
        if found is None:
            names = ", ".join(sorted(c.name for _, c in self.channels())) or "none yet"
            raise InvalidInput(
                f"There is no channel '{name_or_id}' (channels: {names}).",
                hint="create one with: missiondesk channel create NAME",
            )
        return found

    def send(
        self,
        channel: str,
        text: str,
        precedence: Precedence = Precedence.ROUTINE,
        sensitivity: Sensitivity = Sensitivity.UNCLASSIFIED,
        attachments: tuple[str, ...] = (),
    ) -> str:
        channel_id, _ = self.require_channel(channel)
        message = validate(
            Message,
            {
                "channel": channel_id,
                "text": text,
                "precedence": precedence,
                "sensitivity": sensitivity,
                "attachments": attachments,
            },
        )
        message_id, _ = self._records.create(message)
        return message_id

    def acknowledge(self, message_id: str) -> None:
        self._records.stored(Message, message_id)
        self._writer.submit("message.ack", message_id, {})

    def list(
        self, channel: str | None = None, limit: int = 100, before_hlc: int | None = None
    ) -> list[MessageView]:
        channel_id = self.require_channel(channel)[0] if channel else None
        names = {cid: c.name for cid, c in self.channels()}
        views = []
        page = self._vault.reads.messages(channel_id, limit=limit, before_hlc=before_hlc)
        acks_of = self._vault.reads.acknowledgements_of([s.id for s in page])
        for stored in page:
            doc = stored.doc
            acks = acks_of[stored.id]
            views.append(
                MessageView(
                    id=stored.id,
                    channel_id=str(doc["channel"]),
                    channel=names.get(str(doc["channel"]), "?"),
                    author=stored.author,
                    author_name=self._people.display_name(stored.author),
                    hlc=stored.created_hlc,
                    precedence=Precedence(doc.get("precedence", "routine")),
                    sensitivity=Sensitivity(doc.get("sensitivity", "unclassified")),
                    text=str(doc.get("text", "")),
                    acknowledged_by=tuple(sorted(self._people.display_name(d) for d in acks)),
                )
            )
        return views
