"""Movements: a planned trip with its people, vehicles and route, and the check-ins made on it.

A movement is due a check-in every `interval` minutes after its departure or its last
check-in; a missed one escalates in the steps of `Escalation` (see `domain/escalation.py`).
Check-ins are append-only records of their own, so two laptops checking in the same movement
while apart both keep theirs; the latest time wins when the next due time is worked out.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, model_validator

from missiondesk.domain.coordinates import Location
from missiondesk.domain.records.base import Record, Sensitivity

MAX_INTERVAL_MIN = 24 * 60


class MovementStatus(StrEnum):
    ACTIVE = "active"  # planned or under way: check-ins are due
    ARRIVED = "arrived"
    CANCELLED = "cancelled"


class Waypoint(BaseModel):
    """A named point of the route; where it is may be given (MGRS or lat, lon) or not."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    name: str = Field(min_length=1, max_length=120)
    location: Location | None = None


class Escalation(BaseModel):
    """Minutes after a missed check-in's due time at which each step is raised."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    warning: int = Field(default=0, ge=0, le=MAX_INTERVAL_MIN)
    alarm: int = Field(ge=0, le=2 * MAX_INTERVAL_MIN)
    flash: int = Field(ge=0, le=3 * MAX_INTERVAL_MIN)

    @model_validator(mode="after")
    def _in_order(self) -> Escalation:
        if not self.warning <= self.alarm <= self.flash:
            raise ValueError("the warning comes before the alarm, and the alarm before FLASH")
        return self

    @classmethod
    def default_for(cls, interval: int) -> Escalation:
        """Warning at the due time, alarm half an interval later, FLASH an interval later."""
        return cls(warning=0, alarm=max(1, interval // 2), flash=max(2, interval))

    @property
    def minutes(self) -> tuple[int, int, int]:
        return self.warning, self.alarm, self.flash


class Movement(Record):
    title: str = Field(min_length=1, max_length=200)
    people: tuple[str, ...] = Field(min_length=1, max_length=200)  # person ids
    vehicles: tuple[str, ...] = Field(default=(), max_length=50)
    route: tuple[Waypoint, ...] = Field(min_length=2, max_length=100)
    depart: datetime
    eta: datetime
    interval: int = Field(ge=1, le=MAX_INTERVAL_MIN)  # minutes between check-ins
    escalation: Escalation
    status: MovementStatus = MovementStatus.ACTIVE
    arrived: datetime | None = None
    planned_by: str = Field(default="", max_length=120)
    sensitivity: Sensitivity = Sensitivity.CONFIDENTIAL

    @model_validator(mode="after")
    def _times(self) -> Movement:
        if self.eta <= self.depart:
            raise ValueError("eta: must come after the departure")
        return self


class MovementCheckin(Record):
    """One check-in (append-only): when, optionally where, and who made it."""

    movement: str = Field(min_length=1, max_length=64)
    at: datetime
    position: Location | None = None
    note: str = Field(default="", max_length=500)
    by: str = Field(default="", max_length=120)  # callsign (else name) of who checked in
    sensitivity: Sensitivity = Sensitivity.CONFIDENTIAL
