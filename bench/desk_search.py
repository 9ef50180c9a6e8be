"""Full-text search over 1,000,000 messages: `MessagingService.search(text, 50)`.

Subject: `session.messaging.search(text, 50)` on an unlocked vault of 1,010,000 messages
(22,500 with --quick; the same vault as desk_channel.py, so `--keep` shares it), over realistic
queries of four kinds, typed as an officer would type them in the search dialog (the last word
is taken as a prefix, as the app does):
- common words ("convoy", "fuel", ...: in 5-30 % of the messages);
- rare words (an item or a place: in 0.5-7 % of the messages; and three grid-reference numbers
  taken from the messages, each in a handful of them);
- prefixes as typed so far ("conv", "gen", "chec", "me", ...);
- two words ("convoy delayed", "generator fuel", ...).

Baselines, interleaved with the subject (for each query, rotating who goes first):
- the vault's raw SQL: the store's search statement run on the vault's connection, fetchall(),
  no rows or views built (shows what the service adds to the SQL);
- plain SQLite: the stdlib `sqlite3` (no encryption) holding the same texts under the same row
  ids in an FTS5 table with the same tokenizer and columns, with the app's pragmas; the same
  MATCH expression, `snippet(...)`, `ORDER BY rowid DESC LIMIT 50`, no joins.

Each query runs once untimed first (cold pages), then `--repeat` times; a query's figure is
the median of its repeats. Target: the median over all queries of the subject <= 20 ms;
medians per kind and the slowest query are printed, with the ratios to both baselines.
"""

from __future__ import annotations

import sqlite3
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from _common import Check, header, median, parser, quiet_gc, report, rotated, write_checks
from _desk_common import PASSPHRASE, database_mib, vault_for
from desk_channel import FULL, QUICK
from missiondesk.services.vault_access import unlock_vault
from missiondesk.store.connection import PRAGMAS
from missiondesk.store.reads import fts_query

NAME = "desk_search"
TARGET_MS = 20.0
LIMIT = 50
QUERIES: dict[str, tuple[str, ...]] = {
    "common word": ("convoy", "fuel", "patrol", "checkpoint", "generator", "grid"),
    "rare word": ("chlorine", "sandbags", "Umm Tuba"),  # + 3 grid numbers found in the data
    "prefix": ("conv", "gen", "chec", "me", "pa", "QR"),
    "two words": (
        "convoy delayed",
        "generator fuel",
        "checkpoint closed",
        "patrol grid",
        "QRF stood",
        "fuel tanker breakdown",
    ),
}
PLAIN_SQL = (
    "SELECT rowid, snippet(search, 1, char(2), char(3), '…', 14) FROM search"
    " WHERE search MATCH ? ORDER BY rowid DESC LIMIT ?"
)


def plain_copy(vault_conn: object, target: Path) -> sqlite3.Connection:
    """The vault's search texts in a plain SQLite FTS5 table, same row ids and tokenizer."""
    plain = sqlite3.connect(str(target), isolation_level=None)
    for pragma in PRAGMAS:
        plain.execute(pragma)
    plain.execute("PRAGMA cache_size = -65536")
    plain.execute(
        "CREATE VIRTUAL TABLE search USING fts5 (title, body,"
        " tokenize = 'unicode61 remove_diacritics 2')"
    )
    cursor = vault_conn.execute("SELECT rowid, title, body FROM search ORDER BY rowid")  # type: ignore[attr-defined]
    plain.execute("BEGIN")
    while rows := cursor.fetchmany(20_000):
        plain.executemany("INSERT INTO search (rowid, title, body) VALUES (?, ?, ?)", rows)
    plain.execute("COMMIT")
    plain.execute("INSERT INTO search (search) VALUES ('optimize')")  # as a long-lived index
    return plain


