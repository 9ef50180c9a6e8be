"""A report as plain data: a title, a sensitivity marking, and numbered lines and tables."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Line:
    """A numbered line (``3. LOCATION: 38S MB 44845 36965``); `number` 0 for an unnumbered one."""

    number: int
    label: str
    value: str


@dataclass(frozen=True)
class Table:
    """A numbered line whose value is a table; `align` holds "l" or "r" per column."""

    number: int
    label: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    align: str = ""
    widths: tuple[float, ...] = ()  # share of the page width per column (PDF); even if empty

    def alignment(self, column: int) -> str:
        return self.align[column] if column < len(self.align) else "l"


Block = Line | Table


@dataclass(frozen=True)
class ReportDocument:
    kind: str  # INCREP, SITREP, MEDEVAC
    title: str  # e.g. "INCREP - INCIDENT REPORT"
    marking: str  # e.g. "CONFIDENTIAL": at the top and bottom (of every page of a PDF)
    heading: tuple[Line, ...] = ()  # FROM, DTG ... (unnumbered)
    blocks: tuple[Block, ...] = field(default_factory=tuple)
