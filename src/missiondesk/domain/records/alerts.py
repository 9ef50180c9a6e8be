"""Alerts: what a missed check-in escalates to, and the panic alarm.

An escalation alert's fields are a function of its movement, the missed due time and the
step only (nothing of the laptop that raised it), and its id is derived from the same three:
two laptops escalating the same movement while apart write the same record, which merges
into one, and no conflict is listed.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import Field

from missiondesk.domain.coordinates import Location
from missiondesk.domain.markings import Precedence
from missiondesk.domain.records.base import Record, Sensitivity


class AlertSource(StrEnum):
    MOVEMENT = "movement"  # a missed check-in
    PANIC = "panic"


class AlertStep(StrEnum):
    WARNING = "warning"  # to the traveller
    ALARM = "alarm"  # to the duty officer
    FLASH = "flash"  # to the whole mission
    PANIC = "panic"  # raised by a person in danger, to the whole mission


class Audience(StrEnum):
    TRAVELLER = "traveller"
    DUTY_OFFICER = "duty_officer"
    MISSION = "mission"


class Alert(Record):
    source: AlertSource
    step: AlertStep
    precedence: Precedence
    audience: Audience
    subject: str = Field(default="", max_length=64)  # the movement's id
    people: tuple[str, ...] = Field(default=(), max_length=200)  # person ids concerned
    due: datetime | None = None  # the check-in that was missed
    raised: datetime  # when the step became due (a panic: when it was pressed)
    text: str = Field(min_length=1, max_length=500)
    position: Location | None = None  # the last known position
    acknowledged: datetime | None = None
    acknowledged_by: str = Field(default="", max_length=120)
    sensitivity: Sensitivity = Sensitivity.CONFIDENTIAL
