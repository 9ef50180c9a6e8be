"""A SITREP over 10,000 incidents as PDF, against the same SITREP as plain text.

Subject: `session.reports.sitrep(start, end, statuses=())` then `render(document, PDF)` on a
real vault of `--incidents` incidents over 30 days (written through the one road, see
`_incidents_common.py`): the figures from the incident projection (counts by category and
severity, casualty totals, the list of every incident of the period), laid out and drawn by Qt's
QPdfWriter into memory, every page with the marking in its header and footer; then written to
a file as `ReportService.write` does (atomically). The first PDF of a process also starts Qt
(a QGuiApplication on the offscreen platform); that cost is reported apart and left out of
the median.

Baseline, interleaved in the same run: the same SITREP (the same queries and document) as
plain text, written the same way.

Target: the PDF <= 2 s (median of `--rounds`).
"""

from __future__ import annotations

import tempfile
from datetime import timedelta
from pathlib import Path

from _common import Check, header, median, parser, report, rotated, timed, write_checks
from _incidents_common import YEAR_START, fill, new_vault
from missiondesk.services.reports import ReportFormat
from missiondesk.services.session import Session
from missiondesk.store.atomic import write_atomically

NAME = "sitrep_pdf"
TARGET_S = 2.0
DAYS = 30


def make(session: Session, fmt: ReportFormat, out: Path) -> int:
    start, end = YEAR_START, YEAR_START + timedelta(days=DAYS)
    document, figures = session.reports.sitrep(start, end, statuses=())
    data = session.reports.render(document, fmt)
    write_atomically(out, data)
    return figures.total


def main(argv: list[str] | None = None) -> int:
    p = parser("a SITREP over 10,000 incidents to PDF, against the same as plain text")
    p.add_argument("--incidents", type=int, default=None, help="incidents (10,000)")
    p.add_argument("--rounds", type=int, default=None, help="rounds (5)")
    p.add_argument("--dir", type=Path, default=None, help="parent of the temp folder")
    args = p.parse_args(argv)
    quick = bool(args.quick)
    count = args.incidents or (1_000 if quick else 10_000)
    rounds = args.rounds or (2 if quick else 5)
    header(f"SITREP of {count:,} incidents to PDF", quick)
    times: dict[ReportFormat, list[float]] = {ReportFormat.PDF: [], ReportFormat.TEXT: []}
    with tempfile.TemporaryDirectory(prefix="md-bench-", dir=args.dir) as tmp:
        folder = Path(tmp)
        session = new_vault(folder)
        try:
            spent = timed(lambda: fill(session, count, days=DAYS))
            print(f"  filled {count:,} incidents through the road in {spent:.1f} s", flush=True)
            listed = make(session, ReportFormat.TEXT, folder / "warm.txt")
            assert listed == count, (listed, count)
            cold = timed(lambda: make(session, ReportFormat.PDF, folder / "cold.pdf"))
            for r in range(rounds):
                for fmt in rotated(list(times), r):
                    out = folder / f"sitrep-{r}.{fmt.value}"
                    times[fmt].append(timed(lambda f=fmt, o=out: make(session, f, o)))
                print(f"  round {r + 1}/{rounds}: pdf {times[ReportFormat.PDF][-1]:.3f} s, "
                      f"text {times[ReportFormat.TEXT][-1]:.3f} s", flush=True)  # fmt: skip
            pdf_size = (folder / "sitrep-0.pdf").stat().st_size
            txt_size = (folder / "sitrep-0.text").stat().st_size
            import pypdf

            pages = len(pypdf.PdfReader(str(folder / "sitrep-0.pdf")).pages)
        finally:
            session.close()
    pdf, text = median(times[ReportFormat.PDF]), median(times[ReportFormat.TEXT])
    print(f"\nresults (median of {rounds})")
    print(f"  PDF   {pdf:.3f} s  ({pages} pages, {pdf_size / 1024:.0f} KiB)")
    print(f"  text  {text:.3f} s  ({txt_size / 1024:.0f} KiB)")
    print(f"  first PDF of the process (Qt starting) {cold:.3f} s")
    checks = [
        Check(
            NAME,
            f"SITREP of {count:,} incidents to PDF",
            pdf,
            TARGET_S,
            "<=",
            "s",
            f"{pages} pages; plain text {text:.3f} s ({pdf / text:.1f}x); first PDF with Qt's "
            f"start {cold:.3f} s",
        )
    ]
    write_checks(args.json, checks)
    return report("verdict", checks)


if __name__ == "__main__":
    raise SystemExit(main())
