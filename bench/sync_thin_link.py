"""1,000 changed records over an emulated thin link (400 kbit/s each way, 600 ms round trip),
and a FLASH message from another device that must arrive before them.

Four members of one mission: A (HQ), B (at the far end of the thin link), C (an outpost), D
(a fast-link twin of B for the baseline). All are in step first. Then C writes 1,000 messages
of ~1 KB each (the message record, as stored, is 1,024 bytes; routine precedence) and syncs
them to A over loopback; then A's operator sends ONE FLASH message, the last operation written.
Then A runs `missiondesk sync now` to B (`sync serve`) through a relay that emulates the link:
50,000 bytes/s each way (TCP/IP headers counted: 40 bytes per 1,460-byte segment), 300 ms
one-way delay, a 64 KiB queue at the bottleneck (the sender feels back-pressure). TLS 1.3,
verification, everything real; both ends keep their default 30 s peer timeout.

Measured: the time from starting `sync now` until B has committed everything (B prints its
session report after its last frame is committed); the bytes on the wire. Verified: in B's op
log, which is appended in arrival order, the FLASH operation's rowid is below every one of the
1,000 records'.

Baseline, same run: the same sync from A to D over an unthrottled counting relay, and the
link's own floor: the time to serialise the bytes the thin-link sync put on the wire at
400 kbit/s, plus four round trips (TCP and TLS 1.3 handshakes, HELLO, HEADS). Where the wire
does not compress OPS frames, a projection shows the floor with zlib-compressed frames.

Targets: <= 25 s in all; the FLASH first.
"""

from __future__ import annotations

import math
import random
import tempfile
import time
import zlib
from pathlib import Path

from _common import Check, header, parser, report, write_checks
from _sync_common import (
    Link,
    Server,
    fill,
    general_channel,
    last_connection,
    make_mission,
    message_changes,
    opened,
    pair,
    sync_now,
)
from missiondesk.domain.markings import Precedence
from missiondesk.sync import wire as wire_format
from missiondesk.sync.session import BATCH_OPS
from missiondesk.sync.wire import encode_ops

NAME = "sync_thin_link"
TARGET_SECONDS = 25.0
RATE = 400_000 / 8  # bytes/s each way
ONE_WAY = 0.3  # seconds
QUEUE = 64 * 1024
MSS, HEADERS = 1460, 40
RECORD_TEXT = 879  # characters: the message document is then 1,024 bytes
PEER_TIMEOUT = 30  # the CLI's default


def on_link(n_bytes: int) -> float:
    """Seconds to serialise `n_bytes` of TCP payload at RATE, headers included."""
    return (n_bytes + HEADERS * math.ceil(n_bytes / MSS)) / RATE


def arrival_order(path: Path, flash: str, records: set[str]) -> tuple[int, int, int, int]:
    """(FLASH op rowid, lowest and highest record op rowid, records found) in `path`'s op log."""
    with opened(path) as session:
        rows = session.vault.conn.execute(
            "SELECT entity, rowid FROM ops WHERE kind = 'message.create' ORDER BY rowid"
        ).fetchall()
    flash_rows = [r[1] for r in rows if r[0] == flash]
    record_rows = [r[1] for r in rows if r[0] in records]
    if not flash_rows or not record_rows:
        raise RuntimeError(f"{path.name} lacks the FLASH or the records")
    return flash_rows[0], min(record_rows), max(record_rows), len(record_rows)


