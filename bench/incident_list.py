"""A filter change over 100,000 incidents: the page of rows and the chart counts the GUI needs.

Subject: `session.incidents.page(filter, limit=200)` on a real vault of `--incidents` incidents
(written through the one road, see `_incidents_common.py`): one query for the first 200 rows in
the filter's order, one for the counts per (day, category), with a count per severity, of
everything the filter matches, folded into the charts' series (per day per category, per day per
severity, totals). Nine filter changes, from everything to narrow ones (a month, two categories,
severity 4-5, a status, a bounding box, an MGRS 100 km square, words, combined); each is timed
`--rounds` times and its median kept.

Baseline, interleaved in the same run: the same two SQL statements (`store/incident_reads.py`
builds them; the benchmark takes them from there) on a plain `sqlite3` copy of the projection,
its indexes and the incidents' search rows, fetched to Python lists, without the service's
folding.

Hook for the GUI: `redraw(page)` is called after each service call and timed with it; it does
nothing here. The desktop benchmark of the Incidents page (the table model's reset and the
charts' redraw) passes its own.

Target: every filter change <= 150 ms (the worst filter's median).
"""

from __future__ import annotations

import sqlite3
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from _common import Check, header, median, parser, report, rotated, timed, write_checks
from _incidents_common import fill, new_vault
from missiondesk.domain.incident_filter import BoundingBox, IncidentFilter
from missiondesk.domain.records.incidents import IncidentStatus
from missiondesk.services.incidents import IncidentPage
from missiondesk.services.session import Session
from missiondesk.store.incident_reads import (
    COUNT_GROUP,
    COUNT_SELECT,
    ROW_SELECT,
    order_clause,
    page_where,
    where_clause,
)
from missiondesk.store.incident_rows import SCHEMA
from missiondesk.store.reads import fts_query

NAME = "incident_list"
TARGET_MS = 150.0
PAGE = 200

FILTERS: list[tuple[str, IncidentFilter]] = [
    ("everything", IncidentFilter()),
    ("one month", IncidentFilter(occurred_from=datetime(2026, 6, 1, tzinfo=UTC),
                                 occurred_to=datetime(2026, 7, 1, tzinfo=UTC))),
    ("two categories", IncidentFilter(categories=("armed_clash", "indirect_fire"))),
    ("severity 4-5", IncidentFilter(severities=(4, 5))),
    ("status submitted", IncidentFilter(statuses=(IncidentStatus.SUBMITTED,))),
    ("bounding box", IncidentFilter(area=BoundingBox(south=33.0, west=44.0, north=33.4,
                                                     east=44.5))),
    ("MGRS square 38S MB", IncidentFilter(grid="38SMB")),
    ("words 'convoy'", IncidentFilter(text="convoy")),
    ("combined", IncidentFilter(occurred_from=datetime(2026, 3, 1, tzinfo=UTC),
                                severities=(3, 4, 5), grid="38S MB", text="patrol")),
]  # fmt: skip


def redraw(page: IncidentPage) -> None:
    """The GUI's table and chart redraw goes here (a no-op in this benchmark)."""


def plain_copy(session: Session, path: Path) -> sqlite3.Connection:
    """The projection, the ids and the incidents' search rows in a plain SQLite database."""
    plain = sqlite3.connect(path)
    plain.execute("PRAGMA journal_mode = WAL")
    plain.execute("CREATE TABLE entities (rowid INTEGER PRIMARY KEY, id TEXT NOT NULL)")
    plain.execute("CREATE VIRTUAL TABLE search USING fts5 (title, body, "
                  "tokenize = 'unicode61 remove_diacritics 2')")  # fmt: skip
    for statement in SCHEMA.replace("REFERENCES entities (rowid) ON DELETE CASCADE", "").split(";"):
        if statement.strip():
            plain.execute(statement)
    conn = session.vault.conn
    rows = conn.execute("SELECT * FROM incident_rows").fetchall()
    plain.executemany(
        f"INSERT INTO incident_rows VALUES ({', '.join('?' * len(rows[0]))})",
        [tuple(r) for r in rows],
    )
    plain.executemany(
        "INSERT INTO entities (rowid, id) VALUES (?, ?)",
        [tuple(r) for r in conn.execute("SELECT rowid, id FROM entities WHERE type = 'incident'")],
    )
    plain.executemany(
        "INSERT INTO search (rowid, title, body) VALUES (?, ?, ?)",
        [
            tuple(r)
            for r in conn.execute(
                "SELECT s.rowid, s.title, s.body FROM search s JOIN incident_rows r"
                " ON r.entity = s.rowid"
            )
        ],
    )
    plain.commit()
    return plain


