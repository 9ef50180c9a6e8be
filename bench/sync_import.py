"""Operations per second imported between two processes over loopback, verification on.

Subject: node A holds N operations (`message.create`, written through the one road as
bench/road.py writes them); node B, a freshly enrolled member of the same mission, runs
`missiondesk sync serve`; A runs `missiondesk sync now --peer B`. Real vaults, real processes,
TLS 1.3 with mutual authentication over 127.0.0.1, the receiver verifying every run (hash links
plus the newest signature), admitting each op against the mission's certificates, and
committing each OPS frame (1,000 ops) to its op log in its own transaction. The import is over
when `sync now` exits: it waits for B's COMMITTED frame, sent once B has verified, admitted and
committed every frame. B then folds the logged ops into records, projections and the search
index ("log first, fold behind": the link is free as soon as the log holds everything); that
time, until B prints its session report, is shown too. A nothing-new sync right after
measures the fixed cost (two process start-ups, unlock, TLS handshake, HELLO) shown apart.

Baseline, in the same run, once before and once after the sync (into two other fresh member
vaults): the same operations, cut into the same OPS frames ahead of time, taken in one process
without network, TLS or a second process: the session's frame decoder (`wire.OpsDecoder` where
the wire compresses, else `wire.decode_ops`) + `intake.take_all` on a
`VaultReplica` (the very calls B's session makes per frame).

Then a what-if in process (the same frames with the fold into records, projections and search
index left out: the op log only), a breakdown per op of one more in-process import (decode,
admission, apply, SQL by table, BEGIN/COMMIT) and, if the target is missed (or with
--profile), py-spy on a real `sync serve` process importing the same ops, its samples sorted
by step.

Target: >= 20,000 ops/s imported into the receiver's verified op log, end to end.
"""

from __future__ import annotations

import struct
import tempfile
import time
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson

from _common import Check, header, parser, report, write_checks
from _sync_common import (
    PY_SPY,
    Profiler,
    Server,
    database_bytes,
    fill_messages,
    make_mission,
    opened,
    ops_of,
    replica_of,
    sync_now,
)
from _sync_profile import Stopwatch, instrumented, read_py_spy
from missiondesk.domain.operation import SignedOperation, assemble, canonical_json, op_id_for
from missiondesk.services.session import Session
from missiondesk.sync import wire
from missiondesk.sync.intake import Intake, take_all
from missiondesk.sync.session import BATCH_OPS

NAME = "sync_import"
TARGET_OPS = 20_000.0
PY_SPY_RATE = 200


Decoder = Callable[[bytes], list[SignedOperation]]


def frames_of(ops: list[tuple[bytes, bytes]]) -> list[bytes]:
    """OPS frame payloads as a session's sender makes them: BATCH_OPS a frame (these ops are
    far below BATCH_BYTES), through the session's encoder if the wire has one."""
    batches = [ops[i : i + BATCH_OPS] for i in range(0, len(ops), BATCH_OPS)]
    encoder = getattr(wire, "OpsEncoder", None)
    if encoder is None:
        return [wire.encode_ops(batch) for batch in batches]
    stream = encoder()
    return [stream.encode(batch) for batch in batches]


def new_decoder() -> Decoder:
    """A receiving session's frame decoder (a fresh stream, as each session has)."""
    decoder = getattr(wire, "OpsDecoder", None)
    return wire.decode_ops if decoder is None else decoder().decode


def take_frames(
    session: Session,
    frames: list[bytes],
    decode: Decoder | None = None,
    *,
    fold: bool = True,
) -> tuple[int, float]:
    """What B's session does per OPS frame, in this process: decode, verify, admit, commit.
    The cyclic collector stays on, as in `sync serve`. (ops taken, seconds). The what-if
    without `fold` writes only the op log (no records, projections or search index: the
    vault is left inconsistent)."""
    replica = replica_of(session)
    decode = decode or new_decoder()
    if not fold:
        session.vault.oplog._materializer.apply = lambda op: None  # type: ignore[method-assign]
    total = Intake()
    start = time.perf_counter()
    for frame in frames:
        total.add(take_all(replica, decode(frame)))
    seconds = time.perf_counter() - start
    if total.refused or total.held:
        raise RuntimeError(f"the baseline refused operations: {total.reasons}")
    return total.received, seconds


