"""Bytes and round trips of a sync when little or nothing is new, against rsync of the vault file
and against the compressed size of what is new.

Two members of one mission, A and B, hold the same N operations (100,000; 10,000 quick; with
--million also 1,000,000): A writes them through the one road, then syncs them to B.

(a) Nothing new. `sync now` from A to B (`sync serve`): the session report's application bytes
    (frames both ways) and frames; the bytes on the wire both ways, counted by a relay in front
    of B (the difference is TLS: handshake with both certificates, record headers, close); and
    the round trips the client waited for, measured through the same relay adding 100 ms each
    way: each burst of client bytes after the first had to wait for an answer. TLS 1.3 takes
    one of them; the rest are the sync protocol's (TCP's handshake comes before the first).
    Targets: 1 protocol round trip; <= 1 KB of application bytes.

(b) 1 % new. A writes N/100 more operations; then `sync now` A -> B through the counting relay.
    Against (1) the zlib size (level 6) of those operations' payloads and signatures, the least
    any encoding of them could need, target wire/zlib <= 1.2; and (2) rsync of the vault file
    for the same change: `rsync --stats --no-whole-file` from A's vault.db to a copy of it taken
    just before the new operations (both with the WAL checkpointed), counting "Total bytes sent"
    + "Total bytes received"; target rsync/sync >= 20. Projections (same ops in chain order,
    BATCH_OPS a frame, the session's other frames and TLS as measured) show what would go on
    the wire with each OPS frame zlib-compressed, and with `prev` left out of the ops (the
    receiver can recompute it) and one compressed stream per session (zlib; xz).

(c) A 3-day partition of 5 laptops (full run; --no-partition skips it): the five share a base,
    then each writes three days of its own traffic while apart; they meet at HQ, which serves:
    each of the four syncs with HQ, then each once more to collect what the later ones brought.
    Reported: sessions, bytes on the wire, frames, against the zlib size of what each laptop
    lacked. No target in the issue; figures only.
"""

from __future__ import annotations

import lzma
import re
import shutil
import subprocess
import tempfile
import time
import zlib
from dataclasses import dataclass
from pathlib import Path

from _common import Check, header, parser, report, write_checks
from _sync_common import (
    Connection,
    Link,
    Server,
    SyncRun,
    database_bytes,
    device_of,
    fill_messages,
    last_connection,
    make_mission,
    op_count,
    ops_of,
    sync_now,
)
from missiondesk.sync import wire as wire_format
from missiondesk.sync.session import BATCH_OPS
from missiondesk.sync.wire import encode_ops

NAME = "sync_deltas"
TARGET_ROUND_TRIPS = 1.0
TARGET_IDLE_BYTES = 1024.0
TARGET_ZLIB = 1.2
TARGET_RSYNC = 20.0
ONE_WAY = 0.1  # seconds each way for counting round trips
ZLIB_LEVEL = 6
PREV = re.compile(rb'"prev":"[0-9a-f]{64}"')


@dataclass
class Through:
    """One sync through the relay: the client's report and what the relay saw."""

    run: SyncRun
    wire: Connection
    session_s: float  # first byte in to the relay's close, both ways

    @property
    def tls(self) -> int:
        return self.wire.total - self.run.app_bytes


def through(client: Path, node: Server, link: Link, sessions: int) -> Through:
    """`sync now` from `client` to `node` via `link`; waits for the node's side to finish
    (it is the node's session number `sessions`)."""
    link.reset()
    run = sync_now(client, link.address)
    node.session_ends(sessions)
    wire = last_connection(link)
    return Through(run, wire, wire.closed - wire.opened)


def zlib_size(ops: list[tuple[bytes, bytes]]) -> int:
    return len(zlib.compress(b"".join(p + s for p, s in ops), ZLIB_LEVEL))


