"""Incidents, with the fields field officers expect (see the project's field guide)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from missiondesk.domain.coordinates import Location
from missiondesk.domain.record_enums import (
    CASUALTY_GROUPS,
    CASUALTY_KINDS,
    DEFAULT_CATEGORIES,
    MAX_CASUALTIES,
    IncidentStatus,
)
from missiondesk.domain.records.base import Record

# The one entity that holds a vault's incident categories (it syncs like any record).
TAXONOMY_ENTITY = "incident-taxonomy"
CATEGORY_SLUG = r"^[a-z][a-z0-9_]{0,63}$"


class Category(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    slug: str = Field(pattern=CATEGORY_SLUG)
    label: str = Field(min_length=1, max_length=120)
    retired: bool = False  # kept for old incidents; not offered for new ones


class IncidentTaxonomy(Record):
    """The categories a mission logs incidents under, in the order they are offered (a list:
    stored documents keep the order of lists, not of keys). Retired categories stay readable
    on old incidents but cannot be chosen for new ones."""

    categories: tuple[Category, ...] = Field(min_length=1, max_length=500)

    @field_validator("categories")
    @classmethod
    def _unique(cls, value: tuple[Category, ...]) -> tuple[Category, ...]:
        if len({c.slug for c in value}) != len(value):
            raise ValueError("each category's short name appears once")
        if all(c.retired for c in value):
            raise ValueError("at least one category stays in use")
        return value

    def in_use(self) -> dict[str, str]:
        return {c.slug: c.label for c in self.categories if not c.retired}

    def labels(self) -> dict[str, str]:
        """Every category's label, retired ones included."""
        return {c.slug: c.label for c in self.categories}

    @classmethod
    def of(cls, labels: dict[str, str]) -> IncidentTaxonomy:
        return cls(categories=tuple(Category(slug=k, label=v) for k, v in labels.items()))


class CasualtyCount(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    civilians: int = Field(default=0, ge=0, le=MAX_CASUALTIES)
    un_personnel: int = Field(default=0, ge=0, le=MAX_CASUALTIES)
    national_forces: int = Field(default=0, ge=0, le=MAX_CASUALTIES)
    others: int = Field(default=0, ge=0, le=MAX_CASUALTIES)

    @property
    def total(self) -> int:
        return self.civilians + self.un_personnel + self.national_forces + self.others

    def __add__(self, other: CasualtyCount) -> CasualtyCount:
        return CasualtyCount(
            civilians=self.civilians + other.civilians,
            un_personnel=self.un_personnel + other.un_personnel,
            national_forces=self.national_forces + other.national_forces,
            others=self.others + other.others,
        )


class Casualties(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    killed: CasualtyCount = CasualtyCount()
    injured: CasualtyCount = CasualtyCount()
    missing: CasualtyCount = CasualtyCount()

    def __add__(self, other: Casualties) -> Casualties:
        return Casualties(
            killed=self.killed + other.killed,
            injured=self.injured + other.injured,
            missing=self.missing + other.missing,
        )

    @property
    def total(self) -> int:
        return self.killed.total + self.injured.total + self.missing.total


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


# The casualty kinds and groups, the default categories and IncidentStatus live in
# domain/record_enums.py (no pydantic); they are kept importable from here.
__all__ = [
    "CASUALTY_GROUPS",
    "CASUALTY_KINDS",
    "CATEGORY_SLUG",
    "DEFAULT_CATEGORIES",
    "TAXONOMY_ENTITY",
    "Casualties",
    "CasualtyCount",
    "Category",
    "Incident",
    "IncidentStatus",
    "IncidentTaxonomy",
]
