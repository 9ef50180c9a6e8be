"""Incidents, with the fields field officers expect (see the project's field guide)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from missiondesk.domain.coordinates import Location
from missiondesk.domain.records.base import Record

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


class IncidentStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    VERIFIED = "verified"
    CLOSED = "closed"


class CasualtyCount(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    civilians: int = Field(default=0, ge=0)
    un_personnel: int = Field(default=0, ge=0)
    national_forces: int = Field(default=0, ge=0)
    others: int = Field(default=0, ge=0)

    @property
    def total(self) -> int:
        return self.civilians + self.un_personnel + self.national_forces + self.others


class Casualties(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    killed: CasualtyCount = CasualtyCount()
    injured: CasualtyCount = CasualtyCount()
    missing: CasualtyCount = CasualtyCount()


class Incident(Record):
    title: str = Field(min_length=1, max_length=200)
    category: str = Field(min_length=1, max_length=64)
    severity: int = Field(ge=1, le=5)
    occurred: datetime
    reported: datetime
    location: Location | None = None
    casualties: Casualties = Casualties()
    perpetrators: str = Field(default="", max_length=2000)
    narrative: str = Field(default="", max_length=50_000)
    action_taken: str = Field(default="", max_length=10_000)
    assessment: str = Field(default="", max_length=10_000)
    source: str = Field(default="", max_length=500)
    source_reliability: Literal["A", "B", "C", "D", "E", "F"] | None = None
    source_credibility: int | None = Field(default=None, ge=1, le=6)
    attachments: tuple[str, ...] = ()
    related: tuple[str, ...] = ()
    reporting_officer: str = Field(default="", max_length=120)
    status: IncidentStatus = IncidentStatus.DRAFT
