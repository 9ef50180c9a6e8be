"""The enumerations and limits the record models use, in a module without pydantic.

The record models (`domain/records/`) and the incident filter re-export them. The first
screen's reads (`domain/cards.py`) and widgets name them without loading pydantic
(docs/architecture.md, "Start-up"), and the command line builds its parser (choices and help
texts) from them without loading the models.
"""

from __future__ import annotations

from enum import StrEnum

MAX_MESSAGE_TEXT = 20_000
MAX_FEATURE_NAME = 200  # a map feature's name (domain/records/mapping.py and the drawing)
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


class IncidentStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    VERIFIED = "verified"
    CLOSED = "closed"


# Defaults a mission can extend; slug -> label.
DEFAULT_CATEGORIES: dict[str, str] = {
    "armed_clash": "Armed clash",
    "indirect_fire": "Indirect fire / shelling",
    "ied_mine_uxo": "IED / mine / UXO",
    "small_arms_fire": "Small-arms fire",
    "abduction": "Abduction",
    "killing": "Killing",
    "sexual_violence": "Sexual violence",
    "civil_unrest": "Demonstration / civil unrest",
    "crime": "Crime (robbery, carjacking, burglary)",
    "threat": "Threat / intimidation",
    "movement_restriction": "Movement restriction / checkpoint denial",
    "ceasefire_violation": "Ceasefire violation",
    "airspace_violation": "Airspace violation",
    "traffic_accident": "Traffic accident",
    "medical": "Medical",
    "natural_hazard": "Natural hazard",
    "fire": "Fire",
    "other": "Other",
}

CASUALTY_KINDS = ("killed", "injured", "missing")
MAX_CASUALTIES = 1_000_000  # per group and kind: beyond any incident, within every integer
CASUALTY_GROUPS = ("civilians", "un_personnel", "national_forces", "others")


class SortKey(StrEnum):
    OCCURRED = "occurred"
    REPORTED = "reported"
    SEVERITY = "severity"
    CATEGORY = "category"
    STATUS = "status"
    TITLE = "title"