def main(argv: list[str] | None = None) -> int:
    p = parser("1,000 ~1 KB records and a FLASH over 400 kbit/s, 600 ms RTT")
    p.add_argument("--records", type=int, default=None, help="records on C (1,000; quick 100)")
    p.add_argument("--dir", type=Path, default=None, help="parent of the temp folder")
    args = p.parse_args(argv)
    quick = bool(args.quick)
    n_records = args.records or (100 if quick else 1_000)

    header("sync over a thin link: 400 kbit/s, 600 ms RTT", quick)
    with tempfile.TemporaryDirectory(prefix="md-bench-", dir=args.dir) as tmp:
        a, b, c, d = make_mission(Path(tmp), 4)
        for node in (c, b, d, b):  # all in step with A
            pair(node, a)
        with opened(c) as session:
            changes = message_changes(
                general_channel(session),
                n_records,
                random.Random(7),
                chars=(RECORD_TEXT, RECORD_TEXT),
                precedence=Precedence.ROUTINE,
            )
            fill(session, changes)
            author_c = session.device_id
            head = session.writer.head_seq
            new = session.vault.oplog.read_range(author_c, head - n_records + 1, head)
        records = {entity for _, entity, _ in changes}
        doc = sum(len(str(ch[2]["fields"]["text"])) for ch in changes) / n_records
        pair(c, a)  # C -> A over loopback
        with opened(a) as session:
            flash = session.messaging.send(
                "general", "FLASH: contact at checkpoint 7, request QRF", Precedence.FLASH
            )
            author_a = session.device_id
        if author_a == author_c:
            raise RuntimeError("the FLASH must come from another device than the records")

        with (
            Server(b, timeout=PEER_TIMEOUT) as node,
            Link(node.port, rate=RATE, delay=ONE_WAY, queue=QUEUE, mss=MSS, header=HEADERS) as thin,
        ):
            start = time.perf_counter()
            run = sync_now(a, thin.address, timeout=PEER_TIMEOUT)
            client_s = run.seconds
            done = node.session_ends(1)[-1][0]
            wire = last_connection(thin, wait=0)
        total_s = max(done, start + client_s) - start  # over when A has exited and B committed
        b_done_s = done - start
        with Server(d, timeout=PEER_TIMEOUT) as node, Link(node.port) as fast:
            start = time.perf_counter()
            fast_run = sync_now(a, fast.address)
            fast_s = node.session_ends(1)[-1][0] - start
            fast_wire = last_connection(fast)
        flash_row, low, high, found = arrival_order(b, flash, records)

    r = run.report
    payload = sum(len(x) for x, _ in new) / n_records
    floor = on_link(wire.up.bytes) + 4 * 2 * ONE_WAY
    compresses = hasattr(wire_format, "OpsEncoder")
    projection = ""
    if not compresses:  # what zlib'd OPS frames (each on its own) would take on this link
        app_ops = packed = 0
        for i in range(0, n_records, BATCH_OPS):
            body = encode_ops(new[i : i + BATCH_OPS])
            app_ops += len(body)
            packed += len(zlib.compress(body, 6))
        floor_packed = on_link(wire.up.bytes - app_ops + packed) + 4 * 2 * ONE_WAY
        projection = (
            f"  projection, OPS frames zlib-compressed: {app_ops:,} B of op batches -> "
            f"{packed:,} B; link floor {floor_packed:.2f} s"
        )
    first = flash_row < low
    late = (
        ": it returned once its bytes were in socket buffers and B's DONE had come back, "
        "while B was still receiving"
        if client_s < b_done_s - 1
        else ""
    )
    print("\nresults")
    print(
        f"  {n_records:,} records by C: message text {doc:.0f} chars, record 1,024 B, op "
        f"payload {payload:.0f} B + 64 B signature; then 1 FLASH by A (written last)"
    )
    print(
        f"  thin link: {total_s:.2f} s from starting `sync now` until it has exited and B has "
        f"committed the last frame (B done after {b_done_s:.2f} s, `sync now` after "
        f"{client_s:.2f} s{late})"
    )
    print(
        f"  on the wire: A -> B {wire.up.bytes:,} B, B -> A {wire.down.bytes:,} B; application "
        f"{run.app_bytes:,} B, {r['frames_sent']}+{r['frames_received']} frames; sent {r['sent']} "
        f"ops, received {r['received']}"
    )
    print(
        f"  the link's floor for those bytes: {on_link(wire.up.bytes):.2f} s to serialise A -> B "
        f"+ 4 round trips = {floor:.2f} s; measured / floor {total_s / floor:.3f}x"
    )
    print(
        f"  baseline, same sync to D unthrottled: {fast_s:.2f} s, {fast_wire.total:,} B on the "
        f"wire ({fast_run.report['sent']} ops); thin / fast {total_s / fast_s:.1f}x"
    )
    print(projection or "  (the wire compresses OPS frames: wire.OpsEncoder)")
    print(
        f"  arrival order on B: FLASH op rowid {flash_row}; the {found:,} records' rowids "
        f"{low}..{high}: FLASH {'first' if first else 'NOT first'}"
    )
    checks = [
        Check(
            NAME,
            f"{n_records:,} ~1 KB records + FLASH over 400 kbit/s, 600 ms RTT",
            total_s,
            TARGET_SECONDS,
            "<=",
            "s",
            f"{wire.total:,} B on the wire; link floor {floor:.1f} s ({total_s / floor:.2f}x)",
        ),
        Check(
            NAME,
            "FLASH from another device arrives before the records (rowid order)",
            1.0 if first else 0.0,
            1.0,
            ">=",
            "(1 = yes)",
            f"FLASH rowid {flash_row}, records {low}..{high}",
        ),
    ]
    write_checks(args.json, checks)
    return report("verdict", checks)


if __name__ == "__main__":
    raise SystemExit(main())