def rsync_bytes(source: Path, dest: Path) -> tuple[int, str]:
    """Bytes rsync's delta transfer moves to bring `dest` up to `source` (sent + received)."""
    done = subprocess.run(
        ["rsync", "--stats", "--no-whole-file", str(source), str(dest)],
        capture_output=True,
        text=True,
        check=True,
    )
    sent = re.search(r"Total bytes sent: ([\d,.]+)", done.stdout)
    got = re.search(r"Total bytes received: ([\d,.]+)", done.stdout)
    matched = re.search(r"Matched data: ([\d,.]+)", done.stdout)
    literal = re.search(r"Literal data: ([\d,.]+)", done.stdout)
    if not sent or not got:
        raise RuntimeError(f"cannot read rsync's statistics: {done.stdout}")

    def number(m: re.Match[str] | None) -> int:
        return int(re.sub(r"[,.]", "", m.group(1))) if m else 0

    detail = f"literal {number(literal):,} B, matched {number(matched):,} B"
    return number(sent) + number(got), detail


def checkpointed(path: Path) -> None:
    wal = path / "vault.db-wal"
    if wal.exists() and wal.stat().st_size:
        raise RuntimeError(f"{wal} is not empty: the vault was not closed cleanly")


def nothing_new(a: Path, b: Path, label: str) -> list[Check]:
    """(a): bytes and round trips when both hold the same operations."""
    with Server(b) as node, Link(node.port) as counting, Link(node.port, delay=ONE_WAY) as slow:
        plain = through(a, node, counting, 1)
        if plain.run.report.get("in_sync") is not True:
            raise RuntimeError(f"A and B are not in step: {plain.run.report}")
        delayed = through(a, node, slow, 2)
    r = plain.run.report
    flights = delayed.wire.client_flights(ONE_WAY)
    protocol = flights - 2  # the first burst is the ClientHello; TLS 1.3 waits once
    rtt = 2 * ONE_WAY
    print(f"\n(a) nothing new, {label}")
    print(
        f"  application bytes (report): {plain.run.app_bytes:,} "
        f"(sent {r['bytes_sent']}, received {r['bytes_received']}); frames sent "
        f"{r['frames_sent']}, received {r['frames_received']}"
    )
    print(
        f"  on the wire: {plain.wire.total:,} B (client -> server {plain.wire.up.bytes:,}, "
        f"server -> client {plain.wire.down.bytes:,}); TLS handshake, records and close: "
        f"{plain.tls:,} B"
    )
    print(
        f"  through {rtt * 1000:.0f} ms RTT: the client sent {flights} bursts, so it waited "
        f"{flights - 1} round trips: TLS 1.3 handshake 1, sync protocol {protocol}; "
        f"session {delayed.session_s:.2f} s = {delayed.session_s / rtt:.1f} RTT "
        f"(incl. TCP handshake, TLS close); unthrottled {plain.session_s * 1000:.0f} ms, "
        f"`sync now` {plain.run.seconds:.2f} s"
    )
    return [
        Check(
            NAME,
            f"nothing new at {label}: protocol round trips",
            protocol,
            TARGET_ROUND_TRIPS,
            "<=",
            "round trips",
            f"{flights - 1} in all with the TLS 1.3 handshake; frames "
            f"{r['frames_sent']}+{r['frames_received']}",
        ),
        Check(
            NAME,
            f"nothing new at {label}: application bytes",
            plain.run.app_bytes,
            TARGET_IDLE_BYTES,
            "<=",
            "B",
            f"{plain.wire.total:,} B on the wire incl. {plain.tls:,} B of TLS",
        ),
    ]


def frame_sizes(new: list[tuple[bytes, bytes]]) -> tuple[int, int]:
    """(plain, zlib'd) size of the OPS batches (same ops in chain order, BATCH_OPS a frame),
    each frame compressed on its own."""
    plain = compressed = 0
    for i in range(0, len(new), BATCH_OPS):
        body = encode_ops(new[i : i + BATCH_OPS])
        plain += len(body)
        compressed += len(zlib.compress(body, ZLIB_LEVEL))
    return plain, compressed


