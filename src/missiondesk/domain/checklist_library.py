"""The default library of checklist templates a mission starts from (and edits into its own).

Six templates from the field guide's personnel protection practice: movement/convoy
pre-departure, residential security, radio check, medical kit check, hibernation readiness and
relocation/evacuation readiness. They are plain data here; `library()` builds the records when
asked (no work at import time). Installing them gives each version a deterministic id (see
`template_entity_id`), so two laptops that install the library hold the same records, not two
copies.
"""

from __future__ import annotations

import hashlib
from typing import Any

import orjson

from missiondesk.domain.records.checklists import ChecklistTemplate

TEMPLATE_ID_PREFIX = "cltpl."


def template_entity_id(template: ChecklistTemplate) -> str:
    """`cltpl.<key>.v<version>.<8 hex of the content>`: the same content gets the same id on
    every laptop; two different edits made apart to the same version stay two records."""
    content = template.model_dump(mode="json")
    digest = hashlib.sha256(orjson.dumps(content, option=orjson.OPT_SORT_KEYS)).hexdigest()[:8]
    return f"{TEMPLATE_ID_PREFIX}{template.key}.v{template.version}.{digest}"


def _i(
    key: str, label: str, kind: str = "yes_no", evidence: str = "none", **more: Any
) -> dict[str, Any]:
    return {"key": key, "label": label, "type": kind, "evidence": evidence, **more}


