"""What the incident service hands to its callers: a record with its id, one incident in full
with its history, a status change, a page of the list and the charts' counts."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from missiondesk.domain.dtg import format_dtg
from missiondesk.domain.records.incidents import DEFAULT_CATEGORIES, Incident, IncidentStatus
from missiondesk.domain.records.people import Role
from missiondesk.services.attachments import AttachmentInfo
from missiondesk.store.incident_reads import IncidentRow


@dataclass(frozen=True)
class IncidentView:
    id: str
    incident: Incident

    def as_json(self) -> dict[str, Any]:
        data = self.incident.model_dump(mode="json")
        data["id"] = self.id
        data["occurred_dtg"] = format_dtg(self.incident.occurred)
        data["category_label"] = DEFAULT_CATEGORIES.get(
            self.incident.category, self.incident.category
        )
        return data


@dataclass(frozen=True)
class TransitionView:
    source: IncidentStatus
    target: IncidentStatus
    reason: str
    at: datetime
    by: str  # callsign or name of the device's person
    device: str
    role: Role | None  # from the device's certificate; None in a vault with no mission

    def as_json(self) -> dict[str, Any]:
        return {
            "from": self.source.value,
            "to": self.target.value,
            "reason": self.reason,
            "at": self.at.isoformat(timespec="seconds"),
            "dtg": format_dtg(self.at),
            "by": self.by,
            "device": self.device,
            "role": self.role.value if self.role else None,
        }


@dataclass(frozen=True)
class IncidentDetail:
    """One incident as the form and `incident show` present it."""

    id: str
    fields: dict[str, Any]  # the stored fields (JSON values); a draft may lack some
    incident: Incident | None  # the complete report, None while a draft is partial
    status: IncidentStatus
    category_label: str
    history: tuple[TransitionView, ...]
    attachments: tuple[AttachmentInfo, ...]
    next_steps: tuple[IncidentStatus, ...]  # steps this laptop may take now
    editable: bool
    missing: tuple[str, ...]  # required fields a draft still lacks

    def as_json(self) -> dict[str, Any]:
        data = dict(self.fields)
        data.update(
            id=self.id,
            status=self.status.value,
            category_label=self.category_label,
            complete=self.incident is not None,
            missing=list(self.missing),
            editable=self.editable,
            next_steps=[s.value for s in self.next_steps],
            history=[t.as_json() for t in self.history],
            attachment_files=[a.as_json() for a in self.attachments],
        )
        if self.incident is not None:
            data["occurred_dtg"] = format_dtg(self.incident.occurred)
            data["reported_dtg"] = format_dtg(self.incident.reported)
        return data


@dataclass(frozen=True)
class IncidentCounts:
    """What the charts draw for a filter: counts per day (UTC), per category and per severity.
    `days` runs without gaps from the first day with an incident to the last; each series is
    aligned with it. A read for one series only (`CountsBy`) leaves the other's empty."""

    days: tuple[date, ...] = ()
    by_category: dict[str, tuple[int, ...]] = field(default_factory=dict)
    by_severity: dict[int, tuple[int, ...]] = field(default_factory=dict)
    category_totals: dict[str, int] = field(default_factory=dict)
    severity_totals: dict[int, int] = field(default_factory=dict)
    undated: int = 0  # drafts with no time of occurrence yet (in no day)
    total: int = 0


@dataclass(frozen=True)
class IncidentPage:
    """A page of the filtered, sorted list and the counts of everything the filter matches."""

    rows: list[IncidentRow]
    counts: IncidentCounts
    offset: int
    limit: int

    @property
    def total(self) -> int:
        return self.counts.total


def fold_counts(raw: list[tuple[Any, ...]]) -> IncidentCounts:
    """(day, category, count, severity 1 count .. severity 5 count) groups from the store, in
    any order, as the charts' series. A severity count is an integer, or None where SQL's sum
    met no severity or the read asked for categories only; category is None where it asked for
    severities only. Thousands of groups are folded, so the loop does as little as it can."""
    if not raw:
        return IncidentCounts()
    days = [r[0] for r in raw if r[0] is not None]
    first, last = (min(days), max(days)) if days else (0, -1)
    width = last - first + 1
    by_category: dict[str, list[int]] = {}
    category_totals: dict[str, int] = {}
    sev1, sev2, sev3, sev4, sev5 = ([0] * width for _ in range(5))
    undated = [0] * 6  # count, then per severity, of the groups with no day
    for day, category, count, s1, s2, s3, s4, s5 in raw:
        if category is not None:
            category_totals[category] = category_totals.get(category, 0) + count
        if day is None:
            for n, c in enumerate((count, s1, s2, s3, s4, s5)):
                undated[n] += int(c or 0)
            continue
        at = day - first
        if category is not None:
            series = by_category.get(category)
            if series is None:
                series = by_category[category] = [0] * width
            series[at] += count
        if s1:
            sev1[at] += s1
        if s2:
            sev2[at] += s2
        if s3:
            sev3[at] += s3
        if s4:
            sev4[at] += s4
        if s5:
            sev5[at] += s5
    series_of = {1: sev1, 2: sev2, 3: sev3, 4: sev4, 5: sev5}
    severity_totals = [sum(series_of[n + 1]) + undated[n + 1] for n in range(5)]
    epoch = date(1970, 1, 1)
    return IncidentCounts(
        days=tuple(epoch + timedelta(days=first + i) for i in range(width)),
        by_category={k: tuple(v) for k, v in sorted(by_category.items())},
        by_severity={n: tuple(v) for n, v in series_of.items() if severity_totals[n - 1]},
        category_totals=category_totals,
        severity_totals={n + 1: c for n, c in enumerate(severity_totals) if c},
        undated=undated[0],
        total=sum(r[2] for r in raw),
    )
