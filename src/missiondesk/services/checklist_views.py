"""What the checklist services hand to their callers: templates, a line of the checklist list,
one checklist in full with every item's state, the compliance counts, late checklists."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from missiondesk.domain.checklist_values import describe, shown_value
from missiondesk.domain.dtg import format_dtg
from missiondesk.domain.records.checklists import (
    Checklist,
    ChecklistTemplate,
    ItemStatus,
    TemplateItem,
)
from missiondesk.services.attachments import AttachmentInfo
from missiondesk.store.checklist_reads import ChecklistRowData


def _at(seconds: int | None) -> datetime | None:
    return datetime.fromtimestamp(seconds, UTC) if seconds is not None else None


def _dtg(moment: datetime | None) -> str | None:
    return format_dtg(moment) if moment is not None else None


@dataclass(frozen=True)
class TemplateView:
    id: str  # the entity id of this version
    template: ChecklistTemplate
    versions: tuple[int, ...]  # every version of its family in this vault

    @property
    def item_count(self) -> int:
        return len(self.template.items())

    def as_json(self, *, full: bool = False) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": self.id,
            "key": self.template.key,
            "name": self.template.name,
            "version": self.template.version,
            "versions": list(self.versions),
            "items": self.item_count,
        }
        if full:
            data["template"] = self.template.model_dump(
                mode="json", exclude={"version"}, exclude_defaults=True
            )
        return data


@dataclass(frozen=True)
class InstallResult:
    added: tuple[str, ...]  # names of templates added
    present: tuple[str, ...]  # already in the vault


@dataclass(frozen=True)
class ChecklistLine:
    """One line of the checklist list, with its status at the moment it was read."""

    id: str
    title: str
    template: str
    template_name: str
    version: int
    assignee: str
    outpost: str
    started: datetime
    due: datetime
    total: int
    done: int
    status: ItemStatus
    late_at: datetime | None

    @classmethod
    def of(cls, row: ChecklistRowData, status: ItemStatus) -> ChecklistLine:
        started, due = _at(row.started), _at(row.due)
        assert started is not None and due is not None
        return cls(
            row.id,
            row.title,
            row.template,
            row.template_name,
            row.version,
            row.assignee,
            row.outpost,
            started,
            due,
            row.total,
            row.done,
            status,
            _at(row.late_at),
        )

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "template": self.template,
            "template_name": self.template_name,
            "version": self.version,
            "assignee": self.assignee,
            "outpost": self.outpost,
            "started": self.started.isoformat(),
            "due": self.due.isoformat(),
            "due_dtg": format_dtg(self.due),
            "done": self.done,
            "total": self.total,
            "status": self.status.value,
        }


@dataclass(frozen=True)
class ItemView:
    """One item of a checklist: what it asks, what was done, and its status now."""

    section: str
    spec: TemplateItem
    due: datetime
    status: ItemStatus
    ticked: bool
    value: str
    note: str
    photo: AttachmentInfo | None
    photo_id: str  # set even before the photo's content has arrived
    sign_off: str
    completed_at: datetime | None
    completed_by: str
    missing: tuple[str, ...]  # value, note, photo, sign_off: what a tick still lacks

    @property
    def key(self) -> str:
        return self.spec.key

    @property
    def shown_value(self) -> str:
        return shown_value(self.spec, self.value)

    def as_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "section": self.section,
            "label": self.spec.label,
            "type": self.spec.type.value,
            "expects": describe(self.spec),
            "evidence": self.spec.evidence.value,
            "due": self.due.isoformat(),
            "status": self.status.value,
            "ticked": self.ticked,
            "value": self.value,
            "note": self.note,
            "photo": self.photo.as_json() if self.photo else (self.photo_id or None),
            "sign_off": self.sign_off,
            "completed_at": self.completed_at.isoformat() if self.completed_at else None,
            "completed_dtg": _dtg(self.completed_at),
            "completed_by": self.completed_by,
            "missing": list(self.missing),
        }


@dataclass(frozen=True)
class ChecklistDetail:
    id: str
    checklist: Checklist
    status: ItemStatus
    items: tuple[ItemView, ...]
    now: datetime

    @property
    def done(self) -> int:
        return sum(i.status in (ItemStatus.COMPLETE, ItemStatus.COMPLETE_LATE) for i in self.items)

    def item(self, key: str) -> ItemView:
        for view in self.items:
            if view.key == key:
                return view
        raise KeyError(key)

    def as_json(self) -> dict[str, Any]:
        c = self.checklist
        return {
            "id": self.id,
            "title": c.title,
            "template": c.template_key,
            "template_id": c.template,
            "template_name": c.template_name,
            "version": c.template_version,
            "assignee": c.assignee,
            "outpost": c.outpost,
            "started": c.started.isoformat(),
            "due": c.due.isoformat(),
            "due_dtg": format_dtg(c.due),
            "status": self.status.value,
            "done": self.done,
            "total": len(self.items),
            "sensitivity": c.sensitivity.value,
            "items": [i.as_json() for i in self.items],
        }


@dataclass(frozen=True)
class ComplianceRow:
    outpost: str
    template: str
    template_name: str
    complete: int
    complete_late: int
    late: int
    pending: int

    @property
    def total(self) -> int:
        return self.complete + self.complete_late + self.late + self.pending

    def as_json(self) -> dict[str, Any]:
        return {
            "outpost": self.outpost,
            "template": self.template,
            "template_name": self.template_name,
            "complete": self.complete,
            "complete_late": self.complete_late,
            "late": self.late,
            "pending": self.pending,
            "total": self.total,
        }


@dataclass(frozen=True)
class LateChecklist:
    id: str
    title: str
    assignee: str
    outpost: str
    late_at: datetime  # when its earliest open item fell due

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "assignee": self.assignee,
            "outpost": self.outpost,
            "late_at": self.late_at.isoformat(),
            "late_dtg": format_dtg(self.late_at),
        }