def local_import(path: Path, frames: list[bytes], **what_if: Any) -> tuple[int, float]:
    with opened(path) as session:
        return take_frames(session, frames, **what_if)


def decode_parts(frames: list[bytes]) -> dict[str, float]:
    """Microseconds per op of the decoder's pieces, measured on the same frames with the
    functions the decoder calls: inflating the stream; parsing the body and checking it is
    canonical (orjson, as `domain.operation.from_fields` does); rebuilding the payload; and
    hashing it into the op id. (A stdlib `json.loads` of the payload, which this line once
    measured, is not what the app runs: orjson is several times faster.)"""
    decoder = new_decoder()
    signed = [s for frame in frames for s in decoder(frame)]
    inflate = zlib.decompressobj()
    start = time.perf_counter()
    for frame in frames:
        (size,) = struct.unpack_from(">I", frame)
        inflate.decompress(frame[4 : 4 + size])
    t_inflate = time.perf_counter() - start
    bodies = [canonical_json(s.op.body) for s in signed]
    start = time.perf_counter()
    for body in bodies:
        canonical_json(orjson.loads(body)) == body  # noqa: B015 - timed, as the decoder does
    t_body = time.perf_counter() - start
    start = time.perf_counter()
    for s, body in zip(signed, bodies, strict=True):
        o = s.op
        assemble(o.mission, o.author, o.seq, o.prev, o.hlc, o.kind, o.entity, body)
    t_build = time.perf_counter() - start
    start = time.perf_counter()
    for s in signed:
        op_id_for(s.payload, s.signature)
    t_hash = time.perf_counter() - start
    n = len(signed) / 1e6
    return {
        "inflate (zlib)": t_inflate / n,
        "body: orjson parse + canonical check": t_body / n,
        "payload rebuilt (assemble)": t_build / n,
        "op id (SHA-256)": t_hash / n,
    }


def breakdown(path: Path, frames: list[bytes]) -> None:
    watch = Stopwatch()
    with opened(path) as session, instrumented(session, watch):
        n, seconds = take_frames(session, frames, watch.wrap("decode", new_decoder()))
    us = {k: v / n * 1e6 for k, v in watch.spent.items()}
    total = seconds / n * 1e6
    sql = {k[5:]: v for k, v in us.items() if k.startswith("sql: ")}
    apply = us.get("vault.apply (one transaction)", 0.0)
    fold = us.get("fold (materializer)", 0.0)
    admit = us.get("admission (admit)", 0.0)
    decode = us.get("decode", 0.0)
    trust_sql = sql.get("trust look-ups (memberships, revocations, holds)", 0.0)
    print(f"\n  breakdown per op (one more in-process import of {n:,} ops, instrumented):")
    print(f"    total                                        {total:6.1f} us  (wrappers add ~1 us)")
    print(f"    decode (the session's frame decoder)            {decode:6.1f} us")
    parts = decode_parts(frames)
    for name, value in parts.items():
        print(f"      {name:42s} {value:6.1f} us")
    rest = decode - sum(parts.values())
    print(f"      {'the rest: records, field checks, objects':42s} {rest:6.1f} us")
    print(f"    admission (admit)                            {admit:6.1f} us")
    for name in ("  hash links", "  key look-up", "  Ed25519 (newest op)", "  per-op membership"):
        print(f"      {name.strip():42s} {us.get(name, 0.0):6.1f} us")
    print(f"        of which SQL on trust tables               {trust_sql:6.1f} us")
    print(f"    vault.apply (one transaction per frame)      {apply:6.1f} us")
    commit = sql.get("BEGIN/COMMIT (page encryption, write, fsync)", 0.0)
    in_fold = ("FTS5 search index", "messages projection", "entities (look-up, insert)")
    for name in ("INSERT INTO ops", "chain look-ups in ops (head, op id)", *in_fold):
        print(f"      sql: {name:37s} {sql.get(name, 0.0):6.1f} us")
    fold_sql = sum(sql.get(k, 0.0) for k in in_fold)
    print(f"      fold in Python (JSON, dicts; no SQL)       {fold - fold_sql:6.1f} us")
    print(f"      sql: BEGIN/COMMIT (encrypt, write, fsync) {commit:6.1f} us")
    rest = (
        apply
        - fold
        - commit
        - sql.get("INSERT INTO ops", 0.0)
        - sql.get("chain look-ups in ops (head, op id)", 0.0)
    )
    print(f"      op log loop, urgency, change set          {rest:6.1f} us")
    other = total - decode - admit - apply
    print(f"    intake rest (dedupe look-ups, grouping, feed) {other:6.1f} us")


