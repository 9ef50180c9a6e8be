"""Incidents over time, by category or by severity: stacked bars drawn with pyqtgraph.

The chart is given counts (one list per series, one number per day) and draws them; it does
not read the vault. Long periods are drawn by week or by month so the bars stay readable. A
sentence above the plot says what it shows, for those who cannot see the colours.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pyqtgraph as pg
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

# Qualitative colours that stay apart for the common colour-vision deficiencies (Okabe-Ito,
# then Tableau's), in the order categories are drawn.
SERIES_COLOURS = (
    "#0072b2",
    "#e69f00",
    "#009e73",
    "#cc79a7",
    "#56b4e9",
    "#d55e00",
    "#f0e442",
    "#000000",
    "#8c564b",
    "#7f7f7f",
    "#bcbd22",
    "#17becf",
)
SEVERITY_COLOURS = {1: "#6a9f58", 2: "#c9b200", 3: "#e68a00", 4: "#d1495b", 5: "#7b1e2b"}
MAX_BARS = 92  # a quarter by day; longer periods by week, then by month
DAY_SECONDS = 86_400
EMPTY_HEIGHT = 5  # the count axis of an empty chart: 0 to 5


@dataclass(frozen=True)
class Bins:
    """Counts regrouped for drawing: bin starts, their width in days, one list per series."""

    starts: list[date]
    width_days: float
    unit: str  # "day", "week" or "month"
    series: dict[str, list[int]]


def bin_counts(
    days: Sequence[date], series: Mapping[str, Sequence[int]], max_bars: int = MAX_BARS
) -> Bins:
    """Per-day counts as they are, or summed by ISO week or calendar month when there would
    be more than `max_bars` bars."""
    if len(days) <= max_bars:
        return Bins(list(days), 1.0, "day", {k: list(v) for k, v in series.items()})
    by_week = len({d.isocalendar()[:2] for d in days}) <= max_bars

    def key(d: date) -> date:
        return d - timedelta(days=d.weekday()) if by_week else d.replace(day=1)

    starts: list[date] = []
    index: dict[date, int] = {}
    slots: list[int] = []  # the bin of each day, worked out once for every series
    for d in days:
        k = key(d)
        if k not in index:
            index[k] = len(starts)
            starts.append(k)
        slots.append(index[k])
    grouped = {name: [0] * len(starts) for name in series}
    for name, counts in series.items():
        sums = grouped[name]
        for slot, n in zip(slots, counts, strict=True):
            sums[slot] += n
    return Bins(starts, 7.0 if by_week else 30.0, "week" if by_week else "month", grouped)


def _seconds(d: date) -> float:
    return datetime(d.year, d.month, d.day, tzinfo=UTC).timestamp()


class IncidentChart(QWidget):
    """Stacked bars of incidents per day (or week, or month), one colour per series."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setAccessibleName("Chart summary")
        self.plot = pg.PlotWidget(self, axisItems={"bottom": pg.DateAxisItem(utcOffset=0)})
        self.plot.setMenuEnabled(False)
        self.plot.setMouseEnabled(x=False, y=False)
        self.plot.hideButtons()
        self.plot.setMinimumHeight(160)
        self.plot.setAccessibleName("Incidents over time")
        self.legend = QLabel(self)  # under the plot, never over the bars; wraps as it must
        self.legend.setWordWrap(True)
        self.legend.setTextFormat(Qt.TextFormat.RichText)
        self.legend.setAccessibleName("Chart legend")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.summary)
        layout.addWidget(self.plot, 1)
        layout.addWidget(self.legend)
        self.legend_entries: list[tuple[str, str]] = []  # (text, colour), in drawing order
        self.bins: Bins | None = None
        self._bars: list[pg.BarGraphItem] = []
        self._no_pen = pg.mkPen(None)
        self.plot.getViewBox().disableAutoRange()  # the ranges are set from the data
        self._follow_palette()

    def _follow_palette(self) -> None:
        palette = self.palette()
        self.plot.setBackground(palette.color(QPalette.ColorRole.Base))
        text = palette.color(QPalette.ColorRole.Text)
        for name in ("left", "bottom"):
            axis = self.plot.getAxis(name)
            axis.setPen(pg.mkPen(text))
            axis.setTextPen(pg.mkPen(text))

    def _series_item(self, index: int) -> pg.BarGraphItem:
        """The bars of the index-th series drawn: items are kept and refilled, not remade."""
        while len(self._bars) <= index:
            bars = pg.BarGraphItem(x=[0], height=[0], width=1, pen=self._no_pen)
            self.plot.addItem(bars)
            self._bars.append(bars)
        return self._bars[index]

    @property
    def series_shown(self) -> int:
        return sum(1 for bars in self._bars if bars.isVisible())

    def changeEvent(self, event: QEvent) -> None:  # the theme changed: follow it
        if event.type() == QEvent.Type.PaletteChange:
            self._follow_palette()
        super().changeEvent(event)

    def show_counts(
        self,
        days: Sequence[date],
        series: Mapping[str, Sequence[int]],
        colours: Mapping[str, str] | None = None,
        *,
        what: str = "incidents",
    ) -> None:
        """Draw `series` (label -> one count per day of `days`), stacked in the given order."""
        self.legend_entries = []
        self.legend.clear()
        bins = bin_counts(days, series)
        self.bins = bins
        totals = {name: sum(counts) for name, counts in bins.series.items()}
        grand = sum(totals.values())
        if not bins.starts or grand == 0:
            for bars in self._bars:
                bars.hide()
            if days:  # the period's dates under empty axes, not the clock's zero
                self.plot.setXRange(_seconds(days[0]), _seconds(days[-1]) + DAY_SECONDS)
            self.plot.setYRange(0, EMPTY_HEIGHT, padding=0)  # whole numbers, none cut off
            self.summary.setText(f"No {what} in this period.")
            return
        half = bins.width_days * DAY_SECONDS / 2
        x = [_seconds(d) + half for d in bins.starts]
        width = bins.width_days * DAY_SECONDS * 0.85
        bottom = [0] * len(bins.starts)
        used = 0
        for i, (name, counts) in enumerate(bins.series.items()):
            if totals[name] == 0:
                continue
            colour = QColor((colours or {}).get(name, SERIES_COLOURS[i % len(SERIES_COLOURS)]))
            self._series_item(used).setOpts(
                x=x, height=counts, y0=bottom, width=width, brush=colour, pen=self._no_pen
            )
            self._bars[used].show()
            used += 1
            self.legend_entries.append((f"{name} ({totals[name]:,})", colour.name()))
            bottom = [b + c for b, c in zip(bottom, counts, strict=True)]
        for bars in self._bars[used:]:
            bars.hide()
        self.plot.setXRange(x[0] - half, x[-1] + half, padding=0.01)
        self.plot.setYRange(0, max(bottom) * 1.08 + 1, padding=0)
        self.legend.setText(
            "&nbsp;&nbsp; ".join(
                f'<span style="color:{colour}">&#9632;</span>&nbsp;{html.escape(text)}'
                for text, colour in self.legend_entries
            )
        )
        first, last = days[0], days[-1]
        span = f"{first:%d %b %Y} to {last:%d %b %Y}" if first != last else f"{first:%d %b %Y}"
        leader = max(totals, key=lambda name: totals[name])
        self.summary.setText(
            f"{grand:,} {what} by {bins.unit}, {span}. Most: {leader} ({totals[leader]:,})."
        )
