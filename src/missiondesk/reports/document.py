"""A report as plain data: a title, a sensitivity marking, and numbered lines and tables."""

from __future__ import annotations

from dataclasses import dataclass, field

from missiondesk.domain.markings import Precedence


@dataclass(frozen=True)
class Line:
    """A numbered line (``3. LOCATION: 38S MB 44845 36965``); `number` 0 for an unnumbered one."""

    number: int
    label: str
    value: str


@dataclass(frozen=True)
class Table:
    """A numbered line whose value is a table; `align` holds "l" or "r" per column.

        A PDF sets a row on one line, a cell longer than its column cut short with "…" (a SITREP
        lists thousands of incidents); a table that `wrap`s continues such a cell on the next lines
        instead, for short tables whose every word counts. `note` is a sentence under the rows (a
    table with no rows is NIL, and says nothing more)."""

    number: int
    label: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    align: str = ""
    widths: tuple[float, ...] = ()  # share of the page width per column (PDF); even if empty
    note: str = ""
    wrap: bool = False

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
    # sent as a message (ReportService.send): MEDEVAC with urgent patients FLASH, else
    # IMMEDIATE; INCREP PRIORITY; SITREP ROUTINE (the officer may choose another)
    precedence: Precedence = Precedence.ROUTINE
