"""A position as the map's readout shows it: MGRS, decimal degrees and DMS."""

from __future__ import annotations

from missiondesk.domain.coordinates import to_dms, to_mgrs


def readout(lat: float, lon: float) -> str:
    try:
        grid = to_mgrs(lat, lon)
    except Exception:  # noqa: BLE001 - MGRS is undefined near the poles (the mgrs library's error)
        grid = "no MGRS here"
    return f"{grid}   {lat:.5f}, {lon:.5f}   {to_dms(lat, lon)}"
