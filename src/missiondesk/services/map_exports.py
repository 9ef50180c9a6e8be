"""A picture of the map written where the officer chose: atomically, mode 0600, audited
with the highest sensitivity of the incidents it shows (the file is not encrypted)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from missiondesk.domain.markings import Sensitivity
from missiondesk.services.audit import AuditEvent, AuditService
from missiondesk.services.reports import check_destination
from missiondesk.store.atomic import write_atomically


@dataclass(frozen=True)
class WrittenMap:
    path: Path
    size: int
    incidents: int
    sensitivity: Sensitivity


def write_map_png(
    audit: AuditService, destination: Path, png: bytes, *, incidents: int, sensitivity: Sensitivity
) -> WrittenMap:
    check_destination(destination)
    write_atomically(destination, png)
    audit.record(
        AuditEvent.EXPORTED,
        what="map view",
        format="png",
        bytes=len(png),
        incidents=incidents,
        sensitivity=sensitivity.value,
    )
    return WrittenMap(destination, len(png), incidents, sensitivity)
