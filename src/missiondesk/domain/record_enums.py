"""The enumerations and limits the record models use, in a module without pydantic.

The record models (`domain/records/`) re-export them. Reads of the first screen
(`domain/cards.py`) and the screens name them without loading pydantic
(docs/architecture.md, "Start-up").
"""

from __future__ import annotations

from enum import StrEnum

MAX_MESSAGE_TEXT = 20_000
MAX_ATTACHMENT_BYTES = 8 * 1024 * 1024


class ChannelKind(StrEnum):
    MISSION = "mission"
    OUTPOST = "outpost"
    ROLE = "role"
    AD_HOC = "ad_hoc"
    DIRECT = "direct"


class Role(StrEnum):
    OFFICER = "officer"
    DUTY_OFFICER = "duty_officer"
    COMMS_OFFICER = "comms_officer"
    SECURITY_OFFICER = "security_officer"
    COMMANDER = "commander"
    OBSERVER = "observer"
