"""Records as reads see them: plain named tuples read from stored documents, no pydantic.

Every document in the vault was written through a record model (`domain/records/`), which
checked it. Reading one back needs no second validation, only the fields, so the screens'
reads of people, devices, channels and attachments use these cards, and the first screen after
unlock (Messages) is read without loading pydantic (docs/architecture.md, "Start-up").

A card has the model's fields and defaults (tests/domain/test_cards.py holds them to it). A
document is left out (`from_doc` gives None) where the model would refuse it for a missing
required field or a value of the wrong type: a partial record (an update that arrived before
its create) stays out of every list until it is complete, as before. So is one with a field
longer than the model allows: documents from peers are not validated again when they are
folded, and a bad peer's megabyte of name would otherwise reach every list. Patterns (an
attachment's sha256) are not checked again.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any, TypeVar

from missiondesk.domain.markings import Sensitivity
from missiondesk.domain.named_tuple import NamedTuple
from missiondesk.domain.record_enums import MAX_ATTACHMENT_BYTES, ChannelKind, Role

E = TypeVar("E", bound=StrEnum)


class _Refused(Exception):
    """The document lacks a required field or has a value of the wrong type."""


class _Fields:
    def __init__(self, doc: dict[str, Any]) -> None:
        self._doc = doc

    def text(
        self, key: str, default: str | None = None, *, longest: int, non_empty: bool = False
    ) -> str:
        value = self._doc.get(key, default)
        if not isinstance(value, str) or (non_empty and not value) or len(value) > longest:
            raise _Refused(key)
        return value

    def texts(self, key: str, *, most: int | None = None) -> tuple[str, ...]:
        value = self._doc.get(key, ())
        if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
            raise _Refused(key)
        if most is not None and len(value) > most:
            raise _Refused(key)
        return tuple(value)

    def number(self, key: str, *, most: int) -> int:
        value = self._doc.get(key)
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= most:
            raise _Refused(key)
        return value

    def choice(self, key: str, kind: type[E], default: E) -> E:
        value = self._doc.get(key, default.value)
        try:
            return kind(value)
        except ValueError:
            raise _Refused(key) from None

    def sensitivity(self) -> Sensitivity:
        return self.choice("sensitivity", Sensitivity, Sensitivity.UNCLASSIFIED)


class PersonCard(NamedTuple):
    """A person (`domain.records.people.Person`)."""

    name: str
    callsign: str = ""
    role: Role = Role.OFFICER
    unit: str = ""
    outpost: str = ""
    emergency_contact: str = ""
    devices: tuple[str, ...] = ()
    sensitivity: Sensitivity = Sensitivity.UNCLASSIFIED

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> PersonCard | None:
        f = _Fields(doc)
        try:
            return cls(
                name=f.text("name", longest=120, non_empty=True),
                callsign=f.text("callsign", "", longest=40),
                role=f.choice("role", Role, Role.OFFICER),
                unit=f.text("unit", "", longest=120),
                outpost=f.text("outpost", "", longest=120),
                emergency_contact=f.text("emergency_contact", "", longest=500),
                devices=f.texts("devices", most=20),
                sensitivity=f.sensitivity(),
            )
        except _Refused:
            return None


class DeviceCard(NamedTuple):
    """A laptop that signs operations (`domain.records.people.Device`)."""

    signing_key: str
    exchange_key: str
    name: str = ""
    person: str = ""
    sensitivity: Sensitivity = Sensitivity.CONFIDENTIAL

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> DeviceCard | None:
        f = _Fields(doc)
        try:
            return cls(
                signing_key=f.text("signing_key", longest=44, non_empty=True),
                exchange_key=f.text("exchange_key", longest=44, non_empty=True),
                name=f.text("name", "", longest=120),
                person=f.text("person", "", longest=64),
                sensitivity=f.choice("sensitivity", Sensitivity, Sensitivity.CONFIDENTIAL),
            )
        except _Refused:
            return None


class ChannelCard(NamedTuple):
    """A channel (`domain.records.messaging.Channel`); no members means the whole mission."""

    name: str
    kind: ChannelKind = ChannelKind.AD_HOC
    description: str = ""
    members: tuple[str, ...] = ()
    sensitivity: Sensitivity = Sensitivity.UNCLASSIFIED

    def as_json(self) -> dict[str, Any]:
        """The fields as the model writes them (`model_dump(mode="json")`)."""
        return {
            "sensitivity": self.sensitivity.value,
            "name": self.name,
            "kind": self.kind.value,
            "description": self.description,
            "members": list(self.members),
        }

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> ChannelCard | None:
        f = _Fields(doc)
        try:
            return cls(
                name=f.text("name", longest=80, non_empty=True),
                kind=f.choice("kind", ChannelKind, ChannelKind.AD_HOC),
                description=f.text("description", "", longest=500),
                members=f.texts("members"),
                sensitivity=f.sensitivity(),
            )
        except _Refused:
            return None


class AttachmentCard(NamedTuple):
    """A file kept encrypted in the vault (`domain.records.attachments.Attachment`)."""

    name: str
    size: int
    sha256: str
    mime: str = "application/octet-stream"
    sensitivity: Sensitivity = Sensitivity.UNCLASSIFIED

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> AttachmentCard | None:
        f = _Fields(doc)
        try:
            return cls(
                name=f.text("name", longest=255, non_empty=True),
                size=f.number("size", most=MAX_ATTACHMENT_BYTES),
                sha256=f.text("sha256", longest=64, non_empty=True),
                mime=f.text("mime", "application/octet-stream", longest=127),
                sensitivity=f.sensitivity(),
            )
        except _Refused:
            return None
