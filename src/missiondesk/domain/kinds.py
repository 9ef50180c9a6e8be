"""Which operation kinds exist, what each does to the materialized records, and what is searchable.

Kinds are ``<record type>.<action>``. Every record type merges per field, last writer wins by
(hlc, author); messages are append-only (no ``message.update``); deletions are tombstones.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator, Mapping
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from missiondesk.domain.markings import Precedence

if TYPE_CHECKING:
    from missiondesk.domain.records.base import Record


class Action(StrEnum):
    REGISTER = "register"  # a device announces its keys (the first op of every author)
    SET = "set"  # create or update fields
    DELETE = "delete"  # tombstone
    ACK = "ack"  # a device acknowledges a message
    GRANT = "grant"  # the mission authority certifies a member
    REVOKE = "revoke"  # the mission authority revokes a member


# record type -> "module:Model" under missiondesk.domain.records
_MODELS: dict[str, str] = {
    "person": "people:Person",
    "device": "people:Device",
    "channel": "messaging:Channel",
    "message": "messaging:Message",
    "incident": "incidents:Incident",
    "incident_taxonomy": "incidents:IncidentTaxonomy",
    "checklist_template": "checklists:ChecklistTemplate",
    "checklist": "checklists:Checklist",
    "checklist_item": "checklists:ChecklistItem",
    "map_feature": "mapping:MapFeature",
    "map_layer": "layers:MapLayer",
    "attachment": "attachments:Attachment",
    "mission": "mission:Mission",
    "emergency_details": "roster:EmergencyDetails",
    "movement": "movements:Movement",
    "movement_checkin": "movements:MovementCheckin",
    "alert": "alerts:Alert",
    "headcount": "headcount:Headcount",
    "headcount_mark": "headcount:HeadcountMark",
}


class RecordTypes(Mapping[str, "type[Record]"]):
    """Record type -> its model, each model's module imported when that type is first looked
    up: the first screen after unlock (messages) then loads the models it shows, not all 19."""

    def __init__(self, models: dict[str, str]) -> None:
        self._models = models
        self._type_of_spec = {spec: record_type for record_type, spec in models.items()}
        self._loaded: dict[str, type[Record]] = {}

    def __getitem__(self, record_type: str) -> type[Record]:
        model = self._loaded.get(record_type)
        if model is None:
            module, name = self._models[record_type].split(":")
            model = getattr(importlib.import_module(f"missiondesk.domain.records.{module}"), name)
            self._loaded[record_type] = model
        return model

    def __iter__(self) -> Iterator[str]:
        return iter(self._models)

    def __len__(self) -> int:
        return len(self._models)

    def __contains__(self, record_type: object) -> bool:
        return record_type in self._models

    def type_of(self, model: type[Record]) -> str:
        """The record type of a model class (KeyError if it is not a record type's)."""
        module = model.__module__.removeprefix("missiondesk.domain.records.")
        found = self._type_of_spec.get(f"{module}:{model.__name__}")
        if found is None:
            raise KeyError(model.__name__)
        return found


RECORD_TYPES = RecordTypes(_MODELS)

APPEND_ONLY = frozenset({"message", "attachment", "movement_checkin"})


def _build_kinds() -> dict[str, Action]:
    kinds: dict[str, Action] = {
        "device.register": Action.REGISTER,
        "message.ack": Action.ACK,
        "membership.grant": Action.GRANT,
        "membership.revoke": Action.REVOKE,
    }
    for record_type in RECORD_TYPES:
        if record_type == "device":
            continue
        kinds[f"{record_type}.create"] = Action.SET
        kinds[f"{record_type}.delete"] = Action.DELETE
        if record_type not in APPEND_ONLY:
            kinds[f"{record_type}.update"] = Action.SET
    return kinds


KINDS: dict[str, Action] = _build_kinds()

# record type -> (field shown as the title, fields searched as the body)
_SEARCH_FIELDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "message": ("", ("text",)),
    "incident": (
        "title",
        ("narrative", "perpetrators", "action_taken", "assessment", "source", "location.place"),
    ),
    "person": ("name", ("callsign", "unit", "outpost")),
    "channel": ("name", ("description",)),
    "checklist_template": ("name", ()),
    "checklist": ("title", ("assignee",)),
    "checklist_item": ("", ("value", "note")),
    "map_feature": ("name", ("notes",)),
    "map_layer": ("name", ("source",)),
    "attachment": ("name", ()),
    "movement": ("title", ("planned_by",)),
}


def _lookup(doc: dict[str, Any], dotted: str) -> str:
    value: Any = doc
    for part in dotted.split("."):
        if not isinstance(value, dict):
            return ""
        value = value.get(part)
    return value if isinstance(value, str) else ""


def search_text(record_type: str, doc: dict[str, Any]) -> tuple[str, str] | None:
    """The (title, body) a record contributes to full-text search, or None if not searchable."""
    spec = _SEARCH_FIELDS.get(record_type)
    if spec is None:
        return None
    title_field, body_fields = spec
    title = _lookup(doc, title_field) if title_field else ""
    body = "\n".join(text for f in body_fields if (text := _lookup(doc, f)))
    return title, body


# Urgency of an operation when peers exchange what the other lacks: lower goes first.
TRUST, FLASH, IMMEDIATE, PRIORITY, ROUTINE = 0, 1, 2, 3, 4
_BY_PRECEDENCE = {
    Precedence.FLASH.value: FLASH,
    Precedence.IMMEDIATE.value: IMMEDIATE,
    Precedence.PRIORITY.value: PRIORITY,
}


def urgency(kind: str, body: dict[str, Any]) -> int:
    """Trust changes first, then FLASH, IMMEDIATE (and alerts), PRIORITY, then the rest.

    Personnel protection: FLASH alerts (a missed check-in's last step, a panic) and the start
    of a headcount go as FLASH; other alerts, check-ins, arrivals and headcount marks as
    IMMEDIATE, so a check-in reaches a peer before it escalates the same movement."""
    if kind.startswith(("membership.", "mission.", "device.")):
        return TRUST
    fields = body.get("fields")
    fields = fields if isinstance(fields, dict) else {}
    if kind.startswith("alert."):
        return FLASH if fields.get("precedence") == Precedence.FLASH.value else IMMEDIATE
    if kind.startswith("headcount."):
        return FLASH
    if kind.startswith(("headcount_mark.", "movement_checkin.")):
        return IMMEDIATE
    if kind == "movement.update" and fields.get("status") not in (None, "active"):
        return IMMEDIATE
    if kind == "message.create":
        return _BY_PRECEDENCE.get(str(fields.get("precedence")), ROUTINE)
    return ROUTINE
