"""What a mission package says: the mission, the records a new laptop starts with, the files.

A mission package is a ZIP file the mission authority signs (see `services/mission_package`):
`manifest.json` (this model), `manifest.sig` (Ed25519 over the manifest's bytes, by the key the
manifest names) and one file per map layer's content. The records are the authority's own view
of them, with the clock of every field, so a laptop set up from the package restates them as
they stood when the package was made (see docs/installers.md, "Mission package").
"""

from __future__ import annotations

from collections import Counter
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from missiondesk.domain.ids import fingerprint, is_entity_id
from missiondesk.domain.markings import Sensitivity

FORMAT = "missiondesk.mission-package"
MANIFEST = "manifest.json"
SIGNATURE = "manifest.sig"
# The record types a package may carry, in the order they are restated.
PACKAGE_TYPES = (
    "incident_taxonomy",
    "channel",
    "checklist_template",
    "map_layer",
    "map_feature",
)
TYPE_LABELS = {
    "incident_taxonomy": ("incident taxonomy", "incident taxonomies"),
    "channel": ("channel", "channels"),
    "checklist_template": ("checklist template", "checklist templates"),
    "map_layer": ("map layer", "map layers"),
    "map_feature": ("map overlay", "map overlays"),
}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class PackageMission(_Strict):
    id: str = Field(pattern=r"^[0-9a-f]{32}$")
    name: str = Field(min_length=1, max_length=200)
    authority_key: str = Field(min_length=1, max_length=100)  # base64 Ed25519 public key
    ca_certificate: str = Field(min_length=1, max_length=20_000)  # PEM

    @property
    def code(self) -> str:
        """What the officer compares with the mission authority before trusting the package."""
        return fingerprint(self.id)


class PackageFile(_Strict):
    name: str = Field(pattern=r"^layers/[0-9A-Za-z_.:-]{1,64}\.(json|tiles)$")
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    size: int = Field(ge=0)


class PackageRecord(_Strict):
    type: str
    id: str
    fields: dict[str, Any]
    clocks: dict[str, tuple[int, str]]  # field -> [hlc, author] of the value in the package
    file: str | None = None  # the name of its content in the package (map layers)

    @field_validator("type")
    @classmethod
    def _known_type(cls, value: str) -> str:
        if value not in PACKAGE_TYPES:
            raise ValueError(f"a mission package cannot carry '{value}' records")
        return value

    @field_validator("id")
    @classmethod
    def _entity_id(cls, value: str) -> str:
        if not is_entity_id(value):
            raise ValueError("not a record id")
        return value


class Manifest(_Strict):
    format: Literal["missiondesk.mission-package"]
    version: Literal[1]
    mission: PackageMission
    issued_at: int = Field(gt=0)  # the authority's HLC when the package was made
    issued: str  # the same moment, ISO 8601 UTC, for people
    issued_by: str = Field(pattern=r"^[0-9a-f]{32}$")  # the authority laptop's device id
    sensitivity: Sensitivity  # the highest level of anything in the package
    records: tuple[PackageRecord, ...] = Field(max_length=100_000)
    files: tuple[PackageFile, ...] = Field(max_length=10_000)

    def counts(self) -> Counter[str]:
        return Counter(record.type for record in self.records)

    def contents(self) -> str:
        """e.g. '4 channels, 6 checklist templates, 1 incident taxonomy, 2 map layers'."""
        counts = self.counts()
        parts = []
        for kind in PACKAGE_TYPES:
            if counts[kind]:
                one, many = TYPE_LABELS[kind]
                parts.append(f"{counts[kind]} {one if counts[kind] == 1 else many}")
        return ", ".join(parts) or "no records"

    def names_of(self, record_type: str) -> list[str]:
        return [
            str(record.fields.get("name", record.id))
            for record in self.records
            if record.type == record_type
        ]
