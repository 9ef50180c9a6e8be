"""The vault (SQLCipher, raw key, the app's pragmas) against plain SQLite on the app's workload.

Every side gets the app's schema (`MIGRATIONS`), `PRAGMAS` (WAL, synchronous=FULL, ...), the
app's cache sizing, the same SQL and the same rows: op rows as the app stores them, the entity
each op creates (uuid7 id, JSON doc, clocks) and, for messages, the `messages` row.
(a) bulk insert: `--batch` ops with their entity and message rows per transaction (one fsync);
(b) the app's reads, on reopened connections after a warm-up pass: ops by (author, seq),
    entities by id, and pages of 50 messages of a channel older than an hlc.

"plain" is the stdlib `sqlite3`; "nokey" the sqlcipher3 wheel's SQLite without a key, so
vault/nokey is the cost of encryption and nokey/plain that of the other build and binding.
`--page-size N` and `--cache-mib N` apply to every side. Work is interleaved in small slices,
rotating who goes first; ratios are of medians; the combined read ratio is of the sums of the
per-read medians.
Targets (vault / plain): bulk insert <= 1.15, reads <= 1.10. See README.md.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import sqlite3
import tempfile
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlcipher3

from _common import WORDS, Check, header, median, parser, quiet_gc, report, rotated, write_checks
from missiondesk.domain.kinds import urgency
from missiondesk.domain.markings import Precedence
from missiondesk.domain.operation import Operation
from missiondesk.store.connection import (
    CACHE_MIN_KIB,
    PRAGMAS,
    CipherSettings,
    cache_pragma,
    open_encrypted,
)
from missiondesk.store.field_clocks import SHARED
from missiondesk.store.materialize import INSERT_ENTITY, UPSERT_MESSAGE
from missiondesk.store.migrations import MIGRATIONS
from missiondesk.store.oplog import INSERT_OP, op_row

NAME, INSERT_TARGET, READ_TARGET = "vault_vs_sqlite", 1.15, 1.10
AUTHORS, CHANNELS, INCIDENT_EVERY, PAGE = 8, 20, 10, 50
OP_SQL = INSERT_OP  # the app's own statements and row shapes (store/oplog.py, materialize.py)
ENTITY_SQL = INSERT_ENTITY  # the rowid is assigned by SQLite, 1, 2, 3, ...
MESSAGE_SQL = UPSERT_MESSAGE
JOINED_SQL = (
    "SELECT count(*) FROM messages m LEFT JOIN entities e ON e.rowid = m.entity"
    " WHERE e.type IS NOT 'message'"
)
_COLUMNS = "e.id, e.type, e.doc, e.clocks, e.created_hlc, e.updated_hlc, e.deleted"  # Reads
READS: dict[str, tuple[str, bool]] = {  # kind -> (SQL, fetch all rows)
    "ops by (author, seq)": (
        "SELECT op_id, payload, signature, author, seq, hlc, kind, entity FROM ops"
        " WHERE author = ? AND seq = ?",
        False,
    ),
    "entity by id": (f"SELECT {_COLUMNS} FROM entities e WHERE e.id = ?", False),
    f"message page ({PAGE})": (
        f"SELECT {_COLUMNS} FROM messages m JOIN entities e ON e.rowid = m.entity"
        f" WHERE m.channel = ? AND m.hlc < ? ORDER BY m.hlc DESC LIMIT {PAGE}",
        True,
    ),
}
Conn = Any  # sqlite3.Connection or sqlcipher3's; the two share the DB-API surface used here
Opener = Callable[[Path, bool], Conn]
Params = tuple[Any, ...]
Timings = dict[str, dict[str, list[float]]]  # "insert" or a read kind -> side -> seconds


@dataclass
class Workload:
    batches: list[tuple[list[Params], list[Params], list[Params]]]  # ops, entities, messages
    keys: dict[str, list[Params]]  # read kind -> every possible key
    payload_bytes: int = 0


def dumps(value: Any) -> str:  # as materialize._dumps
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False, sort_keys=True)


def uuid7_at(ms: int, rng: random.Random) -> str:
    value = (ms << 80) | (0x7 << 76) | (rng.getrandbits(12) << 64) | (0b10 << 62)
    return str(uuid.UUID(int=value | rng.getrandbits(62)))


def make_workload(count: int, batch: int, seed: int = 7) -> Workload:
    """`count` ops, each creating one entity: messages (9 in 10, ~120-character texts spread
    over 20 channels) and incidents; chained per author, hlc and uuid7 ids rising with time."""
    rng = random.Random(seed)
    ms = 1_760_000_000_000
    mission = ""  # as written before enrollment (after it, +45 B a payload: the mission id)
    payload_bytes = 0
    authors = [rng.randbytes(16).hex() for _ in range(AUTHORS)]
    channels = [uuid7_at(ms - 1000 + i, rng) for i in range(CHANNELS)]
    seqs, prevs = dict.fromkeys(authors, 0), dict.fromkeys(authors, "")
    ops: list[Params] = []
    entities: list[Params] = []
    messages: list[list[Params]] = [[] for _ in range(0, count, batch)]
    keys: dict[str, list[Params]] = {kind: [] for kind in READS}
    for i in range(count):
        author = rng.choice(authors)
        seqs[author] += 1
        ms += rng.randint(1, 2000)
        hlc, entity = ms << 16, uuid7_at(ms, rng)
        text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(12, 22))).capitalize()
        doc: dict[str, Any] = {"attachments": [], "sensitivity": "unclassified"}
        if i % INCIDENT_EVERY == INCIDENT_EVERY - 1:
            kind, record_type = "incident.create", "incident"
            doc |= {"title": text[:60], "category": "threat", "severity": rng.randint(1, 5)}
            doc |= {"narrative": f"{text}. {text}.", "status": "submitted", "source": ""}
        else:
            kind, record_type = "message.create", "message"
            channel = rng.choice(channels)
            precedence = rng.choice(list(Precedence)) if rng.random() < 0.1 else Precedence.ROUTINE
            doc |= {"channel": channel, "precedence": precedence.value, "reply_to": None}
            doc["text"] = text
            messages[i // batch].append((i + 1, channel, hlc, precedence.rank))
            keys[f"message page ({PAGE})"].append((channel, hlc + 1))
        seq, prev = seqs[author], prevs[author] or None
        body = {"fields": doc}
        op = Operation(mission, author, seq, prev, hlc, kind, entity, body)
        signature, op_id = rng.randbytes(64), rng.randbytes(32)
        prevs[author] = op_id.hex()
        payload = op.payload()
        payload_bytes += len(payload)
        # the op row exactly as OpLog.append writes it
        ops.append(op_row(op, payload, op_id, signature, 0, urgency(kind, body), True))
        clocks = dumps({SHARED: [hlc, author]})  # as the store writes a new record's clocks
        entities.append((entity, record_type, dumps(doc), clocks, hlc, hlc, 0))
        keys["ops by (author, seq)"].append((author, seq))
        keys["entity by id"].append((entity,))
    batches = [
        (ops[i : i + batch], entities[i : i + batch], messages[k])
        for k, i in enumerate(range(0, count, batch))
    ]
    return Workload(batches, keys, payload_bytes)


def opener(side: str, key: bytes, page_size: int, cache_mib: int | None) -> Opener:
    """vault: the app's own open (raw key, cipher settings, key check, PRAGMAS, cache sized to
    the file); plain (stdlib) and nokey (sqlcipher3, no key): page size, PRAGMAS and the same
    cache sizing. Then `--cache-mib`, if given, overrides it on every side."""
    cipher = CipherSettings(hmac="HMAC_SHA256", page_size=page_size)
    module: Any = sqlite3 if side == "plain" else sqlcipher3.dbapi2
    after = (f"PRAGMA cache_size = -{cache_mib * 1024}",) if cache_mib else ()

    def opened(path: Path, create: bool) -> Conn:
        if side == "vault":
            conn = open_encrypted(path, key, create=create, cipher=cipher)
        else:
            conn = module.connect(str(path), isolation_level=None, check_same_thread=False)
            conn.row_factory = module.Row  # the vault hands out Rows too
            page = (f"PRAGMA page_size = {page_size}",) if create else ()
            for pragma in (*page, *PRAGMAS, cache_pragma(path)):  # the app's cache sizing too
                conn.execute(pragma)
        for pragma in after:
            conn.execute(pragma)
        return conn

    return opened


def create_schema(conn: Conn) -> None:
    """Every migration of the app, as `migrate` runs them (no backup: the file is new)."""
    for migration in MIGRATIONS:
        conn.execute("BEGIN IMMEDIATE")
        migration.run(conn)
        conn.execute(f"PRAGMA user_version = {migration.version}")
        conn.execute("COMMIT")


def insert_batch(conn: Conn, ops: list[Params], ents: list[Params], msgs: list[Params]) -> float:
    start = time.perf_counter()
    conn.execute("BEGIN IMMEDIATE")
    conn.executemany(OP_SQL, ops)
    conn.executemany(ENTITY_SQL, ents)
    conn.executemany(MESSAGE_SQL, msgs)
    conn.execute("COMMIT")
    return time.perf_counter() - start


def read_slice(conn: Conn, sql: str, many: bool, keys: Sequence[Params]) -> int:
    """As the app reads: no cursor outlives its row (sqlcipher3 leaves a statement in use
    after `fetchone`, and a cursor kept alive across the next `execute` forces a re-prepare)."""
    if many:
        return sum(len(conn.execute(sql, key).fetchall()) for key in keys)
    return sum(conn.execute(sql, key).fetchone() is not None for key in keys)


def run_inserts(
    sides: dict[str, Opener], work: Workload, rounds: int, folder: Path, t: Timings
) -> Path:
    """Each round: fresh databases for every side, then batch by batch, all sides in turn.
    Returns the folder of the last round's databases, kept for the reads."""
    names = list(sides)
    for r in range(rounds):
        here = folder / f"round-{r + 1}"
        here.mkdir()
        conns = {name: opener(here / f"{name}.db", True) for name, opener in sides.items()}
        for conn in conns.values():
            create_schema(conn)
        total = dict.fromkeys(names, 0.0)
        with quiet_gc():
            for k, rows in enumerate(work.batches):
                for name in rotated(names, k + r):
                    total[name] += insert_batch(conns[name], *rows)
        for name, conn in conns.items():
            t.setdefault("insert", {}).setdefault(name, []).append(total[name])
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            conn.close()
        took = "  ".join(f"{n} {total[n] * 1000:.0f} ms" for n in names)
        print(f"  round {r + 1}/{rounds}: {took}", flush=True)
        if r + 1 < rounds:
            shutil.rmtree(here)
    return here


