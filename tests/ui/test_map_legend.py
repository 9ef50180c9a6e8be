"""The map's key says what every marker shape and colour means: each symbol the markers use
has a line, and each severity its colour."""

from __future__ import annotations

from missiondesk.ui.incidents.chart import SEVERITY_COLOURS
from missiondesk.ui.map.legend import SHAPES, MapLegend, legend_html
from missiondesk.ui.map.style import CATEGORY_SYMBOLS, DEFAULT_SYMBOL

# pyqtgraph's symbol names and the characters the key draws for them
DRAWN_AS = {"t": "\u25bc", "t1": "\u25b2", "d": "\u25c6", "s": "\u25a0", "h": "\u2b22",
            "+": "\u271a", "star": "\u2605", "o": "\u25cf"}  # fmt: skip


def test_every_marker_shape_and_severity_colour_is_in_the_key(qtbot):
    used = {*CATEGORY_SYMBOLS.values(), DEFAULT_SYMBOL}
    keyed = {symbol for symbol, _ in SHAPES}
    assert {DRAWN_AS[s] for s in used} == keyed
    text = legend_html()
    for colour in SEVERITY_COLOURS.values():
        assert colour in text
    legend = MapLegend()
    qtbot.addWidget(legend)
    assert "critical" in legend.text() and "IED, mine, UXO" in legend.text()
