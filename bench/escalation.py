"""One tick of the watch over 1,000 active movements and 10,000 checklists: find what is
overdue, raise the steps due, find the checklists that turned late.

Subject: `session.watch.tick(now)` on a real vault holding `--movements` active movements
(written through the one road; 60-minute check-in interval, default steps: warning at the due
time, alarm 30 min after, FLASH 60 min after), their departures spread evenly over an hour, and
nobody checking in. The clock is driven: one catch-up tick at two hours raises every warning
and the alarms due so far (~1,500 alerts), then each timed tick (every 30 s of the clock)
raises the alarms of the movements due 30 min before and the FLASH alerts of those due an
hour before (~16 alerts a tick for 1,000 movements), each an operation signed and applied,
all in one transaction. The same vault holds `--checklists` checklists started from the default
library (through `ChecklistService.start`), nobody working them, their due times spread evenly
from 30 minutes after the start to the last tick: each tick also finds the ~30 that turned late
since the previous one (`ChecklistService.turned_late`, the session's second watcher). Also
timed: a quiet tick (nothing due).

Baseline, interleaved in the same run: the watch's two indexed queries (`DUE_SELECT`, taken
from `store/protection_reads.py`, and the late checklists' range of `checklist_rows_by_late_at`)
at the same `now`, on a plain `sqlite3` copy of `movement_watch`, `checklist_rows` and their
indexes, copied again (untimed) before each tick so that both query the same state.

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
from missiondesk.store.checklist_rows import COLUMNS as CHECKLIST_COLUMNS
from missiondesk.store.checklist_rows import SCHEMA as CHECKLIST_SCHEMA
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


def fill_checklists(session: Session, count: int, last_due: datetime) -> None:
    """`count` checklists from the default library, due evenly from START + 30 min to
    `last_due`, assigned to 50 people at five outposts."""
    session.checklists.templates.install_library()
    keys = [v.template.key for v in session.checklists.templates.list()]
    first = START + timedelta(minutes=30)
    step = (last_due - first) / max(1, count - 1)
    for i in range(count):
        session.checklists.start(
            keys[i % len(keys)],
            assignee=f"P-{i % 50:03d}",
            outpost=f"OP {i % 5}",
            due=first + step * i,
            started=START - timedelta(hours=1),
        )


def plain_copy(session: Session, path: Path) -> sqlite3.Connection:
    plain = sqlite3.connect(path)
    for schema in (SCHEMA, CHECKLIST_SCHEMA):
        for statement in schema.split(";"):
            if statement.strip():
                plain.execute(statement)
    resync(session, plain)
    return plain


def resync(session: Session, plain: sqlite3.Connection) -> None:
    """The plain copies of `movement_watch` and `checklist_rows` as the vault holds them now
    (untimed)."""
    for table in ("movement_watch", "checklist_rows"):
        rows = session.vault.conn.execute(f"SELECT * FROM {table}").fetchall()
        plain.execute(f"DELETE FROM {table}")
        marks = ", ".join("?" * len(rows[0])) if rows else ""
        plain.executemany(f"INSERT INTO {table} VALUES ({marks})", rows)
    plain.commit()


LATE_SELECT = (
    f"SELECT {', '.join(CHECKLIST_COLUMNS)} FROM checklist_rows"
    " WHERE late_at > ? AND late_at <= ? ORDER BY late_at LIMIT ?"
)


def _query(plain: sqlite3.Connection, since_ms: int, now_ms: int) -> Callable[[], object]:
    def both() -> None:
        plain.execute(DUE_SELECT, (now_ms, 100_000)).fetchall()
        plain.execute(LATE_SELECT, (since_ms // 1000, now_ms // 1000, 10_000)).fetchall()

    return both


def _tick(session: Session, found: list[tuple[int, int]]) -> Callable[[], object]:
    def tick() -> None:
        report = session.watch.tick()
        found.append((len(report.found["movements"]), len(report.found["checklists"])))

    return tick


def main(argv: list[str] | None = None) -> int:
    p = parser("one watch tick over 1,000 movements and 10,000 checklists, against plain SQL")
    p.add_argument("--movements", type=int, default=None, help="active movements (1,000)")
    p.add_argument("--checklists", type=int, default=None, help="checklists (10,000)")
    p.add_argument("--ticks", type=int, default=None, help="ticks timed (40)")
    p.add_argument("--dir", type=Path, default=None, help="parent of the temp folder")
    args = p.parse_args(argv)
    quick = bool(args.quick)
    count = args.movements or (200 if quick else 1_000)
    checklists = args.checklists or (1_000 if quick else 10_000)
    ticks = args.ticks or (10 if quick else 40)
    header(f"escalation: one watch tick over {count:,} movements, {checklists:,} checklists", quick)
    wall = Wall()
    subject: list[float] = []
    baseline: list[float] = []
    raised: list[tuple[int, int]] = []
    with tempfile.TemporaryDirectory(prefix="md-bench-", dir=args.dir) as tmp:
        session = create_vault(
            Path(tmp) / "vault", "bench passphrase", name="Bench", callsign="BENCH-1",
            kdf=SETUP_KDF, wall=wall,
        )  # fmt: skip
        try:
            spent = timed(lambda: fill(session, count))
            print(f"  planned {count:,} movements through the road in {spent:.1f} s", flush=True)
            last_due = START + 2 * timedelta(minutes=INTERVAL) + ticks * timedelta(seconds=30)
            spent = timed(lambda: fill_checklists(session, checklists, last_due))
            print(f"  started {checklists:,} checklists in {spent:.1f} s", flush=True)
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
                query = _query(plain, wall.ms - TICK_MS, wall.ms)
                if k % 2:
                    baseline.append(timed(query))
                found: list[tuple[int, int]] = []
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
    alerts_each = median([a for a, _ in raised])
    late_each = median([c for _, c in raised])
    print(f"  tick ({alerts_each:.0f} alerts raised, {late_each:.0f} checklists turned late per"
          f" tick): {spread(subject)}")  # fmt: skip
    print(f"  quiet tick (nothing due): {spread(quiet)}")
    print(f"  plain sqlite3, the same two indexed queries: {spread(baseline)}")
    print(f"  ratio tick / plain query: {tick_ms / base_ms:.1f}x")
    checks = [
        Check(
            NAME,
            f"one watch tick over {count:,} movements and {checklists:,} checklists"
            f" (median of {ticks})",
            tick_ms,
            TARGET_MS,
            "<=",
            "ms",
            f"{alerts_each:.0f} alerts raised and {late_each:.0f} checklists late a tick; quiet"
            f" tick {quiet_ms:.2f} ms; plain "
            f"sqlite3 query {base_ms:.3f} ms ({tick_ms / base_ms:.0f}x)",
        )
    ]
    write_checks(args.json, checks)
    return report("verdict", checks)


if __name__ == "__main__":
    raise SystemExit(main())
