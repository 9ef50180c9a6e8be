"""Reports as plain text to read over a radio or paste into an e-mail: the marking first and
last, numbered lines, values wrapped at 72 columns under their label, tables in columns (a
table's note wrapped under its rows)."""

from __future__ import annotations

import textwrap

from missiondesk.reports.document import Line, ReportDocument, Table

WIDTH = 72
INDENT = "    "


def _line(line: Line) -> list[str]:
    head = f"{line.number}. {line.label}:" if line.number else f"{line.label}:"
    value = line.value.strip()
    if not value:
        return [f"{head} NIL"]
    paragraphs = value.splitlines()
    if len(paragraphs) == 1 and len(head) + 1 + len(value) <= WIDTH:
        return [f"{head} {value}"]
    out = [head]
    for paragraph in paragraphs:
        wrapped = textwrap.wrap(paragraph, WIDTH - len(INDENT)) or [""]
        out.extend(INDENT + w if w else "" for w in wrapped)
    return out


def _table(table: Table) -> list[str]:
    head = f"{table.number}. {table.label}:" if table.number else f"{table.label}:"
    if not table.rows:
        return [f"{head} NIL"]
    columns = len(table.headers)
    widths = [max(len(str(row[c])) for row in (table.headers, *table.rows)) for c in range(columns)]

    def cells(row: tuple[str, ...]) -> str:
        parts = []
        for c, value in enumerate(row):
            last = c == columns - 1
            if table.alignment(c) == "r":
                parts.append(str(value).rjust(widths[c]))
            else:
                parts.append(str(value) if last else str(value).ljust(widths[c]))
        return (INDENT + "  ".join(parts)).rstrip()

    note = [
        INDENT + w
        for paragraph in table.note.strip().splitlines()
        for w in textwrap.wrap(paragraph, WIDTH - len(INDENT))
    ]
    return [head, cells(table.headers), *(cells(r) for r in table.rows), *note]


def render_text(document: ReportDocument) -> str:
    out = [document.marking, document.title]
    out.extend(_line(line)[0] for line in document.heading)
    out.append("")
    for block in document.blocks:
        out.extend(_table(block) if isinstance(block, Table) else _line(block))
    out += ["", document.marking]
    return "\n".join(out) + "\n"
