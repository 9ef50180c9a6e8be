"""One tick of the watch over 1,000 active movements: find what is overdue, raise the steps due.

Subject: `session.watch.tick(now)` on a real vault holding `--movements` active movements
(written through the one road; 60-minute check-in interval, default steps: warning at the due
time, alarm 30 min after, FLASH 60 min after), their departures spread evenly over an hour, and
nobody checking in. The clock is driven: one catch-up tick at two hours raises every warning
and the alarms due so far (~1,500 alerts), then each timed tick (every 30 s of the clock)
raises the alarms of the movements due 30 min before and the FLASH alerts of those due an
hour before (~16 alerts a tick for 1,000 movements), each an operation signed and applied,
all in one transaction. Also timed: a quiet tick (nothing due). The
watch's other watchers (checklists, when they land) are not in it yet: a placeholder watcher
that returns nothing stands for them.

Baseline, interleaved in the same run: the watch's one indexed query (`DUE_SELECT`, taken
from `store/protection_reads.py`) at the same `now`, on a plain `sqlite3` copy of the
`movement_watch` table and its index, copied again (untimed) before each tick so that both
query the same state.

Target: one tick <= 50 ms (median over the ticks).
"""

from __future__ import annotations

import sqlite3
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from _common import Check, header, median, parser, report, spread, timed, write_checks
from missiondesk.crypto.keywrap import KdfParams
from missiondesk.domain.escalation import MINUTE_MS
from missiondesk.domain.records.movements import Escalation, Movement, Waypoint
from missiondesk.services.session import Session
from missiondesk.services.vault_access import create_vault
from missiondesk.store.protection_reads import DUE_SELECT
from missiondesk.store.protection_rows import SCHEMA

NAME = "escalation"
TARGET_MS = 50.0
INTERVAL = 60  # minutes
TICK_MS = 30_000
SETUP_KDF = KdfParams(memory_kib=8192, iterations=1, lanes=1)
START = datetime(2026, 11, 20, 6, 0, tzinfo=UTC)


class Wall:
    def __init__(self) -> None:
        self.ms = int(START.timestamp() * 1000)

    def __call__(self) -> int:
        return self.ms


def fill(session: Session, count: int, people: int = 50) -> None:
    """`count` active movements, departing every 3600/count seconds over one hour."""
    for i in range(people):
        session.roster.add(f"Officer {i}", callsign=f"P-{i:03d}", outpost=f"OP {i % 5}")
    ids = [e.id for e in session.roster.entries()]
    spacing = timedelta(seconds=3600 / count)
    batch = []
    for i in range(count):
        depart = START + spacing * i
        movement = Movement(
            title=f"Patrol {i}",
            people=(ids[i % len(ids)], ids[(i + 7) % len(ids)]),
            vehicles=(f"UN-{1000 + i}",),
            route=(Waypoint(name="Camp Alpha"), Waypoint(name=f"Checkpoint {i % 40}")),
            depart=depart,
            eta=depart + timedelta(hours=6),
            interval=INTERVAL,
            escalation=Escalation.default_for(INTERVAL),
            planned_by="BENCH-1",
        )
        batch.append(session.records.create_change(Movement, movement.model_dump(mode="json"))[1])
        if len(batch) == 500:
            session.records.submit(batch)
            batch = []
    if batch:
        session.records.submit(batch)


def plain_copy(session: Session, path: Path) -> sqlite3.Connection:
    plain = sqlite3.connect(path)
    for statement in SCHEMA.split(";"):
        if statement.strip():
            plain.execute(statement)
    resync(session, plain)
    return plain


def resync(session: Session, plain: sqlite3.Connection) -> None:
    """The plain copy of `movement_watch` as the vault holds it now (untimed)."""
    rows = session.vault.conn.execute("SELECT * FROM movement_watch").fetchall()
    plain.execute("DELETE FROM movement_watch")
    plain.executemany(f"INSERT INTO movement_watch VALUES ({', '.join('?' * 11)})", rows)
    plain.commit()


def _query(plain: sqlite3.Connection, now_ms: int) -> Callable[[], object]:
    return lambda: plain.execute(DUE_SELECT, (now_ms, 100_000)).fetchall()


def _tick(session: Session, found: list[int]) -> Callable[[], object]:
    return lambda: found.append(len(session.watch.tick().found["movements"]))


def main(argv: list[str] | None = None) -> int:
    p = parser("one watch tick over 1,000 active movements, against its query on plain SQL")
    p.add_argument("--movements", type=int, default=None, help="active movements (1,000)")
    p.add_argument("--ticks", type=int, default=None, help="ticks timed (40)")
    p.add_argument("--dir", type=Path, default=None, help="parent of the temp folder")
    args = p.parse_args(argv)
    quick = bool(args.quick)
    count = args.movements or (200 if quick else 1_000)
    ticks = args.ticks or (10 if quick else 40)
    header(f"escalation: one watch tick over {count:,} active movements", quick)
    wall = Wall()
    subject: list[float] = []
    baseline: list[float] = []
    raised: list[int] = []
    with tempfile.TemporaryDirectory(prefix="md-bench-", dir=args.dir) as tmp:
        session = create_vault(
            Path(tmp) / "vault", "bench passphrase", name="Bench", callsign="BENCH-1",
            kdf=SETUP_KDF, wall=wall,
        )  # fmt: skip
        try:
            session.watch.add("checklists", lambda since, now: ())  # placeholder
            spent = timed(lambda: fill(session, count))
            print(f"  planned {count:,} movements through the road in {spent:.1f} s", flush=True)
            assert len(session.movements.active()) == count
            plain = plain_copy(session, Path(tmp) / "plain.db")
            # quiet ticks: before the first check-in is due, nothing to raise
            wall.ms = int(START.timestamp() * 1000) + 30 * MINUTE_MS
            quiet = [timed(session.watch.tick) for _ in range(5)]
            # catch up to the steady state: the first FLASH steps are due
            wall.ms = int(START.timestamp() * 1000) + 2 * INTERVAL * MINUTE_MS
            caught_up = len(session.watch.tick().found["movements"])
            for k in range(ticks):
                resync(session, plain)  # the baseline queries the same state as the tick
                wall.ms += TICK_MS
                query = _query(plain, wall.ms)
                if k % 2:
                    baseline.append(timed(query))
                found: list[int] = []
                subject.append(timed(_tick(session, found)))
                raised.extend(found)
                if not k % 2:
                    baseline.append(timed(query))
            plain.close()
            alerts = session.vault.reads.count("alert")
        finally:
            session.close()
    tick_ms, base_ms = median(subject) * 1000, median(baseline) * 1000
    quiet_ms = median(quiet) * 1000
    print(f"\n  catch-up tick raised {caught_up} alerts; {alerts:,} alerts in the vault at the end")
    print(f"  tick ({median(raised):.0f} alerts raised per tick): {spread(subject)}")
    print(f"  quiet tick (nothing due): {spread(quiet)}")
    print(f"  plain sqlite3, the same indexed query: {spread(baseline)}")
    print(f"  ratio tick / plain query: {tick_ms / base_ms:.1f}x")
    checks = [
        Check(
            NAME,
            f"one watch tick over {count:,} active movements (median of {ticks})",
            tick_ms,
            TARGET_MS,
            "<=",
            "ms",
            f"{median(raised):.0f} alerts raised a tick; quiet tick {quiet_ms:.2f} ms; plain "
            f"sqlite3 query {base_ms:.3f} ms ({tick_ms / base_ms:.0f}x)",
        )
    ]
    write_checks(args.json, checks)
    return report("verdict", checks)


if __name__ == "__main__":
    raise SystemExit(main())