_LIBRARY: tuple[dict[str, Any], ...] = (
    {
        "key": "convoy-predeparture",
        "name": "Movement / convoy pre-departure",
        "description": "Before any road movement leaves the compound: clearance, vehicles, "
        "communications, crew and route. Due at the planned departure time.",
        "sections": [
            {
                "title": "Clearance and route",
                "items": [
                    _i("clearance", "Movement clearance (security clearance) obtained", "text",
                       hint="Reference of the clearance from the security section"),
                    _i("route-brief", "Route, alternate route and no-go areas briefed to all",
                       evidence="note", hint="Who was briefed, and on which routes"),
                    _i("checkpoints", "Check-in points and interval agreed with the radio room",
                       "choice", choices=["every 30 min", "every 60 min", "at each checkpoint"]),
                    _i("departure", "Planned departure time", "datetime"),
                ],
            },
            {
                "title": "Vehicles",
                "items": [
                    _i("fuel", "Fuel level of the lead vehicle", "number", unit="%",
                       minimum=0, maximum=100, hint="Leave with at least three quarters"),
                    _i("tyres-spare", "Tyres, spare wheel and jack checked"),
                    _i("recovery", "Tow strap, shovel and recovery kit on board"),
                    _i("markings", "UN markings and flags visible, lights working",
                       evidence="photo"),
                ],
            },
            {
                "title": "Communications and crew",
                "items": [
                    _i("radio", "HF/VHF radio check with the base done", evidence="note",
                       hint="Callsign answered and readability (e.g. 5 by 5)"),
                    _i("satphone", "Satellite phone charged and numbers loaded"),
                    _i("manifest", "Passenger manifest sent to the radio room", "number",
                       minimum=1, maximum=60, unit="persons"),
                    _i("ifak", "First aid kit and trauma kit in each vehicle"),
                    _i("water", "Water and rations for 24 hours on board"),
                    _i("leader", "Convoy leader's sign-off", "sign_off"),
                ],
            },
        ],
    },
    {
        "key": "residential-security",
        "name": "Residential security",
        "description": "A walk round a residence or team site, to be repeated at the interval "
        "the security plan sets.",
        "sections": [
            {
                "title": "Perimeter",
                "items": [
                    _i("wall-fence", "Perimeter wall or fence intact, no breach", evidence="photo"),
                    _i("gate", "Gate locks and bars working"),
                    _i("lighting", "External lighting working at night"),
                    _i("guard", "Guard on post and briefed", "choice",
                       choices=["present and briefed", "present, not briefed", "absent"]),
                ],
            },
            {
                "title": "Inside",
                "items": [
                    _i("safe-room", "Safe room reachable, door and lock working"),
                    _i("safe-room-stock", "Safe room stocked (water, food, torch, radio)",
                       evidence="note"),
                    _i("extinguisher", "Fire extinguishers in date", "datetime",
                       hint="Date of the next service on the label"),
                    _i("smoke", "Smoke detectors tested"),
                    _i("grab-bag", "Grab bags packed for every resident"),
                ],
            },
            {
                "title": "Warden system",
                "items": [
                    _i("warden-list", "Warden's list of residents up to date", "number",
                       minimum=0, maximum=500, unit="persons"),
                    _i("warden", "Warden's sign-off", "sign_off"),
                ],
            },
        ],
    },
    {
        "key": "radio-check",
        "name": "Radio check",
        "description": "The daily radio check of an outpost with the base.",
        "sections": [
            {
                "title": "Radio check",
                "items": [
                    _i("hf", "HF readability with the base", "choice",
                       choices=["5 by 5", "4 by 4", "3 by 3", "weak", "no contact"]),
                    _i("vhf", "VHF handsets: all answered the net call"),
                    _i("battery", "Battery or generator charge", "number", unit="%",
                       minimum=0, maximum=100),
                    _i("satphone", "Satellite phone call to the radio room made",
                       evidence="note", hint="Time of the call and who answered"),
                    _i("log", "Radio log signed", "sign_off"),
                ],
            }
        ],
    },
    {
        "key": "medical-kit",
        "name": "Medical kit check",
        "description": "Monthly check of the outpost's first aid and trauma kits.",
        "sections": [
            {
                "title": "First aid kit",
                "items": [
                    _i("dressings", "Dressings, bandages and tape complete"),
                    _i("tourniquets", "Tourniquets on hand", "number", minimum=0,
                       maximum=100, unit="pcs"),
                    _i("expiry", "Earliest expiry date of the medicines", "datetime"),
                    _i("gloves", "Gloves and disinfectant stocked"),
                ],
            },
            {
                "title": "Trauma and equipment",
                "items": [
                    _i("haemostatic", "Haemostatic gauze and chest seals in date"),
                    _i("stretcher", "Stretcher and splints present and serviceable"),
                    _i("aed", "AED battery and pads", "choice",
                       choices=["ready", "pads expired", "battery low", "no AED"]),
                    _i("kit-photo", "Photo of the open kit", "photo"),
                    _i("medic", "Sign-off by the medic or first-aider", "sign_off"),
                ],
            },
        ],
    },
    {
        "key": "hibernation-readiness",
        "name": "Hibernation readiness",
        "description": "Ready to stay inside a safe location for days when moving is more "
        "dangerous than staying (a Security Risk Management escalation step).",
        "sections": [
            {
                "title": "Supplies",
                "items": [
                    _i("water", "Drinking water for everyone", "number", minimum=0,
                       maximum=90, unit="days", hint="Four litres a person a day"),
                    _i("food", "Food for everyone", "number", minimum=0, maximum=90,
                       unit="days"),
                    _i("fuel", "Generator fuel", "number", minimum=0, maximum=90, unit="days"),
                    _i("medical", "Medical kit and personal medication for 14 days",
                       evidence="note"),
                ],
            },
            {
                "title": "Communications and people",
                "items": [
                    _i("comms", "Two independent means of communication tested", evidence="note",
                       hint="Which two, and when tested"),
                    _i("power", "Power for radios and phones (batteries, solar, generator)"),
                    _i("headcount", "Headcount of everyone staying", "number", minimum=0,
                       maximum=500, unit="persons", due_minutes=60),
                    _i("documents", "Passports, IDs and cash secured"),
                    _i("sign", "Sign-off by the area security coordinator", "sign_off"),
                ],
            },
        ],
    },
    {
        "key": "relocation-readiness",
        "name": "Relocation / evacuation readiness",
        "description": "Ready to leave at short notice, to a safer place in the country "
        "(relocation) or out of it (evacuation).",
        "sections": [
            {
                "title": "People and documents",
                "items": [
                    _i("list", "List of staff and dependants to move confirmed", "number",
                       minimum=0, maximum=1000, unit="persons", due_minutes=30),
                    _i("documents", "Passports, visas and UN IDs with their holders"),
                    _i("grab-bags", "Grab bags packed (documents, cash, water, medication)"),
                    _i("assembly", "Assembly point and time communicated to all",
                       evidence="note"),
                ],
            },
            {
                "title": "Transport and route",
                "items": [
                    _i("transport", "Means of transport", "choice",
                       choices=["road convoy", "UN air", "commercial flight", "boat"]),
                    _i("vehicles", "Vehicles fuelled and checked"),
                    _i("route", "Route cleared by the security section", evidence="note"),
                    _i("departure", "Planned departure", "datetime"),
                ],
            },
            {
                "title": "Closing the site",
                "items": [
                    _i("sensitive", "Sensitive documents and equipment destroyed or removed",
                       evidence="sign_off"),
                    _i("handover", "Keys and site handed over", evidence="note"),
                    _i("authorised", "Relocation authorised by the Designated Official",
                       "sign_off"),
                ],
            },
        ],
    },
)  # fmt: skip


def library() -> tuple[ChecklistTemplate, ...]:
    """The default templates, each at version 1."""
    return tuple(ChecklistTemplate.model_validate(spec) for spec in _LIBRARY)
