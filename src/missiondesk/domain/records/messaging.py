"""Channels and messages."""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field

from missiondesk.domain.records.base import Record

MAX_MESSAGE_TEXT = 20_000


class Precedence(StrEnum):
    """NATO/ACP precedence, most urgent first."""

    FLASH = "flash"
    IMMEDIATE = "immediate"
    PRIORITY = "priority"
    ROUTINE = "routine"

    @property
    def prosign(self) -> str:
        return {"flash": "Z", "immediate": "O", "priority": "P", "routine": "R"}[self.value]

    @property
    def rank(self) -> int:
        """0 for FLASH .. 3 for ROUTINE: sort ascending to see the most urgent first."""
        return list(Precedence).index(self)

    @property
    def needs_acknowledgement(self) -> bool:
        return self in (Precedence.FLASH, Precedence.IMMEDIATE)

    @classmethod
    def parse(cls, text: str) -> Precedence:
        key = text.strip().lower()
        by_prosign = {p.prosign.lower(): p for p in cls}
        if key in by_prosign:
            return by_prosign[key]
        return cls(key)


class ChannelKind(StrEnum):
    MISSION = "mission"
    OUTPOST = "outpost"
    ROLE = "role"
    AD_HOC = "ad_hoc"
    DIRECT = "direct"


class Channel(Record):
    name: str = Field(min_length=1, max_length=80)
    kind: ChannelKind = ChannelKind.AD_HOC
    description: str = Field(default="", max_length=500)
    members: tuple[str, ...] = ()  # person ids; empty means everyone in the mission


class Message(Record):
    channel: str = Field(min_length=1, max_length=64)
    text: str = Field(min_length=1, max_length=MAX_MESSAGE_TEXT)
    precedence: Precedence = Precedence.ROUTINE
    reply_to: str | None = None
    attachments: tuple[str, ...] = ()
