"""Headcounts: in an emergency, every person in scope is Safe, Needs help or Unaccounted.

A headcount names its scope (the mission, or some outposts) and the people in it when it was
started. Each person's status is one record whose id is derived from (headcount, person), so
marks made on several laptops for the same person merge into one (the later one shows, a
disagreement is listed as a conflict to review).
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import Field

from missiondesk.domain.coordinates import Location
from missiondesk.domain.ids import derived_id
from missiondesk.domain.records.base import Record, Sensitivity


class HeadcountStatus(StrEnum):
    OPEN = "open"
    CLOSED = "closed"


class PersonStatus(StrEnum):
    SAFE = "safe"
    NEEDS_HELP = "needs_help"
    UNACCOUNTED = "unaccounted"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()

    @classmethod
    def parse(cls, text: str) -> PersonStatus:
        key = text.strip().lower().replace(" ", "_").replace("-", "_")
        return cls({"help": "needs_help", "ok": "safe", "missing": "unaccounted"}.get(key, key))


class Headcount(Record):
    title: str = Field(min_length=1, max_length=200)
    outposts: tuple[str, ...] = Field(default=(), max_length=200)  # empty: the whole mission
    people: tuple[str, ...] = Field(default=(), max_length=5000)  # in scope when started
    started: datetime
    started_by: str = Field(default="", max_length=120)
    status: HeadcountStatus = HeadcountStatus.OPEN
    closed: datetime | None = None
    sensitivity: Sensitivity = Sensitivity.CONFIDENTIAL


class HeadcountMark(Record):
    headcount: str = Field(min_length=1, max_length=64)
    person: str = Field(min_length=1, max_length=64)
    status: PersonStatus
    note: str = Field(default="", max_length=500)
    position: Location | None = None
    marked: datetime
    marked_by: str = Field(default="", max_length=120)
    sensitivity: Sensitivity = Sensitivity.CONFIDENTIAL


def mark_id(headcount_id: str, person_id: str) -> str:
    """The one id every laptop gives a person's mark in a headcount."""
    return derived_id("headcount-mark", headcount_id, person_id)
