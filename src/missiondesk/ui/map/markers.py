"""Incident markers as arrays: what the vault thread hands the map (ids, projected
positions, categories, severities), ready for one ScatterPlotItem."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from missiondesk.domain.markings import Sensitivity
from missiondesk.domain.web_mercator import Floats, project_arrays
from missiondesk.store.incident_reads import IncidentPosition


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


def markers_from_positions(placed: Sequence[IncidentPosition]) -> Markers:
    """Incident positions as projected arrays (run on the vault thread, not the GUI's)."""
    if not placed:
        return Markers.empty()
    lat = np.fromiter((p.lat for p in placed), dtype=np.float64, count=len(placed))
    lon = np.fromiter((p.lon for p in placed), dtype=np.float64, count=len(placed))
    x, y = project_arrays(lat, lon)
    return Markers(
        tuple(p.id for p in placed),
        x,
        y,
        tuple(p.category for p in placed),
        tuple(p.severity for p in placed),
        max((p.sensitivity for p in placed), key=lambda level: level.rank),
    )