def lean_sizes(new: list[tuple[bytes, bytes]]) -> tuple[int, int]:
    """Size of the OPS batches with `prev` left out of every op but a batch's first (the
    receiver can recompute it: the op id of the op before) in one compressed stream per
    session: zlib flushed at each frame; and xz (lzma preset 6, a stronger but ~5x slower
    codec from the standard library) over the whole stream."""
    stream = zlib.compressobj(ZLIB_LEVEL)
    batches = []
    for i in range(0, len(new), BATCH_OPS):
        batch = new[i : i + BATCH_OPS]
        lean = [batch[0]] + [(PREV.sub(b'"prev":""', p, count=1), s) for p, s in batch[1:]]
        batches.append(encode_ops(lean))
    z = sum(len(stream.compress(b)) + len(stream.flush(zlib.Z_SYNC_FLUSH)) for b in batches)
    return z, len(lzma.compress(b"".join(batches), preset=6))


def stream_sizes(new: list[tuple[bytes, bytes]]) -> tuple[int, int]:
    """The session's own OPS encoding of these ops (wire.OpsEncoder, BATCH_OPS a frame): its
    size, and the size with the same records compressed by xz (lzma preset 6) instead of the
    session's zlib stream (signatures stay outside the compressor either way)."""
    encoder, inflate = wire_format.OpsEncoder(), zlib.decompressobj()
    size = outside = 0
    records = []
    for i in range(0, len(new), BATCH_OPS):
        frame = encoder.encode(new[i : i + BATCH_OPS])
        size += len(frame)
        chunk = int.from_bytes(frame[:4], "big")
        records.append(inflate.decompress(frame[4 : 4 + chunk]))
        outside += len(frame) - chunk
    return size, outside + len(lzma.compress(b"".join(records), preset=6))