def grid_numbers(plain: sqlite3.Connection, count: int) -> list[str]:
    """Numbers of grid references that appear in the messages (spread over the vault)."""
    total = plain.execute("SELECT count(*) FROM search WHERE search MATCH 'update'").fetchone()[0]
    found: list[str] = []
    for i in range(count):
        row = plain.execute(
            "SELECT body FROM search WHERE search MATCH 'update' ORDER BY rowid LIMIT 1 OFFSET ?",
            ((2 * i + 1) * total // (2 * count),),
        ).fetchone()
        if row is not None:
            numbers = [w.strip(".,;") for w in row[0].split() if w.strip(".,;").isdigit()]
            found += [n for n in numbers if len(n) == 5][-1:]
    return found


def frequencies(plain: sqlite3.Connection, total: int) -> dict[str, str]:
    """How many messages each query matches (from the plain copy), as text."""
    found = {}
    for kind_queries in QUERIES.values():
        for q in kind_queries:
            n = plain.execute(
                "SELECT count(*) FROM search WHERE search MATCH ?", (fts_query(q),)
            ).fetchone()[0]
            found[q] = f"{n:,} ({n / max(1, total):.2%})"
    return found


def main(argv: list[str] | None = None) -> int:
    p = parser("full-text search over 1,000,000 messages, against plain SQLite FTS5")
    p.add_argument("--repeat", type=int, default=None, help="timed runs of each query (7; 3)")
    p.add_argument("--dir", type=Path, default=None, help="parent of the temp folder")
    p.add_argument("--keep", type=Path, default=None, help="build the vault here and reuse it")
    args = p.parse_args(argv)
    quick = bool(args.quick)
    repeat = args.repeat or (3 if quick else 7)
    layout = QUICK if quick else FULL

    header(f"MessagingService.search(text, {LIMIT}) over {layout.total:,} messages", quick)
    with tempfile.TemporaryDirectory(prefix="md-bench-", dir=args.dir) as tmp_name:
        tmp = Path(tmp_name)
        root, _manifest = vault_for(layout, args.keep, tmp)
        session = unlock_vault(root, PASSPHRASE)
        try:
            conn = session.vault.conn
            began = time.perf_counter()
            plain = plain_copy(conn, tmp / "plain.db")
            print(
                f"vault: {layout.total:,} messages, database {database_mib(root):.0f} MiB; plain "
                f"SQLite {sqlite3.sqlite_version} copy of the texts "
                f"{(tmp / 'plain.db').stat().st_size / 2**20:.0f} MiB "
                f"(made in {time.perf_counter() - began:.0f} s)"
            )
            QUERIES["rare word"] = (*QUERIES["rare word"], *grid_numbers(plain, 3))
            freq = frequencies(plain, layout.total)
            messaging = session.messaging
            store_sql = (  # the store's statement (store/message_reads.py), no channel filter
                "SELECT e.id, e.type, e.doc, e.clocks, e.created_hlc, e.updated_hlc, e.deleted,"
                " m.hlc AS m_hlc, m.entity AS m_rowid, m.precedence AS m_rank,"
                " snippet(search, 1, char(2), char(3), '…', 14) AS snip"
                " FROM search s JOIN entities e ON e.rowid = s.rowid"
                " JOIN messages m ON m.entity = e.rowid"
                " WHERE search MATCH ? ORDER BY s.rowid DESC LIMIT ?"
            )
            sides: dict[str, Callable[[str], object]] = {
                "search()": lambda q: messaging.search(q, LIMIT),
                "vault SQL": lambda q: conn.execute(store_sql, (fts_query(q), LIMIT)).fetchall(),
                "plain FTS5": lambda q: plain.execute(PLAIN_SQL, (fts_query(q), LIMIT)).fetchall(),
            }
            names = list(sides)
            cold: dict[str, dict[str, float]] = {n: {} for n in names}
            times: dict[str, dict[str, list[float]]] = {n: {} for n in names}
            hits: dict[str, int] = {}
            k = 0
            for kind, queries in QUERIES.items():
                for q in queries:
                    for name in rotated(names, k):  # first, untimed for the verdict: cold
                        with quiet_gc():
                            t = time.perf_counter()
                            out = sides[name](q)
                            cold[name][q] = time.perf_counter() - t
                        if name == "search()":
                            hits[q] = len(out)  # type: ignore[arg-type]
                    for r in range(repeat):
                        for name in rotated(names, k + r):
                            with quiet_gc():
                                t = time.perf_counter()
                                sides[name](q)
                                times[name].setdefault(q, []).append(time.perf_counter() - t)
                    k += 1
                print(
                    f"  {kind:12s} "
                    + "  ".join(
                        f"{n} {median([median(times[n][q]) for q in queries]) * 1000:.2f} ms"
                        for n in names
                    ),
                    flush=True,
                )
            plain.close()
        finally:
            session.close()

    per_query = {n: {q: median(v) for q, v in times[n].items()} for n in names}
    print(f"\nresults (ms; median of {repeat} runs per query; 'cold' is the first run)")
    print(
        f"  {'query':24s} {'matches':>16s}  {'hits':>4s}  "
        + "  ".join(f"{n:>10s}" for n in names)
        + "   cold search()"
    )
    for kind, queries in QUERIES.items():
        print(f"  -- {kind}")
        for q in queries:
            print(
                f"  {q!r:24s} {freq[q]:>16s}  {hits[q]:4d}  "
                + "  ".join(f"{per_query[n][q] * 1000:10.2f}" for n in names)
                + f"   {cold['search()'][q] * 1000:8.2f}"
            )
    all_q = [q for qs in QUERIES.values() for q in qs]
    overall = {n: statistics.median(per_query[n][q] for q in all_q) for n in names}
    print("\n  medians per kind:")
    for kind, queries in QUERIES.items():
        m = {n: median([per_query[n][q] for q in queries]) for n in names}
        print(
            f"    {kind:12s} search() {m['search()'] * 1000:7.2f} ms, vault SQL "
            f"{m['vault SQL'] * 1000:7.2f} ms, plain FTS5 {m['plain FTS5'] * 1000:7.2f} ms; "
            f"search()/plain {m['search()'] / m['plain FTS5']:.2f}x"
        )
    worst = max(all_q, key=lambda q: per_query["search()"][q])
    s, v, pl = (overall[n] for n in names)
    print(
        f"\n  all {len(all_q)} queries: search() {s * 1000:.2f} ms, vault SQL {v * 1000:.2f} ms, "
        f"plain FTS5 {pl * 1000:.2f} ms (medians)"
        f"\n  search() / plain FTS5 {s / pl:.2f}x; search() / vault SQL {s / v:.2f}x"
        f"\n  slowest: {worst!r} {per_query['search()'][worst] * 1000:.1f} ms"
        f" (plain {per_query['plain FTS5'][worst] * 1000:.1f} ms); cold median "
        f"{statistics.median(cold['search()'].values()) * 1000:.1f} ms"
    )
    checks = [
        Check(
            NAME,
            f"search(text, {LIMIT}) median over {len(all_q)} queries",
            s * 1000,
            TARGET_MS,
            "<=",
            "ms",
            f"{s / pl:.2f}x plain SQLite FTS5, {s / v:.2f}x the vault's SQL; slowest {worst!r} "
            f"{per_query['search()'][worst] * 1000:.0f} ms; {layout.total:,} messages",
        )
    ]
    write_checks(args.json, checks)
    return report("verdict", checks)


if __name__ == "__main__":
    raise SystemExit(main())
