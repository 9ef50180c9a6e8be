"""Checklist templates, checklists assigned to people, and the state of their items.

A template is a family (`key`) of versions: every edit is a new record with the next `version`,
so a checklist keeps the version it was started from. A checklist carries a copy of its
template's sections (its items, their types and the evidence they ask for), so it can be worked
and judged even on a laptop the template has not reached. Each item's state is a record of its
own (`ChecklistItem`, one per checklist and item key, with an id derived from both), so ticks
made on several laptops merge per item and per field, last writer wins.

Statuses follow TAK's ExCheck: Pending, Complete, Complete (late), Late. They are computed from
the items and the clock (`domain/checklist_state.py`), never stored.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, model_validator

from missiondesk.domain.records.base import Record

TEMPLATE_KEY = r"^[a-z][a-z0-9-]{1,39}$"
ITEM_KEY = r"^[a-z0-9][a-z0-9_-]{0,39}$"
MAX_ITEMS = 200
ITEM_ID_PREFIX = "clitem-"


def item_entity_id(checklist_id: str, key: str) -> str:
    """The id of the state of one item of one checklist: the same on every laptop, so ticks
    made apart are writes to one record and merge."""
    digest = hashlib.sha256(f"{checklist_id}\0{key}".encode()).hexdigest()[:32]
    return ITEM_ID_PREFIX + digest


class ItemType(StrEnum):
    YES_NO = "yes_no"
    TEXT = "text"
    NUMBER = "number"
    DATETIME = "datetime"
    CHOICE = "choice"
    PHOTO = "photo"
    SIGN_OFF = "sign_off"


class Evidence(StrEnum):
    NONE = "none"
    NOTE = "note"
    PHOTO = "photo"
    SIGN_OFF = "sign_off"


class ItemStatus(StrEnum):
    PENDING = "pending"
    COMPLETE = "complete"
    COMPLETE_LATE = "complete_late"
    LATE = "late"

    @property
    def label(self) -> str:
        return {"complete_late": "Complete (late)"}.get(self.value, self.value.capitalize())


class TemplateItem(BaseModel):
    model_config = ConfigDict(
        extra="forbid", frozen=True, str_strip_whitespace=True, defer_build=True
    )

    key: str = Field(pattern=ITEM_KEY)
    label: str = Field(min_length=1, max_length=300)
    type: ItemType = ItemType.YES_NO
    choices: tuple[str, ...] = ()
    evidence: Evidence = Evidence.NONE
    hint: str = Field(default="", max_length=500)
    unit: str = Field(default="", max_length=20)
    minimum: float | None = None
    maximum: float | None = None
    # Due this many minutes after the checklist starts (else at the checklist's due time).
    due_minutes: int | None = Field(default=None, ge=0, le=525_600)

    @model_validator(mode="after")
    def _consistent(self) -> TemplateItem:
        if self.type is ItemType.CHOICE:
            if len(self.choices) < 2:
                raise ValueError("a choice item offers at least two choices")
            folded = [c.casefold() for c in self.choices]
            if len(set(folded)) != len(folded) or not all(c.strip() for c in self.choices):
                raise ValueError("each choice is named once and is not empty")
            if any(len(c) > 100 for c in self.choices):
                raise ValueError("a choice is at most 100 characters")
        elif self.choices:
            raise ValueError("only a choice item lists choices")
        if self.type is not ItemType.NUMBER and (
            self.minimum is not None or self.maximum is not None or self.unit
        ):
            raise ValueError("only a number item has a unit, a minimum or a maximum")
        if self.minimum is not None and self.maximum is not None and self.minimum > self.maximum:
            raise ValueError("the minimum is not above the maximum")
        return self


class TemplateSection(BaseModel):
    model_config = ConfigDict(
        extra="forbid", frozen=True, str_strip_whitespace=True, defer_build=True
    )

    title: str = Field(min_length=1, max_length=200)
    items: tuple[TemplateItem, ...] = Field(min_length=1, max_length=MAX_ITEMS)


def _check_sections(sections: tuple[TemplateSection, ...]) -> None:
    keys = [item.key for section in sections for item in section.items]
    if len(keys) > MAX_ITEMS:
        raise ValueError(f"a checklist has at most {MAX_ITEMS} items")
    if len(set(keys)) != len(keys):
        raise ValueError("each item key appears once in the whole checklist")


class ChecklistTemplate(Record):
    key: str = Field(pattern=TEMPLATE_KEY)  # the family every version of it shares
    name: str = Field(min_length=1, max_length=200)
    version: int = Field(default=1, ge=1, le=9999)
    description: str = Field(default="", max_length=2000)
    sections: tuple[TemplateSection, ...] = Field(min_length=1, max_length=50)

    @model_validator(mode="after")
    def _unique_keys(self) -> ChecklistTemplate:
        _check_sections(self.sections)
        return self

    def items(self) -> tuple[TemplateItem, ...]:
        return tuple(item for section in self.sections for item in section.items)


class Checklist(Record):
    """A template's version assigned to a person, team or outpost, due at a time."""

    template: str = Field(min_length=1, max_length=64)  # the version's entity id
    template_key: str = Field(pattern=TEMPLATE_KEY)
    template_version: int = Field(default=1, ge=1, le=9999)
    template_name: str = Field(min_length=1, max_length=200)
    title: str = Field(min_length=1, max_length=200)
    assignee: str = Field(min_length=1, max_length=120)  # a callsign, a person, a team
    outpost: str = Field(default="", max_length=120)
    started: datetime
    due: datetime
    sections: tuple[TemplateSection, ...] = Field(min_length=1, max_length=50)

    @model_validator(mode="after")
    def _consistent(self) -> Checklist:
        _check_sections(self.sections)
        if self.due < self.started:
            raise ValueError("due: must not be before the start")
        return self

    def items(self) -> tuple[TemplateItem, ...]:
        return tuple(item for section in self.sections for item in section.items)


class ChecklistItem(Record):
    """What has been done about one item of one checklist."""

    checklist: str = Field(min_length=1, max_length=64)
    key: str = Field(pattern=ITEM_KEY)
    done: bool = False
    value: str = Field(default="", max_length=2000)
    note: str = Field(default="", max_length=5000)
    photo: str = Field(default="", max_length=64)  # an attachment id
    sign_off: str = Field(default="", max_length=120)  # the name of who signed it off
    completed_at: datetime | None = None
    completed_by: str = Field(default="", max_length=120)
