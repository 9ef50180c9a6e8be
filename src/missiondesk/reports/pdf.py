"""Reports as PDF, drawn with Qt's own PDF writer (QPdfWriter) into memory.

Qt is imported when a PDF is first made, never at start-up, so the command line stays fast.
QtGui needs a QGuiApplication for fonts: the running one (the desktop app's) is used, else one
is made on the offscreen platform, which needs no display. The PDF is written into a QBuffer:
no decrypted byte reaches a temp file; the caller writes the bytes where the officer chose.
Every page carries the sensitivity marking in its header and its footer, and "page N of M".

The layout is done by hand (rows of cells measured with QFontMetricsF) rather than by
QTextDocument: a SITREP lists thousands of incidents, and a text table of that size takes
QTextDocument seconds to lay out, while rows of elided cells are drawn in a fraction of that.
A short table that wraps (`Table.wrap`: the SITREP's movements and personnel) continues a long
cell on the next lines of its row, and a row is never split across pages.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from missiondesk.reports.document import Line, ReportDocument, Table

if TYPE_CHECKING:
    from PySide6.QtGui import QFont, QFontMetricsF

DPI = 300
MARGIN_MM = 16.0
BODY_PT, SMALL_PT, TITLE_PT, MARK_PT = 9.0, 7.5, 13.0, 10.0
FONT_FAMILY = "DejaVu Sans"
MONO_FAMILY = "DejaVu Sans Mono"
_app: Any = None  # the QGuiApplication made here, kept for the life of the process


def _gui() -> None:
    """A QGuiApplication for fonts: the running one, else an offscreen one made once."""
    global _app  # noqa: PLW0603 - one application per process, made on first use
    from PySide6.QtGui import QGuiApplication

    if QGuiApplication.instance() is None:
        _app = QGuiApplication(["missiondesk", "-platform", "offscreen"])


@dataclass
class _Cell:
    x: float
    width: float
    text: str
    font: str  # key into the fonts
    align: str = "l"
    y: float = 0.0  # below the row's top: a wrapped table cell's later lines
    height: float = 0.0  # its line's height; 0: the row's


@dataclass
class _Row:
    height: float
    cells: list[_Cell] = field(default_factory=list)
    header: _Row | None = None  # a table's header, repeated when the table runs onto a page
    gap_before: float = 0.0


class _Layout:
    def __init__(
        self, fonts: dict[str, QFont], metrics: dict[str, QFontMetricsF], width: float
    ) -> None:
        self.fonts = fonts
        self.metrics = metrics
        self.width = width
        self.rows: list[_Row] = []

    def line_height(self, font: str) -> float:
        return self.metrics[font].lineSpacing()

    def wrap(self, text: str, font: str, width: float) -> list[str]:
        metrics = self.metrics[font]
        out: list[str] = []
        for paragraph in text.splitlines() or [""]:
            current = ""
            for word in paragraph.split(" "):
                trial = f"{current} {word}" if current else word
                if metrics.horizontalAdvance(trial) <= width:
                    current = trial
                    continue
                if current:
                    out.append(current)
                rest = word
                while metrics.horizontalAdvance(rest) > width and len(rest) > 1:
                    cut = max(1, int(len(rest) * width / metrics.horizontalAdvance(rest)))
                    out.append(rest[:cut])
                    rest = rest[cut:]
                current = rest
            out.append(current)
        return out

    def text_rows(self, lines: list[str], font: str, x: float, gap: float = 0.0) -> None:
        height = self.line_height(font)
        for i, text in enumerate(lines):
            self.rows.append(_Row(height, [_Cell(x, self.width - x, text, font)], None,
                                  gap if i == 0 else 0.0))  # fmt: skip

    def line(self, line: Line) -> None:
        head = f"{line.number}. {line.label}:" if line.number else f"{line.label}:"
        value = line.value.strip() or "NIL"
        metrics = self.metrics["bold"]
        head_width = metrics.horizontalAdvance(head + " ")
        gap = self.line_height("body") * 0.35
        if (
            "\n" not in value
            and head_width + self.metrics["body"].horizontalAdvance(value) <= self.width
        ):
            self.rows.append(
                _Row(self.line_height("body"),
                     [_Cell(0, head_width, head, "bold"),
                      _Cell(head_width, self.width - head_width, value, "body")], None, gap)
            )  # fmt: skip
            return
        self.text_rows([head], "bold", 0, gap)
        indent = self.width * 0.04
        self.text_rows(self.wrap(value, "body", self.width - indent), "body", indent)

    def table(self, table: Table) -> None:
        head = f"{table.number}. {table.label}:" if table.number else f"{table.label}:"
        gap = self.line_height("body") * 0.35
        if not table.rows:
            self.text_rows([head + " NIL"], "bold", 0, gap)
            return
        self.text_rows([head], "bold", 0, gap)
        indent = self.width * 0.04
        count = len(table.headers)
        shares = table.widths if len(table.widths) == count else (1.0,) * count
        # A table is set in a monospaced font, one string per row: columns are characters, so
        # a row is one drawText call and nothing is measured (a SITREP has thousands of rows).
        chars = int((self.width - indent) // self.metrics["mono"].horizontalAdvance("M"))
        total = sum(shares)
        columns = [max(2, int(chars * share / total) - 1) for share in shares]

        right = [table.alignment(c) == "r" for c in range(count)]
        height = self.line_height("mono")

        def row(values: tuple[str, ...], font: str) -> _Row:
            if table.wrap:
                return wrapped(values, font)
            parts = []
            for value, width, to_right in zip(values, columns, right, strict=True):
                text = value if "\n" not in value else " ".join(value.split())
                if len(text) > width:
                    text = text[: width - 1] + "…"
                parts.append(text.rjust(width) if to_right else text.ljust(width))
            line = " ".join(parts).rstrip()
            return _Row(height, [_Cell(indent, self.width - indent, line, font)])

        def wrapped(values: tuple[str, ...], font: str) -> _Row:
            """A row whose long cells go on over the next lines, each in its column."""
            cells = [
                textwrap.wrap(" ".join(value.split()), width) or [""]
                for value, width in zip(values, columns, strict=True)
            ]
            lines = []
            for n in range(max(len(c) for c in cells)):
                parts = []
                for cell, width, to_right in zip(cells, columns, right, strict=True):
                    text = cell[n] if n < len(cell) else ""
                    parts.append(text.rjust(width) if to_right else text.ljust(width))
                lines.append(" ".join(parts).rstrip())
            return _Row(
                height * len(lines),
                [_Cell(indent, self.width - indent, line, font, y=n * height, height=height)
                 for n, line in enumerate(lines)],
            )  # fmt: skip

        header = row(table.headers, "mono_bold")
        self.rows.append(header)
        bodies = [row(values, "mono") for values in table.rows]
        spaced = any(len(body.cells) > 1 for body in bodies)  # rows of several lines
        for n, body in enumerate(bodies):
            body.header = header
            if spaced and n:  # are told apart by a little space
                body.gap_before = height * 0.3
            self.rows.append(body)
        if table.note.strip():
            self.text_rows(
                self.wrap(table.note.strip(), "small", self.width - indent), "small", indent,
                self.line_height("small") * 0.3,
            )  # fmt: skip


def _elide_right() -> Any:
    from PySide6.QtCore import Qt

    return Qt.TextElideMode.ElideRight


def _fonts() -> dict[str, QFont]:
    from PySide6.QtGui import QFont

    def make(size: float, bold: bool = False, family: str = FONT_FAMILY) -> QFont:
        font = QFont(family)
        font.setPointSizeF(size)
        font.setBold(bold)
        font.setFeature(QFont.Tag("liga"), 0)  # "fi" stays two letters for text extraction
        font.setFeature(QFont.Tag("clig"), 0)
        return font

    return {
        "body": make(BODY_PT),
        "bold": make(BODY_PT, True),
        "small": make(SMALL_PT),
        "small_bold": make(SMALL_PT, True),
        "mono": make(SMALL_PT, family=MONO_FAMILY),
        "mono_bold": make(SMALL_PT, True, MONO_FAMILY),
        "title": make(TITLE_PT, True),
        "mark": make(MARK_PT, True),
    }


def _paginate(rows: list[_Row], body_height: float) -> list[list[tuple[float, _Row]]]:
    """Rows placed on pages: (top within the body, row); a table's header starts each page
    the table runs onto."""
    pages: list[list[tuple[float, _Row]]] = [[]]
    y = 0.0
    for row in rows:
        gap = row.gap_before if pages[-1] else 0.0
        if y + gap + row.height > body_height and pages[-1]:
            pages.append([])
            y = gap = 0.0
            if row.header is not None:
                pages[-1].append((0.0, row.header))
                y = row.header.height
        y += gap
        pages[-1].append((y, row))
        y += row.height
    return pages


def render_pdf(document: ReportDocument) -> bytes:
    """The report as PDF bytes, A4, with the marking in the header and footer of every page."""
    _gui()
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF
    from PySide6.QtGui import QFontMetricsF, QPageLayout, QPageSize, QPdfWriter

    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setResolution(DPI)
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    writer.setPageMargins(
        QMarginsF(MARGIN_MM, MARGIN_MM, MARGIN_MM, MARGIN_MM), QPageLayout.Unit.Millimeter
    )
    writer.setTitle(f"{document.title} ({document.marking})")
    writer.setCreator("MissionDesk")
    fonts = _fonts()
    metrics = {k: QFontMetricsF(f, writer) for k, f in fonts.items()}
    page = writer.pageLayout().paintRectPixels(DPI)
    width, height = float(page.width()), float(page.height())
    layout = _Layout(fonts, metrics, width)
    layout.text_rows([document.title], "title", 0)
    for line in document.heading:
        layout.line(line)
    for block in document.blocks:
        if isinstance(block, Table):
            layout.table(block)
        else:
            layout.line(block)
    band = metrics["mark"].lineSpacing() * 2.2  # header and footer
    pages = _paginate(layout.rows, height - 2 * band)
    _paint(writer, document, layout, pages, width, height, band)
    buffer.close()
    return bytes(data.data())


def _paint(
    writer: Any,
    document: ReportDocument,
    layout: _Layout,
    pages: list[list[tuple[float, _Row]]],
    width: float,
    height: float,
    band: float,
) -> None:
    from PySide6.QtCore import QPointF, QRectF, Qt
    from PySide6.QtGui import QPainter

    fonts, metrics = layout.fonts, layout.metrics
    centre = Qt.AlignmentFlag.AlignHCenter
    mark_h = metrics["mark"].lineSpacing()
    small_h = metrics["small"].lineSpacing()
    painter = QPainter(writer)
    try:
        for number, rows in enumerate(pages, start=1):
            if number > 1:
                writer.newPage()
            painter.setFont(fonts["mark"])
            painter.drawText(QRectF(0, 0, width, mark_h), centre, document.marking)
            painter.drawText(QRectF(0, height - mark_h, width, mark_h), centre, document.marking)
            painter.setFont(fonts["small"])
            painter.drawText(
                QRectF(0, height - mark_h - small_h * 1.2, width, small_h),
                Qt.AlignmentFlag.AlignRight,
                f"{document.kind} - page {number} of {len(pages)}",
            )
            painter.drawLine(0, int(band * 0.75), int(width), int(band * 0.75))
            current = ""
            for top, row in rows:
                for cell in row.cells:
                    if cell.font != current:
                        painter.setFont(fonts[cell.font])
                        current = cell.font
                    cell_metrics = metrics[cell.font]
                    # Drawing at a baseline point skips the text layout a rectangle asks for
                    # (a SITREP draws tens of thousands of cells).
                    line = cell.height or row.height
                    baseline = band + top + cell.y + (line + cell_metrics.ascent()
                                                      - cell_metrics.descent()) / 2  # fmt: skip
                    painter.drawText(QPointF(cell.x, baseline), cell.text)
    finally:
        painter.end()
