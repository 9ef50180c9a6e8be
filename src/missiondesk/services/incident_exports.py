"""Incidents leaving the vault as CSV (optionally with an HXL hashtag row) or GeoJSON.

An export is an explicit act: written atomically (mode 0600) where the officer chose, and
recorded in the audit log with its format, count and sensitivity (never its content). The file
carries its marking: the highest sensitivity level of the incidents in it, as the first line of
a CSV (``# CONFIDENTIAL ...``) and as the collection's ``sensitivity`` member in GeoJSON.

`strip_personal` leaves out what names or can identify people: the reporting officer, the
source, the perpetrators, the free-text fields (narrative, action taken, assessment: they can
name anyone and cannot be checked by a program) and attachment names. Kept: ids, times,
category, severity, status, location, casualty figures, title, sensitivity, related ids.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

import orjson

from missiondesk.domain.dtg import format_dtg
from missiondesk.domain.incident_filter import IncidentFilter
from missiondesk.domain.records.base import Sensitivity
from missiondesk.domain.records.incidents import CASUALTY_GROUPS, CASUALTY_KINDS
from missiondesk.services.audit import AuditEvent, AuditService
from missiondesk.services.incidents import IncidentService
from missiondesk.services.reports import check_destination
from missiondesk.store.atomic import write_atomically

MAX_EXPORT = 1_000_000


class ExportFormat(StrEnum):
    CSV = "csv"
    GEOJSON = "geojson"


def _casualty(doc: dict[str, Any], kind: str, group: str) -> int:
    value = doc.get("casualties", {}).get(kind, {}).get(group, 0)
    return value if isinstance(value, int) else 0


def _location(doc: dict[str, Any], key: str) -> Any:
    location = doc.get("location")
    return location.get(key, "") if isinstance(location, dict) else ""


def _occurred_dtg(doc: dict[str, Any]) -> str:
    try:
        return format_dtg(datetime.fromisoformat(str(doc.get("occurred"))))
    except ValueError:
        return ""


@dataclass(frozen=True)
class Column:
    name: str
    hxl: str
    value: Value
    personal: bool = False


Value = Callable[[str, dict[str, Any], dict[str, str]], Any]


def _field(name: str) -> Value:
    return lambda _id, doc, _labels: doc.get(name, "")


def _casualty_column(kind: str, group: str) -> Value:
    return lambda _id, doc, _labels: _casualty(doc, kind, group)


def _casualty_total(kind: str) -> Value:
    return lambda _id, doc, _labels: sum(_casualty(doc, kind, g) for g in CASUALTY_GROUPS)


COLUMNS: tuple[Column, ...] = (
    Column("id", "#event +id", lambda i, _d, _l: i),
    Column("occurred", "#date +occurred", _field("occurred")),
    Column("occurred_dtg", "#date +occurred +dtg", lambda _i, d, _l: _occurred_dtg(d)),
    Column("reported", "#date +reported", _field("reported")),
    Column("title", "#event +name", _field("title")),
    Column("category", "#event +type +code", _field("category")),
    Column("category_label", "#event +type +name",
           lambda _i, d, labels: labels.get(str(d.get("category")), d.get("category", ""))),
    Column("severity", "#severity", _field("severity")),
    Column("status", "#status", lambda _i, d, _l: d.get("status", "draft")),
    Column("lat", "#geo +lat", lambda _i, d, _l: _location(d, "lat")),
    Column("lon", "#geo +lon", lambda _i, d, _l: _location(d, "lon")),
    Column("mgrs", "#geo +coord +mgrs", lambda _i, d, _l: _location(d, "mgrs")),
    Column("place", "#loc +name", lambda _i, d, _l: _location(d, "place")),
    *(
        Column(f"{kind}_{group}", f"#affected +{kind} +{group}", _casualty_column(kind, group))
        for kind in CASUALTY_KINDS
        for group in CASUALTY_GROUPS
    ),
    *(
        Column(f"{kind}_total", f"#affected +{kind} +total", _casualty_total(kind))
        for kind in CASUALTY_KINDS
    ),
    Column("perpetrators", "#group +perpetrators", _field("perpetrators"), personal=True),
    Column("narrative", "#description +narrative", _field("narrative"), personal=True),
    Column("action_taken", "#description +action", _field("action_taken"), personal=True),
    Column("assessment", "#description +assessment", _field("assessment"), personal=True),
    Column("source", "#meta +source", _field("source"), personal=True),
    Column("admiralty", "#meta +source +admiralty",
           lambda _i, d, _l: f"{d.get('source_reliability') or ''}"
                             f"{d.get('source_credibility') or ''}"),
    Column("reporting_officer", "#contact +name +reporter", _field("reporting_officer"),
           personal=True),
    Column("sensitivity", "#meta +sensitivity",
           lambda _i, d, _l: d.get("sensitivity", "unclassified")),
    Column("related", "#event +related", lambda _i, d, _l: " ".join(d.get("related", ()))),
)  # fmt: skip


@dataclass(frozen=True)
class ExportResult:
    path: Path
    format: ExportFormat
    count: int
    sensitivity: Sensitivity
    stripped: bool
    size: int


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")  # what a spreadsheet reads as a formula


def inert(value: object) -> object:
    """A CSV cell a spreadsheet shows as text: text that would start a formula (a title such as
    `=HYPERLINK(...)` typed on, or synced from, any laptop) gets a leading apostrophe, which
    spreadsheets hide. Numbers are left as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class ExportService:
    def __init__(self, incidents: IncidentService, audit: AuditService) -> None:
        self._incidents = incidents
        self._audit = audit

    def _documents(self, spec: IncidentFilter) -> list[tuple[str, dict[str, Any]]]:
        found = self._incidents.documents(spec, limit=MAX_EXPORT)
        return [(i, orjson.loads(doc)) for i, doc in found]

    @staticmethod
    def _level(docs: list[tuple[str, dict[str, Any]]]) -> Sensitivity:
        level = Sensitivity.UNCLASSIFIED
        for _, doc in docs:
            found = Sensitivity.of_stored(doc.get("sensitivity", "unclassified"))
            if found.rank > level.rank:
                level = found
        return level

    def render(
        self,
        fmt: ExportFormat,
        spec: IncidentFilter,
        *,
        hxl: bool = False,
        strip_personal: bool = False,
    ) -> tuple[bytes, int, Sensitivity]:
        """The export's bytes (in memory), how many incidents it holds, and its marking."""
        docs = self._documents(spec)
        level = self._level(docs)
        labels = self._incidents.taxonomy.labels()
        columns = [c for c in COLUMNS if not (strip_personal and c.personal)]
        stamp = format_dtg(datetime.now(UTC))
        note = "; personal data removed" if strip_personal else ""
        if fmt is ExportFormat.CSV:
            out = io.StringIO()
            out.write(
                f"# {level.label} - MissionDesk incident export, {stamp}, "
                f"{len(docs)} incidents{note}\n"
            )
            writer = csv.writer(out, lineterminator="\n")
            writer.writerow([c.name for c in columns])
            if hxl:
                writer.writerow([c.hxl for c in columns])
            for incident_id, doc in docs:
                writer.writerow([inert(c.value(incident_id, doc, labels)) for c in columns])
            return out.getvalue().encode("utf-8"), len(docs), level
        features = []
        for incident_id, doc in docs:
            lat, lon = _location(doc, "lat"), _location(doc, "lon")
            geometry = (
                {"type": "Point", "coordinates": [lon, lat]}
                if isinstance(lat, int | float) and isinstance(lon, int | float)
                else None
            )
            properties = {c.name: c.value(incident_id, doc, labels) for c in columns}
            features.append(
                {"type": "Feature", "id": incident_id, "geometry": geometry,
                 "properties": properties}
            )  # fmt: skip
        collection = {
            "type": "FeatureCollection",
            "sensitivity": level.label,
            "generator": "MissionDesk",
            "exported": stamp,
            "personal_data_removed": strip_personal,
            "features": features,
        }
        return json.dumps(collection, ensure_ascii=False, indent=1).encode(), len(docs), level

    def export(
        self,
        fmt: ExportFormat,
        spec: IncidentFilter,
        destination: Path,
        *,
        hxl: bool = False,
        strip_personal: bool = False,
    ) -> ExportResult:
        """Write the filtered incidents to `destination` (atomically, 0600); audited."""
        check_destination(destination)
        data, count, level = self.render(fmt, spec, hxl=hxl, strip_personal=strip_personal)
        write_atomically(destination, data)
        self._audit.record(
            AuditEvent.EXPORTED,
            what=f"incidents {fmt.value}",
            count=count,
            bytes=len(data),
            sensitivity=level.value,
            personal_data_removed=strip_personal,
            hxl=hxl,
        )
        return ExportResult(destination, fmt, count, level, strip_personal, len(data))