def plain_page(plain: sqlite3.Connection, spec: IncidentFilter) -> None:
    where, params = page_where(spec)
    plain.execute(
        ROW_SELECT + where + order_clause(spec) + " LIMIT ? OFFSET ?", (*params, PAGE, 0)
    ).fetchall()
    where, params = where_clause(spec)
    plain.execute(COUNT_SELECT + where + COUNT_GROUP, params).fetchall()


def main(argv: list[str] | None = None) -> int:
    p = parser("a filter change over the incident list: rows + chart counts, against plain SQL")
    p.add_argument("--incidents", type=int, default=None, help="incidents (100,000)")
    p.add_argument("--rounds", type=int, default=None, help="timings per filter (7)")
    p.add_argument("--dir", type=Path, default=None, help="parent of the temp folder")
    args = p.parse_args(argv)
    quick = bool(args.quick)
    count = args.incidents or (5_000 if quick else 100_000)
    rounds = args.rounds or (3 if quick else 7)
    header(f"incident list: a filter change over {count:,} incidents", quick)
    assert fts_query("convoy")  # the text filter goes through FTS5 in both
    results: dict[str, dict[str, list[float]]] = {n: {"vault": [], "plain": []} for n, _ in FILTERS}
    matched: dict[str, int] = {}
    with tempfile.TemporaryDirectory(prefix="md-bench-", dir=args.dir) as tmp:
        session = new_vault(Path(tmp))
        try:
            spent = timed(lambda: fill(session, count))
            print(f"  filled {count:,} incidents through the road in {spent:.1f} s", flush=True)
            plain = plain_copy(session, Path(tmp) / "plain.db")
            sides: dict[str, Callable[[IncidentFilter], object]] = {
                "vault": lambda f: redraw(session.incidents.page(f, limit=PAGE)),
                "plain": lambda f: plain_page(plain, f),
            }
            for name, spec in FILTERS:  # warm-up: statements compile, pages reach the cache
                for side in sides.values():
                    side(spec)
                matched[name] = session.incidents.page(spec, limit=1).total
            for r in range(rounds):
                for name, spec in FILTERS:
                    for side in rotated(list(sides), r):
                        results[name][side].append(timed(lambda s=side, f=spec: sides[s](f)))
            plain.close()
            db_mib = session.vault.layout.database.stat().st_size / 2**20
        finally:
            session.close()
    print(f"\nresults (median of {rounds}, ms; vault database {db_mib:.0f} MiB)")
    print(f"  {'filter':<20} {'matches':>8} {'service':>9} {'plain SQL':>10} {'ratio':>7}")
    worst_name, worst = "", 0.0
    for name, _ in FILTERS:
        vault_ms = median(results[name]["vault"]) * 1000
        plain_ms = median(results[name]["plain"]) * 1000
        print(f"  {name:<20} {matched[name]:>8,} {vault_ms:>9.1f} {plain_ms:>10.1f} "
              f"{vault_ms / plain_ms:>6.2f}x")  # fmt: skip
        if vault_ms > worst:
            worst_name, worst = name, vault_ms
    plain_worst = median(results[worst_name]["plain"]) * 1000
    checks = [
        Check(
            NAME,
            f"filter change over {count:,} incidents: rows + chart counts (worst filter)",
            worst,
            TARGET_MS,
            "<=",
            "ms",
            f"worst '{worst_name}'; plain sqlite3, same SQL: {plain_worst:.1f} ms "
            f"({worst / plain_worst:.2f}x)",
        )
    ]
    write_checks(args.json, checks)
    return report("verdict", checks)


if __name__ == "__main__":
    raise SystemExit(main())
