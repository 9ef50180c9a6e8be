"""Checklist templates, checklists assigned to people, and their items."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from missiondesk.domain.records.base import Record


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


class TemplateItem(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    key: str = Field(min_length=1, max_length=64)
    label: str = Field(min_length=1, max_length=300)
    type: ItemType = ItemType.YES_NO
    choices: tuple[str, ...] = ()
    evidence: Evidence = Evidence.NONE


class TemplateSection(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    title: str = Field(min_length=1, max_length=200)
    items: tuple[TemplateItem, ...] = ()


class ChecklistTemplate(Record):
    name: str = Field(min_length=1, max_length=200)
    version: int = Field(default=1, ge=1)
    sections: tuple[TemplateSection, ...] = ()


class Checklist(Record):
    template: str = Field(min_length=1, max_length=64)
    template_version: int = Field(default=1, ge=1)
    title: str = Field(min_length=1, max_length=200)
    assignee: str = Field(default="", max_length=120)
    due: datetime | None = None
    status: ItemStatus = ItemStatus.PENDING


class ChecklistItem(Record):
    checklist: str = Field(min_length=1, max_length=64)
    key: str = Field(min_length=1, max_length=64)
    status: ItemStatus = ItemStatus.PENDING
    value: str = Field(default="", max_length=2000)
    note: str = Field(default="", max_length=5000)
    completed_at: datetime | None = None
    completed_by: str = Field(default="", max_length=120)
    evidence: tuple[str, ...] = ()  # attachment ids