def run_reads(
    sides: dict[str, Opener], keys: dict[str, list[Params]], rounds: int, folder: Path, t: Timings
) -> None:
    """Reopen each database (cold cache, as after an unlock), warm up on every key, then time."""
    conns = {name: opener(folder / f"{name}.db", False) for name, opener in sides.items()}
    for name, conn in conns.items():
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        mib = (folder / f"{name}.db").stat().st_size / 2**20
        print(f"  {name}: {mib:.1f} MiB, {pages:,} pages")
    found = {  # also the warm-up; the last figure: message rows not joined to a message entity
        n: [
            *(read_slice(c, *READS[k], keys[k]) for k in READS),
            c.execute(JOINED_SQL).fetchone()[0],
        ]
        for n, c in conns.items()
    }
    if len({tuple(f) for f in found.values()}) != 1 or found["plain"][-1] != 0:
        raise AssertionError(f"the sides hold different rows: {found}")
    names, slices = list(sides), max(1, len(keys[next(iter(READS))]) // 1000)
    with quiet_gc():
        for r in range(rounds):
            for j in range(slices):
                for kind, (sql, many) in READS.items():
                    part = keys[kind][j::slices]
                    for name in rotated(names, r * slices + j):
                        start = time.perf_counter()
                        read_slice(conns[name], sql, many, part)
                        seconds = (time.perf_counter() - start) / len(part)
                        t.setdefault(kind, {}).setdefault(name, []).append(seconds)
    for conn in conns.values():
        conn.close()


def ratio(values: dict[str, list[float]], a: str = "vault", b: str = "plain") -> float:
    return median(values[a]) / median(values[b])


def summarise(t: Timings, sides: list[str], n_rows: int) -> tuple[float, float, str]:
    """Print the table; return the insert ratio, the combined read ratio and the read detail."""
    print(f"\n  {'side':6s} {'insert ops/s':>13s} {'vs plain':>9s}", end="")
    print("".join(f" {k[:20]:>20s} {'vs plain':>8s}" for k in READS))
    for n in sides:
        print(
            f"  {n:6s} {n_rows / median(t['insert'][n]):>13,.0f} {ratio(t['insert'], n):>8.3f}x",
            end="",
        )
        reads = [(median(t[k][n]) * 1e6, ratio(t[k], n)) for k in READS]
        print("".join(f" {us:>17.1f} us {r:>7.3f}x" for us, r in reads))
    kinds = {k: ratio(t[k]) for k in READS}
    combined = {n: [sum(median(t[k][n]) for k in READS)] for n in sides}
    detail = ", ".join(f"{k} {v:.3f}x" for k, v in kinds.items())
    print(f"\n  vault/plain: insert {ratio(t['insert']):.3f}x; reads: {detail}")
    print(
        f"  reads combined: {ratio(combined):.3f}x (sum of the per-read medians, i.e. one read "
        f"of each kind); median over the kinds {median(list(kinds.values())):.3f}x"
    )
    crypto, build = ratio(t["insert"], "vault", "nokey"), ratio(t["insert"], "nokey")
    print(f"  insert = encryption (vault/nokey) {crypto:.3f}x x build (nokey/plain) {build:.3f}x")
    return ratio(t["insert"]), ratio(combined), detail


def main(argv: list[str] | None = None) -> int:
    p = parser("vault (SQLCipher) vs plain sqlite3: the app's writes and reads")
    p.add_argument("--rows", type=int, default=None, help="ops (and entities) (100,000)")
    p.add_argument("--batch", type=int, default=1000, help="ops per transaction (1000)")
    p.add_argument("--rounds", type=int, default=None, help="insert rounds (default 5)")
    p.add_argument("--lookups", type=int, default=None, help="random keys per kind (20,000)")
    p.add_argument("--read-rounds", type=int, default=None, help="passes over the keys (5)")
    p.add_argument("--page-size", type=int, default=4096, help="page size on every side (4096)")
    p.add_argument(
        "--cache-mib",
        type=int,
        default=None,
        help="page cache in MiB (the app sizes it to the file: 64..256)",
    )
    p.add_argument("--dir", type=Path, default=None, help="parent of the temp folder")
    args = p.parse_args(argv)
    quick = bool(args.quick)
    n_rows = args.rows or (10_000 if quick else 100_000)
    rounds = args.rounds or (3 if quick else 5)
    n_keys = args.lookups or (2_000 if quick else 20_000)
    read_rounds = args.read_rounds or (3 if quick else 5)
    cipher = CipherSettings(hmac="HMAC_SHA256", page_size=args.page_size)  # as `opener` makes
    header("vault (SQLCipher) vs plain sqlite3: same schema, pragmas, SQL and rows", quick)
    engine = sqlcipher3.connect(":memory:").execute("SELECT sqlite_version()").fetchone()[0]
    print(
        f"plain: stdlib sqlite3, SQLite {sqlite3.sqlite_version}; vault and nokey: sqlcipher3, "
        f"SQLite {engine}; every side: page size {args.page_size}, page cache "
        f"{args.cache_mib or 'sized to the file (at least ' + str(CACHE_MIN_KIB // 1024)} MiB"
        f"{')' if not args.cache_mib else ''}; vault {cipher}"
    )
    print("the app's PRAGMAS: " + "; ".join(x.removeprefix("PRAGMA ") for x in PRAGMAS))
    work = make_workload(n_rows, args.batch)
    n_msgs = sum(len(b[2]) for b in work.batches)
    print(
        f"{n_rows:,} ops + {n_rows:,} entities + {n_msgs:,} messages; op payload "
        f"{work.payload_bytes / n_rows:.0f} B avg; BLOBs bound as bytearray"
    )
    rng = random.Random(11)  # a tenth as many pages as point look-ups: each reads 50 rows
    wanted = {k: n_keys // 10 if k.startswith("message page") else n_keys for k in READS}
    keys = {k: rng.sample(work.keys[k], min(wanted[k], len(work.keys[k]))) for k in READS}
    key = os.urandom(32)
    sides = {n: opener(n, key, args.page_size, args.cache_mib) for n in ("plain", "vault", "nokey")}
    t: Timings = {}
    with tempfile.TemporaryDirectory(prefix="md-bench-", dir=args.dir) as tmp:
        print(f"\n(a) bulk insert, {n_rows:,} ops with their rows, {args.batch} per transaction")
        built = run_inserts(sides, work, rounds, Path(tmp), t)
        kinds = ", ".join(f"{len(keys[k]):,} {k}" for k in READS)
        print(f"\n(b) reads: {kinds}; {read_rounds} rounds")
        run_reads(sides, keys, read_rounds, built, t)
    ins_ratio, read_ratio, detail = summarise(t, list(sides), n_rows)
    what = f"{n_rows:,} ops + entities + messages, {args.batch}/txn, page {args.page_size}"
    checks = [
        Check(NAME, "bulk insert vault/plain", ins_ratio, INSERT_TARGET, "<=", "x", what),
        Check(NAME, "reads vault/plain (sum of kinds)", read_ratio, READ_TARGET, "<=", "x", detail),
    ]
    write_checks(args.json, checks)
    return report("verdict", checks)


if __name__ == "__main__":
    raise SystemExit(main())