def profile(path: Path, a: Path, out: Path) -> Path:
    """py-spy on a real `sync serve` importing from A; samples sorted by step."""
    with Server(path) as node:
        spy = Profiler(node.pid, out, PY_SPY_RATE)
        start = time.perf_counter()
        run = sync_now(a, node.address)
        end = node.session_ends(1)[-1][0]
        spy.stop()
    n = int(run.report["sent"])
    labels, threads = read_py_spy(out)
    print(
        f"\n  py-spy on the receiving `sync serve` ({PY_SPY_RATE} Hz; {n:,} ops in "
        f"{end - start:.2f} s under the profiler; samples of a thread blocked in epoll or on "
        f"the executor's queue dropped; a thread waiting for the GIL still counts as busy):"
    )
    for thread, count in threads.most_common():
        seconds = count / PY_SPY_RATE
        print(f"    {thread:50s} {seconds:6.2f} s busy  {seconds / n * 1e6:6.1f} us/op")
    print("    by step (innermost matching frame):")
    for label, count in labels.most_common():
        print(f"      {label:52s} {count / PY_SPY_RATE / n * 1e6:6.1f} us/op")
    return out


def main(argv: list[str] | None = None) -> int:
    p = parser("ops/s imported over loopback TLS between two processes, against a local import")
    p.add_argument("--ops", type=int, default=None, help="ops on node A (100,000; quick 10,000)")
    p.add_argument("--profile", action="store_true", help="run py-spy even if the target is met")
    p.add_argument("--no-profile", action="store_true", help="never run py-spy")
    p.add_argument("--dir", type=Path, default=None, help="parent of the temp folder")
    p.add_argument("--keep", type=Path, default=None, help="keep py-spy's raw stacks here")
    args = p.parse_args(argv)
    quick = bool(args.quick)
    n_ops = args.ops or (10_000 if quick else 100_000)

    header("sync import over loopback: two processes, TLS, verification on", quick)
    with tempfile.TemporaryDirectory(prefix="md-bench-", dir=args.dir) as tmp:
        root = Path(tmp)
        a, b, base1, base2, instr, prof, what = make_mission(root, 7)
        start = time.perf_counter()
        fill_messages(a, n_ops, seed=1)
        ops = ops_of(a)
        frames = frames_of(ops)
        payload = sum(len(x) for x, _ in ops) / len(ops)
        print(
            f"  node A: {len(ops):,} ops (payload {payload:.0f} B avg + 64 B signature), "
            f"vault {database_bytes(a) / 2**20:.1f} MiB; "
            f"written in {time.perf_counter() - start:.1f} s"
        )

        n_local1, s_local1 = local_import(base1, frames)
        print(f"  local import before: {n_local1:,} ops in {s_local1:.2f} s", flush=True)
        with Server(b) as node:
            t0 = time.perf_counter()
            run = sync_now(a, node.address)  # A exits once B has committed every frame
            t_end = t0 + run.seconds
            t_folded = max(node.session_ends(1)[-1][0], t_end)  # B's records folded too
            t1 = time.perf_counter()
            idle = sync_now(a, node.address)
            t_idle = max(node.session_ends(2)[-1][0], t1 + idle.seconds)
        import_s, fixed_s, folded_s = t_end - t0, t_idle - t1, t_folded - t0
        n_sync = int(run.report["sent"])
        print(f"  sync: {n_sync:,} ops in {import_s:.2f} s", flush=True)
        n_local2, s_local2 = local_import(base2, frames)
        print(f"  local import after: {n_local2:,} ops in {s_local2:.2f} s", flush=True)
        with opened(b) as session:
            held = session.vault.oplog.count()
        if idle.report.get("in_sync") is not True:
            raise RuntimeError(f"A and B are not in step after the sync: {idle.report}")

        rate = n_sync / import_s
        net = n_sync / (import_s - fixed_s)
        local = (n_local1 + n_local2) / (s_local1 + s_local2)
        print("\nresults")
        print(f"  B holds {held:,} ops after the sync ({n_sync:,} received in one session)")
        print(
            f"  sync now A -> B, into B's log      {import_s:7.2f} s  {rate:>9,.0f} ops/s"
            f"  (until `sync now` exits: B verified and committed all)"
        )
        print(
            f"  ... and B's records folded         {folded_s:7.2f} s  "
            f"{n_sync / folded_s:>9,.0f} ops/s  (search index and projections included)"
        )
        print(
            f"  fixed cost (nothing-new sync)      {fixed_s:7.2f} s  "
            f"(two process start-ups, unlock, TLS, HELLO)"
        )
        print(
            f"  sync without the fixed cost        {import_s - fixed_s:7.2f} s  {net:>9,.0f} ops/s"
        )
        print(
            f"  local import (same frames, 1 proc) {(s_local1 + s_local2) / 2:7.2f} s  "
            f"{local:>9,.0f} ops/s  (before {n_local1 / s_local1:,.0f}, after "
            f"{n_local2 / s_local2:,.0f})"
        )
        print(
            f"  sync / local                       {rate / local:7.3f}x  (net {net / local:.3f}x)"
        )
        print(
            f"  wire: {run.report['bytes_sent']:,} B sent in {run.report['frames_sent']} frames, "
            f"{run.report['bytes_received']:,} B received in {run.report['frames_received']}; "
            f"{run.report['bytes_sent'] / n_sync:.0f} B/op"
        )
        if rate < TARGET_OPS:
            print(
                f"  the target needs {1e6 / TARGET_OPS:.0f} us per op end to end; the sync takes "
                f"{1e6 / rate:.0f} us, the local import alone {1e6 / local:.0f} us"
            )

        n_w, s_w = local_import(what, frames, fold=False)
        print(
            f"\n  what-if, in process (not in src/): the same frames with the fold left out (op "
            f"log only; records, projections and search index not written):\n"
            f"    {n_w / s_w:,.0f} ops/s, {n_w / s_w / (n_local2 / s_local2):.2f}x the local "
            f"import just before"
        )
        breakdown(instr, frames)
        if (args.profile or (rate < TARGET_OPS and not args.no_profile)) and not PY_SPY.exists():
            print(
                f"\n  py-spy profile skipped: {PY_SPY} is not installed "
                "(`.venv/bin/pip install py-spy`; it is not a project dependency)"
            )
        elif args.profile or (rate < TARGET_OPS and not args.no_profile):
            out_dir = args.keep or root
            out_dir.mkdir(parents=True, exist_ok=True)
            kept = profile(prof, a, out_dir / "sync_import.py-spy.txt")
            if args.keep:
                print(f"    (raw stacks: {kept})")

    checks = [
        Check(
            NAME,
            f"import over loopback into the log ({n_sync:,} ops, end to end)",
            rate,
            TARGET_OPS,
            ">=",
            "ops/s",
            f"{rate / local:.3f}x of a local import in one process ({local:,.0f} ops/s); "
            f"{net:,.0f} ops/s without the {fixed_s:.2f} s fixed cost",
        )
    ]
    write_checks(args.json, checks)
    return report("verdict", checks)


if __name__ == "__main__":
    raise SystemExit(main())