def one_percent(a: Path, b: Path, n_new: int, seed: int, work: Path) -> list[Check]:
    """(b): N/100 new operations on A: sync against zlib and against rsync."""
    author = device_of(a)
    checkpointed(a)
    old = work / "old"
    old.mkdir()
    shutil.copy2(a / "vault.db", old / "vault.db")  # A's file before the change
    head, _ = fill_messages(a, n_new, seed)
    checkpointed(a)
    new = ops_of(a, author, head - n_new)
    if len(new) != n_new:
        raise RuntimeError(f"expected {n_new} new ops, found {len(new)}")
    raw = sum(len(p) + len(s) for p, s in new)
    packed = zlib_size(new)
    start = time.perf_counter()
    moved, rsync_detail = rsync_bytes(a / "vault.db", old / "vault.db")
    rsync_s = time.perf_counter() - start
    with Server(b) as node, Link(node.port) as counting:
        sync = through(a, node, counting, 1)
    r = sync.run.report
    if int(r["sent"]) != n_new:
        raise RuntimeError(f"the sync sent {r['sent']} ops, not {n_new}")
    wire = sync.wire.total
    compresses = hasattr(wire_format, "OpsEncoder")
    plain, per_frame = frame_sizes(new)
    lean_z, lean_xz = lean_sizes(new)
    if compresses:  # the non-OPS bytes as measured, plus the OPS stream with another codec
        stream_z, stream_xz = stream_sizes(new)
        projections = {"the same stream with xz instead of zlib": wire - stream_z + stream_xz}
    else:
        rest = sync.run.app_bytes - plain + sync.tls
        projections = {
            f"OPS frames zlib-compressed (level {ZLIB_LEVEL}, one stream a frame)": rest
            + per_frame,
            "one zlib stream per session, `prev` left out (the receiver recomputes it)": (
                rest + lean_z
            ),
            "the same with xz instead of zlib": rest + lean_xz,
        }
    size = (a / "vault.db").stat().st_size
    print(
        f"\n(b) {n_new:,} new ops on A ({n_new / (head - n_new) * 100:.1f} % of {head - n_new:,})"
    )
    print(
        f"  the new ops: {raw:,} B of payloads + signatures ({raw / n_new:.0f} B/op), "
        f"zlib level {ZLIB_LEVEL}: {packed:,} B ({raw / packed:.2f}:1)"
    )
    print(
        f"  sync: {wire:,} B on the wire (client -> server {sync.wire.up.bytes:,}, back "
        f"{sync.wire.down.bytes:,}), of which application {sync.run.app_bytes:,} B in "
        f"{r['frames_sent']}+{r['frames_received']} frames, TLS {sync.tls:,} B; "
        f"session {sync.session_s:.2f} s"
    )
    print(f"  sync / zlib of the new ops: {wire / packed:.3f}x")
    print(
        f"  rsync --no-whole-file of vault.db ({size / 2**20:.1f} MiB) onto its copy from "
        f"before: {moved:,} B ({rsync_detail}; {rsync_s:.1f} s)"
    )
    print(f"  rsync / sync: {moved / wire:.1f}x")
    if compresses:
        print("  (the wire compresses OPS frames: wire.OpsEncoder, one zlib stream per session)")
    for label, value in projections.items():
        print(
            f"  projection, {label}: {value:,} B on the wire = {value / packed:.3f}x zlib, "
            f"rsync / sync {moved / value:.1f}x"
        )
    best = min(projections.values())
    return [
        Check(
            NAME,
            f"{n_new:,} new: wire bytes / zlib of the new ops",
            wire / packed,
            TARGET_ZLIB,
            "<=",
            "x",
            f"{wire:,} B on the wire vs {packed:,} B; best projection {best / packed:.2f}x",
        ),
        Check(
            NAME,
            f"{n_new:,} new: rsync bytes / sync bytes",
            moved / wire,
            TARGET_RSYNC,
            ">=",
            "x",
            f"rsync {moved:,} B vs sync {wire:,} B on the wire; best projection "
            f"{moved / best:.1f}x",
        ),
    ]


def partition(root: Path, base: int, per_day: int) -> None:
    """(c): five laptops apart for three days, then a meeting at HQ."""
    nodes = make_mission(root, 5, name="Partition")
    hq, laptops = nodes[0], nodes[1:]
    fill_messages(hq, base, seed=100)
    with Server(hq) as node:  # everyone holds the base
        for k, laptop in enumerate(laptops, start=1):
            sync_now(laptop, node.address)
            node.session_ends(k)
        for k, laptop in enumerate(laptops, start=len(laptops) + 1):
            sync_now(laptop, node.address)
            node.session_ends(k)
    written: dict[Path, list[tuple[bytes, bytes]]] = {}
    for i, vault in enumerate(nodes):
        author = device_of(vault)
        head, _ = fill_messages(vault, 3 * per_day, seed=200 + i)
        written[vault] = ops_of(vault, author, head - 3 * per_day)
    total_new = sum(len(v) for v in written.values())
    # what each laptop lacks: everyone else's three days; its zlib size, per receiving node
    lacked = [[op for w, ops in written.items() if w != v for op in ops] for v in nodes]
    ideal = sum(zlib_size(ops) for ops in lacked)
    raw = sum(len(p) + len(s) for ops in lacked for p, s in ops)
    wire = app = frames = sessions = deliveries = 0
    start = time.perf_counter()
    with Server(hq) as node, Link(node.port) as counting:
        for rnd in range(2):
            for laptop in laptops:
                sessions += 1
                s = through(laptop, node, counting, sessions)
                wire += s.wire.total
                app += s.run.app_bytes
                frames += int(s.run.report["frames_sent"]) + int(s.run.report["frames_received"])
                deliveries += int(s.run.report["sent"]) + int(s.run.report["received"])
                print(
                    f"  round {rnd + 1}, {laptop.name} <-> HQ: sent {s.run.report['sent']:,}, "
                    f"received {s.run.report['received']:,}; {s.wire.total:,} B on the wire",
                    flush=True,
                )
    spent = time.perf_counter() - start
    counts = {vault.name: op_count(vault) for vault in nodes}
    print(
        f"\n(c) 3-day partition of 5 laptops: base {base:,} ops, then {per_day:,} ops/day each "
        f"for 3 days apart ({total_new:,} new in all); meeting at HQ in {sessions} sessions, "
        f"{spent:.1f} s"
    )
    print(f"  ops held afterwards: {counts}")
    print(
        f"  on the wire: {wire:,} B in all (application {app:,} B, {frames} frames); what the "
        f"five lacked: {raw:,} B of payloads + signatures (wire / that {wire / raw:.3f}x), "
        f"zlib'd per receiver {ideal:,} B (wire / zlib {wire / ideal:.2f}x); ops delivered "
        f"{deliveries:,} (each new op once to each of the 4 others: {4 * total_new:,})"
    )
    if len(set(counts.values())) != 1:
        raise RuntimeError(f"the laptops do not hold the same ops after meeting: {counts}")


