"""INCREP, SITREP and 9-line MEDEVAC: assembled from the vault, rendered as text or PDF, and
written to disk only as an explicit, audited act of the officer.

A report's marking is its sensitivity level: an INCREP's is the incident's, a SITREP's the
highest of what it lists (the incidents, the movements and the escalation alerts of their missed
check-ins, the roster's people, the headcount and its marks; at least the level asked for), a
MEDEVAC's as given (or its incident's). The SITREP's incident figures come from the same indexed
projection and filters as the incident list, so the counts match what the list shows for that
period and area; its lines from personnel protection and sync are `services/sitrep_sections.py`'s.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

from missiondesk.domain.dtg import format_dtg
from missiondesk.domain.errors import InvalidInput
from missiondesk.domain.incident_filter import BoundingBox, IncidentFilter, SortKey
from missiondesk.domain.markings import Precedence
from missiondesk.domain.medevac import (
    CBRN,
    EQUIPMENT,
    MARKING,
    NATIONALITY,
    PHONETIC,
    PRECEDENCE,
    SECURITY,
    MedevacRequest,
)
from missiondesk.domain.record_enums import MAX_MESSAGE_TEXT
from missiondesk.domain.records.base import Sensitivity
from missiondesk.domain.records.incidents import (
    CASUALTY_GROUPS,
    CASUALTY_KINDS,
    Casualties,
    IncidentStatus,
)
from missiondesk.reports.document import Line, ReportDocument, Table
from missiondesk.reports.text import render_text
from missiondesk.services import sitrep_sections as sections
from missiondesk.services.attachments import AttachmentService
from missiondesk.services.audit import AuditEvent, AuditService
from missiondesk.services.headcount import HeadcountService, HeadcountView
from missiondesk.services.incidents import IncidentService
from missiondesk.services.messaging import MessagingService
from missiondesk.services.movements import MovementService, PeriodMovement
from missiondesk.services.people import PeopleService
from missiondesk.services.roster import RosterService
from missiondesk.store.atomic import write_atomically
from missiondesk.store.incident_reads import IncidentRow

if TYPE_CHECKING:  # the sync service is made when a SITREP is first prepared
    from missiondesk.services.sync_service import SyncSummary

GROUP_HEADERS = ("CIV", "UN", "NAT F", "OTHER", "TOTAL")
SEVERITY_WORDS = {1: "1 (low)", 2: "2", 3: "3", 4: "4", 5: "5 (critical)"}
REPORTED_STATUSES = (IncidentStatus.SUBMITTED, IncidentStatus.VERIFIED, IncidentStatus.CLOSED)


class ReportFormat(StrEnum):
    TEXT = "text"
    PDF = "pdf"


@dataclass(frozen=True)
class SitrepFigures:
    """What a SITREP says in numbers (also what its tests check)."""

    total: int
    by_status: dict[str, int]
    by_category: dict[str, int]  # label -> count, most first
    by_severity: dict[int, int]
    casualties: dict[str, dict[str, int]]  # kind -> group -> count, "total" included
    rows: list[IncidentRow]
    movements: tuple[PeriodMovement, ...]  # under way or planned in the period (and area)
    unplaced: frozenset[str]  # of those, the ids with no position, listed whatever the area
    roster: dict[str, int]  # persons on the roster now, per outpost
    headcount: HeadcountView | None  # the latest started before the period's end
    sensitivity: Sensitivity  # of the report: the highest of what it lists, at least the floor


@dataclass(frozen=True)
class WrittenReport:
    path: Path
    kind: str
    format: ReportFormat
    sensitivity: Sensitivity
    size: int


def _dtg(seconds: int | None) -> str:
    return format_dtg(datetime.fromtimestamp(seconds, UTC)) if seconds is not None else "-"


def _casualty_rows(table: dict[str, dict[str, int]]) -> tuple[tuple[str, ...], ...]:
    return tuple(
        (kind.upper(), *(str(table[kind][g]) for g in (*CASUALTY_GROUPS, "total")))
        for kind in CASUALTY_KINDS
    )


def casualty_table(casualties: Casualties) -> dict[str, dict[str, int]]:
    table: dict[str, dict[str, int]] = {}
    for kind in CASUALTY_KINDS:
        counts = getattr(casualties, kind)
        table[kind] = {g: getattr(counts, g) for g in CASUALTY_GROUPS}
        table[kind]["total"] = counts.total
    return table


def area_text(area: BoundingBox | None, grid: str) -> str:
    """The AREA line: the grid square and the box, or ALL AREAS."""
    parts = []
    if grid:
        parts.append(f"MGRS {grid.upper()}")
    if area is not None:
        parts.append(
            f"{area.south:.4f},{area.west:.4f} TO {area.north:.4f},{area.east:.4f} (S,W TO N,E)"
        )
    return " AND ".join(parts) or "ALL AREAS"


def _coded(code: str, words: dict[str, str]) -> str:
    return f"{PHONETIC.get(code, code)} ({words[code]})"


@dataclass(frozen=True)
class SentReport:
    message_id: str
    channel: str  # its name
    precedence: Precedence
    sensitivity: Sensitivity  # the message's: the report's, or the channel's if higher


class ReportService:
    def __init__(
        self,
        incidents: IncidentService,
        people: PeopleService,
        attachments: AttachmentService,
        audit: AuditService,
        *,
        movements: MovementService,
        headcount: HeadcountService,
        roster: RosterService,
        sync: Callable[[], SyncSummary | None],
        messaging: MessagingService,
    ) -> None:
        """`sync` says when this laptop last met each peer (None: not known)."""
        self._incidents = incidents
        self._people = people
        self._attachments = attachments
        self._audit = audit
        self._movements = movements
        self._headcount = headcount
        self._roster = roster
        self._sync = sync
        self._messaging = messaging

    def _from(self) -> str:
        return self._people.my_label()

    # -- INCREP -------------------------------------------------------------------------------

    def _incident_level(self, incident_id: str) -> Sensitivity:
        """An incident's level: a report naming it (its site, its casualties) is never below."""
        value = self._incidents.get(incident_id).fields.get("sensitivity")
        try:
            return Sensitivity(value) if value else Sensitivity.UNCLASSIFIED
        except ValueError:
            return Sensitivity.STRICTLY_CONFIDENTIAL  # unreadable: the highest, never the lowest

    def increp(self, incident_id: str) -> ReportDocument:
        detail = self._incidents.get(incident_id)
        incident = detail.incident
        if incident is None:
            raise InvalidInput(
                "This draft is not complete yet (missing: " + ", ".join(detail.missing) + ")."
            )
        location = incident.location
        where = "NOT KNOWN"
        if location is not None:
            where = location.mgrs or f"{location.lat:.5f}, {location.lon:.5f}"
            where += f" ({location.lat:.5f}, {location.lon:.5f})" if location.mgrs else ""
            if location.place:
                where += f" - {location.place}"
        admiralty = (
            f"{incident.source_reliability}{incident.source_credibility}"
            if incident.source_reliability
            else ""
        )
        labels = self._incidents.taxonomy.labels()
        related = []
        for other in incident.related:
            try:
                title = self._incidents.get(other).fields.get("title", "")
            except InvalidInput:
                title = "(not in this vault)"
            related.append(f"{other} {title}")
        verified = [t for t in detail.history if t.target is IncidentStatus.VERIFIED]
        status = incident.status.value.upper()
        if verified:
            status += f" (verified by {verified[-1].by} {format_dtg(verified[-1].at)})"
        blocks: list[Line | Table] = [
            Line(1, "DTG OF INCIDENT", format_dtg(incident.occurred)),
            Line(2, "DTG OF REPORT", format_dtg(incident.reported)),
            Line(3, "REPORTING OFFICER", incident.reporting_officer),
            Line(4, "INCIDENT", incident.title),
            Line(5, "CATEGORY", labels.get(incident.category, incident.category)),
            Line(6, "SEVERITY", f"{incident.severity} OF 5"),
            Line(7, "LOCATION", where),
            Table(8, "CASUALTIES", ("", *GROUP_HEADERS),
                  _casualty_rows(casualty_table(incident.casualties)), "lrrrrr"),
            Line(9, "PERPETRATORS", incident.perpetrators),
            Line(10, "NARRATIVE", incident.narrative),
            Line(11, "ACTION TAKEN", incident.action_taken),
            Line(12, "ASSESSMENT", incident.assessment),
            Line(13, "SOURCE", f"{incident.source} {admiralty}".strip()),
            Line(14, "STATUS", status),
            Line(15, "RELATED INCIDENTS", "\n".join(related)),
            Line(16, "ATTACHMENTS", "\n".join(a.name for a in detail.attachments)),
        ]  # fmt: skip
        return ReportDocument(
            kind="INCREP",
            title="INCREP - INCIDENT REPORT",
            precedence=Precedence.PRIORITY,
            marking=incident.sensitivity.label,
            heading=(
                Line(0, "FROM", self._from()),
                Line(0, "DTG", format_dtg(datetime.now(UTC))),
                Line(0, "REF", incident_id),
            ),
            blocks=tuple(blocks),
        )

    # -- SITREP -------------------------------------------------------------------------------

    def sitrep_figures(
        self,
        start: datetime,
        end: datetime,
        *,
        area: BoundingBox | None = None,
        grid: str = "",
        statuses: tuple[IncidentStatus, ...] = REPORTED_STATUSES,
        floor: Sensitivity = Sensitivity.UNCLASSIFIED,
    ) -> SitrepFigures:
        spec = IncidentFilter(
            occurred_from=start,
            occurred_to=end,
            area=area,
            grid=grid,
            statuses=statuses,
            sort=SortKey.OCCURRED,
            descending=False,
        )
        counts = self._incidents.page(spec, limit=1).counts
        rows = self._incidents.rows(spec)
        sums = self._incidents.casualty_totals(spec)
        casualties: dict[str, dict[str, int]] = {}
        for k, kind in enumerate(CASUALTY_KINDS):
            groups = dict(zip(CASUALTY_GROUPS, sums[k * 4 : k * 4 + 4], strict=True))
            casualties[kind] = {**groups, "total": sum(groups.values())}
        by_status: dict[str, int] = {}
        level = floor
        for row in rows:
            by_status[row.status.value] = by_status.get(row.status.value, 0) + 1
            if row.sensitivity.rank > level.rank:
                level = row.sensitivity
        labels = self._incidents.taxonomy.labels()
        by_category = {
            labels.get(slug, slug): count
            for slug, count in sorted(counts.category_totals.items(), key=lambda kv: -kv[1])
        }
        movements, unplaced = sections.placed(
            self._movements.of_period(start, end), area, spec.grid_prefix
        )
        entries = self._roster.entries()
        headcount = self._headcount.latest_before(end)
        level = sections.higher(level, sections.movements_level(movements))
        level = sections.higher(level, sections.personnel_level(entries, headcount))
        return SitrepFigures(
            total=counts.total,
            by_status=by_status,
            by_category=by_category,
            by_severity=dict(sorted(counts.severity_totals.items(), reverse=True)),
            casualties=casualties,
            rows=rows,
            movements=movements,
            unplaced=unplaced,
            roster=sections.roster_counts(entries),
            headcount=headcount,
            sensitivity=level,
        )

    def sitrep(
        self,
        start: datetime,
        end: datetime,
        *,
        area: BoundingBox | None = None,
        grid: str = "",
        statuses: tuple[IncidentStatus, ...] = REPORTED_STATUSES,
        floor: Sensitivity = Sensitivity.UNCLASSIFIED,
        assessment: str = "",
        logistics: str = "",
        communications: str = "",
        next_steps: str = "",
    ) -> tuple[ReportDocument, SitrepFigures]:
        """The lines in the order of the field guide; the officer's free text (logistics,
        communications, assessment, next steps) as given, NIL when empty."""
        if start >= end:
            raise InvalidInput("The SITREP's period ends before it starts.")
        figures = self.sitrep_figures(
            start, end, area=area, grid=grid, statuses=statuses, floor=floor
        )
        labels = self._incidents.taxonomy.labels()
        status_text = ", ".join(
            f"{figures.by_status[s.value]} {s.value}"
            for s in IncidentStatus
            if s.value in figures.by_status
        )
        listed = tuple(
            (
                _dtg(r.occurred),
                r.mgrs or (f"{r.lat:.4f},{r.lon:.4f}" if r.lat is not None else "-"),
                labels.get(r.category, r.category),
                str(r.severity or "-"),
                f"{r.killed}/{r.injured}/{r.missing}",
                r.title,
            )
            for r in figures.rows
        )
        blocks: list[Line | Table] = [
            Line(1, "PERIOD", f"{format_dtg(start)} TO {format_dtg(end)}"),
            Line(2, "AREA", area_text(area, grid)),
            Line(3, "SITUATION", f"{figures.total} INCIDENT{'' if figures.total == 1 else 'S'}"
                 + (f" ({status_text})" if status_text else "")),
            Table(4, "INCIDENTS BY CATEGORY", ("CATEGORY", "COUNT"),
                  tuple((k, str(v)) for k, v in figures.by_category.items()), "lr", (3, 1)),
            Table(5, "INCIDENTS BY SEVERITY", ("SEVERITY", "COUNT"),
                  tuple((SEVERITY_WORDS.get(k, str(k)), str(v))
                        for k, v in figures.by_severity.items()), "lr", (3, 1)),
            Table(6, "CASUALTIES", ("", *GROUP_HEADERS), _casualty_rows(figures.casualties),
                  "lrrrrr"),
            Table(7, "INCIDENTS", ("DTG", "MGRS", "CATEGORY", "SEV", "K/I/M", "TITLE"), listed,
                  "llllrl", (1.7, 2.3, 2.4, 0.5, 0.8, 3.8)),
            sections.movements_table(8, figures.movements, figures.unplaced,
                                    self._movements.now()),
            sections.personnel_table(9, figures.roster, figures.headcount,
                                     whole_mission_note=area is not None or bool(grid)),
            Line(10, "LOGISTICS", logistics),
            Line(11, "COMMUNICATIONS", sections.communications_text(communications, self._sync())),
            Line(12, "ASSESSMENT", assessment),
            Line(13, "NEXT STEPS", next_steps),
        ]  # fmt: skip
        document = ReportDocument(
            kind="SITREP",
            title="SITREP - SITUATION REPORT",
            marking=figures.sensitivity.label,
            heading=(
                Line(0, "FROM", self._from()),
                Line(0, "DTG", format_dtg(datetime.now(UTC))),
            ),
            blocks=tuple(blocks),
        )
        return document, figures

    # -- 9-line MEDEVAC -----------------------------------------------------------------------

    def medevac(self, request: MedevacRequest) -> ReportDocument:
        line3 = ", ".join(
            f"{n} {_coded(code, PRECEDENCE)}" for code, n in sorted(request.patients.items()) if n
        )
        line5 = ", ".join(
            part
            for part in (
                f"{request.litter} LIMA (litter)" if request.litter else "",
                f"{request.ambulatory} ALPHA (ambulatory)" if request.ambulatory else "",
            )
            if part
        )
        line6 = request.wounds if request.peacetime else _coded(request.security or "N", SECURITY)
        line7 = _coded(request.marking, MARKING)
        if request.marking_detail:
            line7 += f", {request.marking_detail}"
        line8 = ", ".join(
            f"{n} {_coded(code, NATIONALITY)}"
            for code, n in sorted(request.nationality.items())
            if n
        )
        if request.peacetime:
            line9 = request.terrain or "NIL"
        else:
            line9 = ", ".join(_coded(c, CBRN) for c in request.cbrn) or "NONE"
        blocks = (
            Line(1, "LOCATION OF PICKUP SITE", request.location.mgrs or
                 f"{request.location.lat:.5f}, {request.location.lon:.5f}"),
            Line(2, "RADIO FREQUENCY, CALLSIGN", f"{request.frequency}, {request.callsign}"),
            Line(3, "PATIENTS BY PRECEDENCE", line3),
            Line(4, "SPECIAL EQUIPMENT",
                 ", ".join(_coded(e, EQUIPMENT) for e in request.equipment)),
            Line(5, "PATIENTS BY TYPE", line5),
            Line(6, "WOUNDS" if request.peacetime else "SECURITY AT PICKUP SITE", line6),
            Line(7, "MARKING OF PICKUP SITE", line7),
            Line(8, "PATIENT NATIONALITY AND STATUS", line8),
            Line(9, "TERRAIN" if request.peacetime else "CBRN CONTAMINATION", line9),
        )  # fmt: skip
        heading = [Line(0, "FROM", self._from()), Line(0, "DTG", format_dtg(datetime.now(UTC)))]
        level = request.sensitivity
        if request.incident:
            heading.append(Line(0, "REF", request.incident))
            level = max(level, self._incident_level(request.incident), key=lambda s: s.rank)
        return ReportDocument(
            kind="MEDEVAC",
            title="9-LINE MEDEVAC REQUEST",
            precedence=(
                Precedence.FLASH
                if request.patients.get("A") or request.patients.get("B")  # urgent (surgical)
                else Precedence.IMMEDIATE
            ),
            marking=level.label,
            heading=tuple(heading),
            blocks=blocks,
        )

    # -- sent as a message ---------------------------------------------------------------------

    def send(
        self, document: ReportDocument, channel: str, precedence: Precedence | None = None
    ) -> SentReport:
        """Post the report's text to a channel (its own precedence unless another is given,
        marked as the report is, or as the channel is if higher: the text's marking lines
        too): it syncs and is acknowledged like any message; nothing is written outside the
        vault."""
        chosen = precedence or document.precedence
        _channel_id, card = self._messaging.require_channel(channel)
        level = Sensitivity.parse(document.marking)
        if card.sensitivity.rank > level.rank:  # the message is marked as its channel is
            level = card.sensitivity
            document = replace(document, marking=level.label)
        text = render_text(document)
        if len(text) > MAX_MESSAGE_TEXT:
            raise InvalidInput(
                f"This {document.kind} is {len(text):,} characters, more than a message holds "
                f"({MAX_MESSAGE_TEXT:,}): narrow its period or area, or save it as a file."
            )
        message_id = self._messaging.send(channel, text, chosen, level)
        return SentReport(message_id, card.name, chosen, level)

    # -- output -------------------------------------------------------------------------------

    @staticmethod
    def render(document: ReportDocument, fmt: ReportFormat) -> bytes:
        if fmt is ReportFormat.TEXT:
            return render_text(document).encode("utf-8")
        from missiondesk.reports.pdf import render_pdf

        return render_pdf(document)

    def write(
        self, document: ReportDocument, fmt: ReportFormat, destination: Path
    ) -> WrittenReport:
        """Render and write the report atomically (0600) where the officer chose; audited."""
        check_destination(destination)
        data = self.render(document, fmt)
        write_atomically(destination, data)
        level = Sensitivity.parse(document.marking)
        self._audit.record(
            AuditEvent.EXPORTED,
            what=f"report {document.kind}",
            format=fmt.value,
            bytes=len(data),
            sensitivity=level.value,
        )
        return WrittenReport(destination, document.kind, fmt, level, len(data))


def check_destination(destination: Path) -> None:
    """Refuse, as invalid input, a destination that is a folder or in a folder that is not."""
    if destination.is_dir():
        raise InvalidInput(f"{destination} is a folder; give a file name.")
    if not destination.parent.is_dir():
        raise InvalidInput(f"The folder {destination.parent} does not exist.")
