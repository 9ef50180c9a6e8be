"""Operations per second through the whole road: build, sign, apply (op log), index (records, FTS).

Subject: `session.writer.submit_many(changes)` on a real vault (SQLCipher with the settings of a
new vault, the app's pragmas, synchronous=FULL), with `message.create` changes whose bodies are
``{"fields": Message(...).model_dump(mode="json")}`` as `MessagingService.send` makes them
(the pydantic validation is done up front, outside the timing: it is not part of the road).
Measured in transactions of `--batch` changes, and also one change per transaction through
`session.writer.submit` (one fsync per op) for comparison.

Baseline, interleaved with the road in the same run: bare Ed25519 signing (cryptography) of the
very payloads the road produced (``SIGNING_CONTEXT + payload``). road / signing shows how close
the road gets to pure signing speed.

Also reported: how the batched rate holds up as the vault grows (the first fifth of the batched
transactions against the last fifth), and a breakdown per op of one more batched run, timed by
thin wrappers around the writer's signing and the op log's steps (sign, chain checks, append,
fold, BEGIN/COMMIT).

Target: >= 5,000 ops/s batched (median over rounds).
"""

from __future__ import annotations

import random
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from _common import WORDS, Check, header, median, parser, quiet_gc, report, write_checks
from missiondesk.crypto.keywrap import KdfParams
from missiondesk.domain.ids import uuid7
from missiondesk.domain.markings import Precedence
from missiondesk.domain.operation import signing_message
from missiondesk.domain.records.messaging import Message
from missiondesk.services.session import Session
from missiondesk.services.vault_access import create_vault
from missiondesk.services.writer import Change

NAME = "road"
TARGET_OPS = 5_000.0
PASSPHRASE = "correct horse battery staple"
SETUP_KDF = KdfParams(memory_kib=8192, iterations=1, lanes=1)  # setup speed; not measured here


@dataclass
class Stopwatch:
    """Seconds spent inside each wrapped step, and how often it ran."""

    spent: dict[str, float] = field(default_factory=dict)
    calls: dict[str, int] = field(default_factory=dict)

    def wrap(self, name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                self.spent[name] = self.spent.get(name, 0.0) + time.perf_counter() - start
                self.calls[name] = self.calls.get(name, 0) + 1

        return timed


STEPS = (  # (label, object path from the session, method)
    ("sign", "writer", "_sign_chain"),
    ("vault.apply", "vault", "apply"),
    ("oplog.apply", "vault.oplog", "apply"),
    ("append", "vault.oplog", "append"),
    ("checks", "vault.oplog", "_is_duplicate"),
    ("fold", "vault.oplog._materializer", "apply"),
)


@contextmanager
def instrumented(session: Session, watch: Stopwatch) -> Iterator[None]:
    """Time the writer's signing, the vault's transaction, the op log's loop, each append, the
    chain checks (`OpLog._is_duplicate`: only when the op before is not in the same batch) and
    the folding into records. Instance attributes shadow the methods; removed afterwards."""
    targets: list[tuple[Any, str]] = []
    try:
        for label, path, method in STEPS:
            target: Any = session
            for part in path.split("."):
                target = getattr(target, part)
            setattr(target, method, watch.wrap(label, getattr(target, method)))
            targets.append((target, method))
        yield
    finally:
        for target, method in targets:
            delattr(target, method)


def make_changes(channel: str, count: int, rng: random.Random) -> list[Change]:
    """message.create changes as `MessagingService.send` builds them (validated up front)."""
    changes: list[Change] = []
    precedences = list(Precedence)
    for _ in range(count):
        text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(4, 24))).capitalize()
        message = Message(
            channel=channel,
            text=text,
            precedence=rng.choice(precedences) if rng.random() < 0.1 else Precedence.ROUTINE,
        )
        changes.append(("message.create", uuid7(), {"fields": message.model_dump(mode="json")}))
    return changes