def main(argv: list[str] | None = None) -> int:
    p = parser("bytes and round trips of small deltas, against rsync and zlib")
    p.add_argument("--ops", type=int, default=None, help="ops both hold (100,000; quick 10,000)")
    p.add_argument("--million", action="store_true", help="also (a) at 1,000,000 ops (slow)")
    p.add_argument("--partition", action="store_true", help="run (c) in a quick run too")
    p.add_argument("--no-partition", action="store_true", help="skip (c)")
    p.add_argument("--dir", type=Path, default=None, help="parent of the temp folder")
    args = p.parse_args(argv)
    quick = bool(args.quick)
    n_ops = args.ops or (10_000 if quick else 100_000)
    run_partition = (args.partition or not quick) and not args.no_partition

    header("sync deltas: nothing new, 1 % new, rsync side by side", quick)
    checks: list[Check] = []
    with tempfile.TemporaryDirectory(prefix="md-bench-", dir=args.dir) as tmp:
        root = Path(tmp)
        a, b = make_mission(root / "pair", 2)
        start = time.perf_counter()
        fill_messages(a, n_ops, seed=1)
        filled = time.perf_counter() - start
        with Server(b) as node:
            start = time.perf_counter()
            first = sync_now(a, node.address)
            node.session_ends(1)
            took = time.perf_counter() - start
        print(
            f"  A wrote {n_ops:,} ops in {filled:.1f} s; first sync to B: {first.report['sent']:,}"
            f" ops in {took:.1f} s; vaults {database_bytes(a) / 2**20:.0f} and "
            f"{database_bytes(b) / 2**20:.0f} MiB",
            flush=True,
        )
        checks += nothing_new(a, b, f"{n_ops:,} ops")
        checks += one_percent(a, b, max(1, n_ops // 100), seed=2, work=root)
        if args.million:
            more = 1_000_000 - n_ops - n_ops // 100
            start = time.perf_counter()
            fill_messages(a, more, seed=3)
            filled = time.perf_counter() - start
            with Server(b) as node:
                start = time.perf_counter()
                first = sync_now(a, node.address)
                node.session_ends(1)
                took = time.perf_counter() - start
            print(
                f"\n  A wrote {more:,} more ops in {filled:.0f} s; sync to B: "
                f"{first.report['sent']:,} ops in {took:.0f} s",
                flush=True,
            )
            checks += nothing_new(a, b, "1,000,000 ops")
        if run_partition:
            partition(root / "partition", 2_000 if quick else 20_000, 100 if quick else 1_000)

    write_checks(args.json, checks)
    return report("verdict", checks)


if __name__ == "__main__":
    raise SystemExit(main())
