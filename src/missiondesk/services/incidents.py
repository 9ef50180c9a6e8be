"""Logging incidents and listing them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from missiondesk.domain.coordinates import parse_location
from missiondesk.domain.dtg import format_dtg
from missiondesk.domain.errors import InvalidInput
from missiondesk.domain.markings import Sensitivity
from missiondesk.domain.records.incidents import DEFAULT_CATEGORIES, Incident
from missiondesk.services.people import PeopleService
from missiondesk.services.records import RecordService, validate


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


def resolve_category(text: str, taxonomy: dict[str, str] = DEFAULT_CATEGORIES) -> str:
    """Accept a category's slug or its label, in any case; say which ones exist otherwise."""
    wanted = text.strip().casefold().replace("-", "_").replace(" ", "_")
    for slug, label in taxonomy.items():
        if wanted in (slug, label.casefold().replace(" ", "_")):
            return slug
    raise InvalidInput(
        f"'{text}' is not an incident category. Categories: " + ", ".join(taxonomy) + "."
    )


class IncidentService:
    def __init__(self, records: RecordService, people: PeopleService) -> None:
        self._records = records
        self._people = people

    def add(
        self,
        *,
        title: str,
        category: str,
        severity: int,
        location: str | None = None,
        place: str = "",
        description: str = "",
        occurred: datetime | None = None,
        sensitivity: Sensitivity = Sensitivity.UNCLASSIFIED,
        **more: Any,
    ) -> str:
        now = datetime.now(UTC)
        me = self._people.me()
        fields: dict[str, Any] = {
            "title": title,
            "category": resolve_category(category),
            "severity": severity,
            "occurred": occurred or now,
            "reported": now,
            "location": parse_location(location, place) if location else None,
            "narrative": description,
            "reporting_officer": (me.callsign or me.name) if me else "",
            "sensitivity": sensitivity,
            **more,
        }
        incident_id, _ = self._records.create(validate(Incident, fields))
        return incident_id

    def list(self) -> list[IncidentView]:
        found = [IncidentView(s.id, i) for s, i in self._records.list(Incident)]
        found.sort(key=lambda v: v.incident.occurred, reverse=True)
        return found
