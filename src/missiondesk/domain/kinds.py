"""Which operation kinds exist, what each does to the materialized records, and what is searchable.

Kinds are ``<record type>.<action>``. Every record type merges per field, last writer wins by
(hlc, author); messages are append-only (no ``message.update``); deletions are tombstones.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from missiondesk.domain.markings import Precedence
from missiondesk.domain.records.alerts import Alert
from missiondesk.domain.records.attachments import Attachment
from missiondesk.domain.records.base import Record
from missiondesk.domain.records.checklists import Checklist, ChecklistItem, ChecklistTemplate
from missiondesk.domain.records.headcount import Headcount, HeadcountMark
from missiondesk.domain.records.incidents import Incident, IncidentTaxonomy
from missiondesk.domain.records.layers import MapLayer
from missiondesk.domain.records.mapping import MapFeature
from missiondesk.domain.records.messaging import Channel, Message
from missiondesk.domain.records.mission import Mission
from missiondesk.domain.records.movements import Movement, MovementCheckin
from missiondesk.domain.records.people import Device, Person
from missiondesk.domain.records.roster import EmergencyDetails


class Action(StrEnum):
    REGISTER = "register"  # a device announces its keys (the first op of every author)
    SET = "set"  # create or update fields
    DELETE = "delete"  # tombstone
    ACK = "ack"  # a device acknowledges a message
    GRANT = "grant"  # the mission authority certifies a member
    REVOKE = "revoke"  # the mission authority revokes a member


RECORD_TYPES: dict[str, type[Record]] = {
    "person": Person,
    "device": Device,
    "channel": Channel,
    "message": Message,
    "incident": Incident,
    "incident_taxonomy": IncidentTaxonomy,
    "checklist_template": ChecklistTemplate,
    "checklist": Checklist,
    "checklist_item": ChecklistItem,
    "map_feature": MapFeature,
    "map_layer": MapLayer,
    "attachment": Attachment,
    "mission": Mission,
    "emergency_details": EmergencyDetails,
    "movement": Movement,
    "movement_checkin": MovementCheckin,
    "alert": Alert,
    "headcount": Headcount,
    "headcount_mark": HeadcountMark,
}

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