def road_batched(session: Session, changes: list[Change], batch: int) -> list[float]:
    """Seconds per transaction of `batch` changes."""
    spent: list[float] = []
    with quiet_gc():
        for i in range(0, len(changes), batch):
            start = time.perf_counter()
            session.writer.submit_many(changes[i : i + batch])
            spent.append(time.perf_counter() - start)
    return spent


def road_single(session: Session, changes: list[Change]) -> float:
    with quiet_gc():
        start = time.perf_counter()
        for kind, entity, body in changes:
            session.writer.submit(kind, entity, body)
        return time.perf_counter() - start


def bare_signing(key: Ed25519PrivateKey, payloads: list[bytes]) -> float:
    """What the road cannot go below: one Ed25519 signature per op (same message bytes)."""
    with quiet_gc():
        start = time.perf_counter()
        for payload in payloads:
            key.sign(signing_message(payload))
        return time.perf_counter() - start


def last_payloads(session: Session, count: int) -> list[bytes]:
    rows = session.vault.conn.execute(
        "SELECT payload FROM ops WHERE author = ? ORDER BY seq DESC LIMIT ?",
        (session.device_id, count),
    ).fetchall()
    return [bytes(r[0]) for r in reversed(rows)]


def growth(txns: list[tuple[int, float]], batch: int, signing: list[float]) -> tuple[float, str]:
    """Batched rate in the last fifth of the transactions over the first fifth (1.0: no loss).
    `txns` holds (ops in the vault before, seconds) per transaction, in order."""
    fifth = max(1, len(txns) // 5)
    first, last = txns[:fifth], txns[-fifth:]
    r_first = batch * len(first) / sum(s for _, s in first)
    r_last = batch * len(last) / sum(s for _, s in last)
    drift = signing[-1] / signing[0]  # the machine's speed, by bare signing, last vs first round
    text = (
        f"first fifth (vault {first[0][0]:,}-{first[-1][0] + batch:,} ops) {r_first:,.0f} ops/s, "
        f"last fifth ({last[0][0]:,}-{last[-1][0] + batch:,} ops) {r_last:,.0f} ops/s: "
        f"{r_last / r_first:.3f}x; bare signing last/first round {drift:.3f}x, so "
        f"{r_last / r_first / drift:.3f}x corrected for the machine's drift"
    )
    return r_last / r_first, text


def breakdown(watch: Stopwatch, total_s: float, n_ops: int, sign_rate: float) -> None:
    us = {name: secs / n_ops * 1e6 for name, secs in watch.spent.items()}
    sign, apply, oplog, append, checks, fold = (us.get(s[0], 0.0) for s in STEPS)
    total = total_s / n_ops * 1e6
    print(f"\n  breakdown per op (one extra instrumented batched run, {total:.1f} us/op):")
    rows = (
        ("build + sign (writer._sign_chain)", sign),
        ("  of which bare Ed25519 signing (just after)", 1e6 / sign_rate),
        ("apply (vault.apply, one transaction)", apply),
        (f"  chain checks (_is_duplicate: {watch.calls.get('checks', 0)} calls)", checks),
        ("  INSERT INTO ops (append - fold - checks)", append - fold - checks),
        ("  fold: entities, messages, FTS", fold),
        ("  op log loop, change set", oplog - append),
        ("  BEGIN/COMMIT (fsync) and the rest", apply - oplog),
        ("other (lock, change feed, loop)", total - sign - apply),
    )
    for label, value in rows:
        print(f"    {label:46s} {value:6.1f} us")
    print("    (each wrapper adds ~0.2 us per call to the step it wraps)")


def main(argv: list[str] | None = None) -> int:
    p = parser("ops/s through the whole road, against bare Ed25519 signing")
    p.add_argument("--ops", type=int, default=None, help="batched ops per round (10,000)")
    p.add_argument("--batch", type=int, default=500, help="ops per transaction (500)")
    p.add_argument("--rounds", type=int, default=None, help="rounds (default 5)")
    p.add_argument("--single", type=int, default=None, help="one-op transactions per round")
    p.add_argument("--dir", type=Path, default=None, help="parent of the temp folder")
    args = p.parse_args(argv)
    quick = bool(args.quick)
    n_ops = args.ops or (2_000 if quick else 10_000)
    rounds = args.rounds or (3 if quick else 5)
    n_single = args.single if args.single is not None else (100 if quick else 300)

    header("the whole road: build, sign, apply, index", quick)
    rng = random.Random(5)
    with tempfile.TemporaryDirectory(prefix="md-bench-", dir=args.dir) as tmp:
        session = create_vault(
            Path(tmp) / "vault", PASSPHRASE, name="Bench Officer", callsign="BENCH-1", kdf=SETUP_KDF
        )
        try:
            channel = session.messaging.channels()[0][0]
            sign_key = Ed25519PrivateKey.generate()
            # warm-up: the first statements compile, the caches fill
            session.writer.submit_many(make_changes(channel, args.batch, rng))
            bare_signing(sign_key, last_payloads(session, args.batch))
            batched: list[float] = []
            signing: list[float] = []
            single: list[float] = []
            txns: list[tuple[int, float]] = []  # (ops in the vault before, seconds)
            for r in range(rounds):
                changes = make_changes(channel, n_ops, rng)
                singles = make_changes(channel, n_single, rng)
                at = session.vault.oplog.count()
                if r % 2 == 1:  # the previous round's payloads, same shape; signing goes first
                    signing.append(n_ops / bare_signing(sign_key, last_payloads(session, n_ops)))
                spent = road_batched(session, changes, args.batch)
                batched.append(n_ops / sum(spent))
                txns += [(at + k * args.batch, s) for k, s in enumerate(spent)]
                if r % 2 == 0:
                    signing.append(n_ops / bare_signing(sign_key, last_payloads(session, n_ops)))
                if n_single:
                    single.append(n_single / road_single(session, singles))
                print(
                    f"  round {r + 1}/{rounds}: batched {batched[-1]:,.0f} ops/s, bare signing "
                    f"{signing[-1]:,.0f} sig/s"
                    + (f", one op per transaction {single[-1]:,.0f} ops/s" if n_single else ""),
                    flush=True,
                )
            watch = Stopwatch()
            with instrumented(session, watch):
                watched = road_batched(session, make_changes(channel, n_ops, rng), args.batch)
            # the breakdown's signing reference, taken right away: the machine's speed drifts
            sign_now = n_ops / bare_signing(sign_key, last_payloads(session, n_ops))
            total_ops = session.vault.oplog.count()
            avg_payload = sum(len(x) for x in last_payloads(session, 1000)) / 1000
            db_mib = session.vault.layout.database.stat().st_size / 2**20
        finally:
            session.close()

    road, sign = median(batched), median(signing)
    print("\nresults (medians)")
    print(
        f"  ops in the vault at the end: {total_ops:,}; payload {avg_payload:.0f} B avg; "
        f"database {db_mib:.1f} MiB (+ WAL)"
    )
    print(f"  batched ({args.batch}/txn)     {road:>9,.0f} ops/s")
    print(f"  bare Ed25519 signing   {sign:>9,.0f} sig/s")
    print(f"  road / signing         {road / sign:>9.3f}x of pure signing speed")
    if single:
        one = median(single)
        print(
            f"  one op per transaction {one:>9,.0f} ops/s  ({one / sign:.3f}x signing, "
            f"{road / one:.1f}x slower than batched)"
        )
    kept, kept_text = growth(txns, args.batch, signing)
    print(f"  as the vault grows: {kept_text}")
    breakdown(watch, sum(watched), n_ops, sign_now)
    checks = [
        Check(
            NAME,
            f"batched road ({args.batch}/txn)",
            road,
            TARGET_OPS,
            ">=",
            "ops/s",
            f"{road / sign:.3f}x of bare Ed25519 signing ({sign:,.0f}/s); "
            f"last/first fifth {kept:.2f}x",
        )
    ]
    write_checks(args.json, checks)
    return report("verdict", checks)


if __name__ == "__main__":
    raise SystemExit(main())
