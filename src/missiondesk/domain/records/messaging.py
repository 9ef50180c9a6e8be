"""Channels and messages."""

from __future__ import annotations

from pydantic import Field

from missiondesk.domain.markings import Precedence
from missiondesk.domain.record_enums import MAX_MESSAGE_TEXT, ChannelKind
from missiondesk.domain.records.base import Record


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


# Precedence (domain/markings.py), ChannelKind and MAX_MESSAGE_TEXT (domain/record_enums.py)
# have no pydantic; they are kept importable from here.
__all__ = ["MAX_MESSAGE_TEXT", "Channel", "ChannelKind", "Message", "Precedence"]
