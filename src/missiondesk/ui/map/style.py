"""How the map looks: land and water, and incident markers by category and severity.

Severity sets a marker's colour (the chart's colours, so the two read alike) and its size;
the category sets its shape, by family, so a shape means the same on every laptop.
"""

from __future__ import annotations

from missiondesk.ui.incidents.chart import SEVERITY_COLOURS

WATER = "#c9dcea"
LAND = "#f3f0e6"
BORDER = "#8c8c7c"
PLACE = "#3d3d3d"
MARKER_OUTLINE = "#1e1e1e"
UNKNOWN_SEVERITY = "#7f7f7f"

# pyqtgraph symbol names: triangle for fire and violence, diamond for explosives, square for
# crimes against persons, hexagon for restrictions and unrest, cross for accidents and hazards.
CATEGORY_SYMBOLS: dict[str, str] = {
    "armed_clash": "t",
    "indirect_fire": "t",
    "small_arms_fire": "t",
    "killing": "t",
    "ceasefire_violation": "t1",
    "airspace_violation": "t1",
    "ied_mine_uxo": "d",
    "abduction": "s",
    "sexual_violence": "s",
    "crime": "s",
    "threat": "s",
    "civil_unrest": "h",
    "movement_restriction": "h",
    "traffic_accident": "+",
    "medical": "+",
    "natural_hazard": "star",
    "fire": "star",
}
DEFAULT_SYMBOL = "o"


def symbol_for(category: str) -> str:
    return CATEGORY_SYMBOLS.get(category, DEFAULT_SYMBOL)


def colour_for(severity: int) -> str:
    return SEVERITY_COLOURS.get(severity, UNKNOWN_SEVERITY)


def size_for(severity: int) -> float:
    """Pixels across: 8 for severity 1 up to 16 for severity 5 (10 when unknown)."""
    return 6.0 + 2.0 * severity if 1 <= severity <= 5 else 10.0
