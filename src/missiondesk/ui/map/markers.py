"""Incident markers as arrays: what the vault thread hands the map (ids, projected
positions, categories, severities), ready for one ScatterPlotItem."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from missiondesk.domain.markings import Sensitivity
from missiondesk.domain.web_mercator import Floats, project_arrays
from missiondesk.store.incident_reads import IncidentRow


@dataclass(frozen=True)
class Markers:
    ids: tuple[str, ...]
    x: Floats  # projected metres
    y: Floats
    categories: tuple[str, ...]
    severities: tuple[int, ...]  # 0 where a draft has none yet
    sensitivity: Sensitivity = Sensitivity.UNCLASSIFIED  # the highest of the markers

    def __len__(self) -> int:
        return len(self.ids)

    @staticmethod
    def empty() -> Markers:
        return Markers((), np.zeros(0), np.zeros(0), (), ())


def markers_from_rows(rows: Sequence[IncidentRow]) -> Markers:
    """The rows that have a position, projected (run on the vault thread, not the GUI's)."""
    placed = [r for r in rows if r.lat is not None and r.lon is not None]
    if not placed:
        return Markers.empty()
    lat = np.fromiter((r.lat for r in placed), dtype=np.float64, count=len(placed))
    lon = np.fromiter((r.lon for r in placed), dtype=np.float64, count=len(placed))
    x, y = project_arrays(lat, lon)
    return Markers(
        tuple(r.id for r in placed),
        x,
        y,
        tuple(r.category for r in placed),
        tuple(r.severity or 0 for r in placed),
        max((r.sensitivity for r in placed), key=lambda level: level.rank),
    )
