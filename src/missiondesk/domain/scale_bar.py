"""A scale bar's length: the longest round distance (1, 2 or 5 x 10^k m) that fits."""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class ScaleBar:
    metres: float
    label: str  # "500 m", "2 km"

    def pixels(self, metres_per_pixel: float) -> float:
        return self.metres / metres_per_pixel


def label(metres: float) -> str:
    if metres >= 1000:
        km = metres / 1000
        return f"{km:,.0f} km" if km >= 1 and km == int(km) else f"{km:g} km"
    return f"{metres:g} m"


def nice_scale(max_pixels: float, metres_per_pixel: float) -> ScaleBar:
    """The scale bar for a bar at most `max_pixels` long at this ground resolution."""
    if max_pixels <= 0 or metres_per_pixel <= 0 or not math.isfinite(metres_per_pixel):
        raise ValueError("a scale bar needs a positive length and resolution")
    limit = max_pixels * metres_per_pixel
    power = 10.0 ** math.floor(math.log10(limit))
    best = power
    for step in (2.0, 5.0, 10.0):
        if step * power <= limit * (1 + 1e-9):
            best = step * power
    return ScaleBar(best, label(best))
