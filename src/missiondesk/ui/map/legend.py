"""The map's key: what a marker's colour, size and shape say, for a reader new to the map."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

from missiondesk.ui.incidents.chart import SEVERITY_COLOURS

SEVERITY_WORDS = {1: "minor", 2: "moderate", 3: "serious", 4: "severe", 5: "critical"}
# The shapes of ui/map/style.CATEGORY_SYMBOLS, by family, as the characters that look like them.
SHAPES = (
    ("\u25bc", "armed clash, fire, killing"),
    ("\u25b2", "ceasefire or airspace violation"),
    ("\u25c6", "IED, mine, UXO"),
    ("\u25a0", "crime, abduction, threat"),
    ("\u2b22", "unrest, movement restriction"),
    ("\u271a", "accident, medical"),
    ("\u2605", "natural hazard, fire"),
    ("\u25cf", "other"),
)


def legend_html() -> str:
    rows = [
        f"<span style='color:{SEVERITY_COLOURS[n]}; font-size:large'>\u25a0</span> {n} "
        f"{SEVERITY_WORDS[n]}"
        for n in range(1, 6)
    ]
    shapes = [f"<b>{symbol}</b> {html.escape(words)}" for symbol, words in SHAPES]
    return (
        "<b>Incidents</b><br>Colour and size: severity<br>"
        + "<br>".join(rows)
        + "<br>Shape: category<br>"
        + "<br>".join(shapes)
    )


class MapLegend(QLabel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setText(legend_html())
        self.setWordWrap(True)
        self.setAccessibleName("Map legend")
