"""People, their devices and their roles."""

from __future__ import annotations

from pydantic import Field

from missiondesk.domain.markings import Sensitivity
from missiondesk.domain.record_enums import Role
from missiondesk.domain.records.base import Record


class Person(Record):
    name: str = Field(min_length=1, max_length=120)
    callsign: str = Field(default="", max_length=40)
    role: Role = Role.OFFICER
    unit: str = Field(default="", max_length=120)
    outpost: str = Field(default="", max_length=120)
    emergency_contact: str = Field(default="", max_length=500)
    # devices this person uses (ids); a device's own registration may name its person too
    devices: tuple[str, ...] = Field(default=(), max_length=20)


class Device(Record):
    """A laptop that signs operations; its id is derived from its signing key."""

    name: str = Field(default="", max_length=120)
    person: str = Field(default="", max_length=64)
    signing_key: str = Field(min_length=43, max_length=44)  # base64 of 32 bytes
    exchange_key: str = Field(min_length=43, max_length=44)
    sensitivity: Sensitivity = Sensitivity.CONFIDENTIAL


# Role lives in domain/record_enums.py (no pydantic); it is kept importable from here.
__all__ = ["Device", "Person", "Role"]
