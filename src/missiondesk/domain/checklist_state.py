"""When a checklist item counts as done, when it is due, and the ExCheck status of an item and
of a whole checklist at a moment.

An item counts as done when it is ticked, its value is valid for its type, and the evidence it
asks for is there (a note, a photo, a sign-off by a named person). The item states are computed
from the stored item records and the clock, never stored, so a late item turns Late at its due
time on every laptop without anyone writing anything:

| item | status |
|---|---|
| done at or before its due time | Complete |
| done after its due time | Complete (late) |
| not done, due time not reached | Pending |
| not done, due time reached | Late |

A checklist is Complete when every item is, Complete (late) when every item is done and one
was done late, Late as soon as one item is Late, else Pending.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from missiondesk.domain.checklist_values import parse_value
from missiondesk.domain.errors import InvalidInput
from missiondesk.domain.records.checklists import Evidence, ItemStatus, ItemType, TemplateItem


def needs_value(item: TemplateItem) -> bool:
    return item.type not in (ItemType.PHOTO, ItemType.SIGN_OFF)


def needs_photo(item: TemplateItem) -> bool:
    return item.type is ItemType.PHOTO or item.evidence is Evidence.PHOTO


def needs_sign_off(item: TemplateItem) -> bool:
    return item.type is ItemType.SIGN_OFF or item.evidence is Evidence.SIGN_OFF


def needs_note(item: TemplateItem) -> bool:
    return item.evidence is Evidence.NOTE


def missing_evidence(item: TemplateItem, state: Mapping[str, Any]) -> tuple[str, ...]:
    """What the item still lacks to count as done: `value`, `note`, `photo`, `sign_off`."""
    missing: list[str] = []
    if needs_value(item):
        try:
            parse_value(item, str(state.get("value", "")))
        except InvalidInput:
            missing.append("value")
    if needs_note(item) and not str(state.get("note", "")).strip():
        missing.append("note")
    if needs_photo(item) and not str(state.get("photo", "")).strip():
        missing.append("photo")
    if needs_sign_off(item) and not str(state.get("sign_off", "")).strip():
        missing.append("sign_off")
    return tuple(missing)


def moment(value: Any) -> datetime | None:
    """A stored date-time (ISO text) as an aware datetime, or None."""
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def completed_at(item: TemplateItem, state: Mapping[str, Any] | None) -> datetime | None:
    """When the item was done, if it counts as done (ticked, valid, with its evidence)."""
    if not state or state.get("done") is not True:
        return None
    when = moment(state.get("completed_at"))
    if when is None or missing_evidence(item, state):
        return None
    return when


def item_due(item: TemplateItem, started: datetime, due: datetime) -> datetime:
    """The item's own due time (minutes after the start), else the checklist's."""
    if item.due_minutes is None:
        return due
    return started + timedelta(minutes=item.due_minutes)


def item_status(done_at: datetime | None, due: datetime, now: datetime) -> ItemStatus:
    if done_at is not None:
        return ItemStatus.COMPLETE_LATE if done_at > due else ItemStatus.COMPLETE
    return ItemStatus.LATE if now >= due else ItemStatus.PENDING


@dataclass(frozen=True)
class Progress:
    """A checklist's items summed up, independent of the clock (what the projection keeps)."""

    total: int
    done: int
    done_late: int
    late_at: datetime | None  # the earliest due time of an item not done; None when all are
    completed: datetime | None  # when the last item was done, once all are

    def status(self, now: datetime) -> ItemStatus:
        if self.done >= self.total:
            return ItemStatus.COMPLETE_LATE if self.done_late else ItemStatus.COMPLETE
        if self.late_at is not None and now >= self.late_at:
            return ItemStatus.LATE
        return ItemStatus.PENDING


def progress(
    items: Iterable[TemplateItem],
    states: Mapping[str, Mapping[str, Any]],
    started: datetime,
    due: datetime,
) -> Progress:
    """Sum up the items of a checklist from their states (item key -> stored fields)."""
    total = done = done_late = 0
    late_at: datetime | None = None
    last: datetime | None = None
    for item in items:
        total += 1
        when = completed_at(item, states.get(item.key))
        deadline = item_due(item, started, due)
        if when is None:
            late_at = deadline if late_at is None else min(late_at, deadline)
            continue
        done += 1
        done_late += when > deadline
        last = when if last is None else max(last, when)
    return Progress(total, done, done_late, late_at, last if done == total else None)
