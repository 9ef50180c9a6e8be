"""Where an import's time goes, per operation: an in-process breakdown with thin timing
wrappers, and a reading of py-spy's raw stacks of a real `sync serve` process."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from missiondesk.services.session import Session
from missiondesk.sync import admission, intake


@dataclass
class Stopwatch:
    """Seconds spent inside each wrapped step, and how often it ran."""

    spent: dict[str, float] = field(default_factory=dict)
    calls: dict[str, int] = field(default_factory=dict)

    def add(self, name: str, seconds: float) -> None:
        self.spent[name] = self.spent.get(name, 0.0) + seconds
        self.calls[name] = self.calls.get(name, 0) + 1

    def wrap(self, name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                self.add(name, time.perf_counter() - start)

        return timed


SQL_TABLES = (  # (label, what the statement names); first match wins
    ("BEGIN/COMMIT (page encryption, write, fsync)", ("BEGIN", "COMMIT", "ROLLBACK")),
    ("INSERT INTO ops", ("INSERT INTO ops",)),
    ("chain look-ups in ops (head, op id)", (" FROM ops",)),
    ("FTS5 search index", (" search",)),
    ("messages projection", (" messages",)),
    ("entities (look-up, insert)", (" entities",)),
    ("trust look-ups (memberships, revocations, holds)", ("memberships", "revocations", "holds")),
    ("conflict ledger", ("field_writes", "conflicts", "resolutions")),
)


class TimedConnection:
    """Stands in for the vault's connection: times each statement by the table it names."""

    def __init__(self, conn: Any, watch: Stopwatch) -> None:
        self._conn = conn
        self._watch = watch
        self._labels: dict[str, str] = {}

    def _label(self, sql: str) -> str:
        label = self._labels.get(sql)
        if label is None:
            label = next(
                (name for name, marks in SQL_TABLES if any(m in sql for m in marks)), "other SQL"
            )
            self._labels[sql] = label
        return label

    def execute(self, sql: str, *args: Any) -> Any:
        start = time.perf_counter()
        try:
            return self._conn.execute(sql, *args)
        finally:
            self._watch.add("sql: " + self._label(sql), time.perf_counter() - start)

    def executemany(self, sql: str, *args: Any) -> Any:
        start = time.perf_counter()
        try:
            return self._conn.executemany(sql, *args)
        finally:
            self._watch.add("sql: " + self._label(sql), time.perf_counter() - start)

    def cursor(self) -> Any:  # statements run on a cursor of their own are not timed
        return self._conn.cursor()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._conn, name)


@contextmanager
def instrumented(session: Session, watch: Stopwatch) -> Iterator[None]:
    """Wrap admission's steps and the vault's connection; undone afterwards."""
    vault = session.vault
    oplog = vault.oplog
    materializer = oplog._materializer
    timed = TimedConnection(vault.conn, watch)
    swaps: list[tuple[Any, str, Any]] = [
        (intake, "admit", watch.wrap("admission (admit)", admission.admit)),
        (admission, "check_links", watch.wrap("  hash links", admission.check_links)),
        (admission, "signing_key_for", watch.wrap("  key look-up", admission.signing_key_for)),
        (
            admission,
            "check_signature",
            watch.wrap("  Ed25519 (newest op)", admission.check_signature),
        ),
        (admission, "_inadmissible", watch.wrap("  per-op membership", admission._inadmissible)),
        (vault, "_conn", timed),
        (oplog, "_conn", timed),
        (materializer, "_conn", timed),
        (materializer._trust, "_conn", timed),
        (vault.trust, "_conn", timed),
        (materializer, "apply", watch.wrap("fold (materializer)", materializer.apply)),
        (vault, "apply", watch.wrap("vault.apply (one transaction)", vault.apply)),
    ]
    if materializer._ledger is not None:
        swaps.append((materializer._ledger, "_conn", timed))
    missing = object()
    saved = [(target, name, vars(target).get(name, missing)) for target, name, _ in swaps]
    try:
        for target, name, value in swaps:
            setattr(target, name, value)
        yield
    finally:
        for target, name, value in reversed(saved):
            if value is missing:
                delattr(target, name)  # an instance attribute shadowed the method
            else:
                setattr(target, name, value)


# -- py-spy -----------------------------------------------------------------------------------

STACK_RULES = (  # (label, function, file); the innermost matching frame names the sample
    ("admission: Ed25519 verify", "verify_signature", "signing.py"),
    ("admission: per-op trust look-ups (SQL + pydantic)", "memberships_of", "trust_store.py"),
    ("admission: per-op trust look-ups (SQL + pydantic)", "revocation_of", "trust_store.py"),
    ("admission: hash links", "check_links", "admission.py"),
    ("admission: rest", "admit", "admission.py"),
    ("decode: body parse, checks, payload rebuilt", "from_fields", "operation.py"),
    ("decode: JSON parse + canonical re-encode (raw ops)", "parse_payload", "operation.py"),
    ("decode: op id (SHA-256)", "op_id_for", "operation.py"),
    ("decode: records (fields from the stream)", "_lean", "wire.py"),
    ("decode: records (fields from the stream)", "_author", "wire.py"),
    ("decode: records (fields from the stream)", "_place", "wire.py"),
    ("decode: records (fields from the stream)", "_names", "wire.py"),
    ("decode: framing, inflate", "_records", "wire.py"),
    ("decode: framing, inflate", "decode", "wire.py"),
    ("decode: framing", "decode_ops", "wire.py"),
    ("apply: FTS5 + messages projection", "_project", "materialize.py"),
    ("apply: entities fold", "_merge", "materialize.py"),
    ("apply: fold, rest", "apply", "materialize.py"),
    ("apply: INSERT INTO ops + urgency", "append", "oplog.py"),
    ("apply: BEGIN/COMMIT (page encryption, write, fsync)", "transaction", "connection.py"),
    ("apply: op log loop, change set", "apply", "oplog.py"),
    ("fold behind the log (rows read, ops rebuilt)", "fold_pending", "oplog.py"),
    ("apply: rest (change feed, clock)", "apply", "sync_service.py"),
    ("intake: dedupe look-ups (head, op id)", "take_run", "intake.py"),
    ("intake: rest", "take_all", "intake.py"),
    ("network: TLS read + frame assembly", "read_frame", "wire.py"),
    ("network: TLS (ssl module)", "", "sslproto.py"),
    ("network: TLS (ssl module)", "", "ssl.py"),
    ("session bookkeeping (summary, heads, peers)", "", "sync_service.py"),
    ("event loop, executor hand-off", "", "base_events.py"),
    ("event loop, executor hand-off", "", "selector_events.py"),
    ("event loop, executor hand-off", "", "thread.py"),
)


def _frame(text: str) -> tuple[str, str]:
    """'fn (path/file.py:12)' -> ('fn', 'file.py')."""
    name, _, where = text.partition(" (")
    file = where.rsplit(":", 1)[0].rsplit("/", 1)[-1]
    return name.strip(), file


IDLE_LEAVES = (  # a thread blocked here is waiting, not working
    ("select", "selectors.py"),
    ("_worker", "thread.py"),
    ("wait", "threading.py"),
)


def _matches(rule_name: str, name: str) -> bool:
    return not rule_name or name == rule_name or name.endswith("." + rule_name)


def read_py_spy(path: Path) -> tuple[Counter[str], Counter[str]]:
    """Busy samples per label, and per thread ('database thread' / 'event loop thread').
    Samples of a thread blocked in epoll, a queue or a lock are dropped (py-spy cannot tell
    idle threads here)."""
    labels: Counter[str] = Counter()
    threads: Counter[str] = Counter()
    for line in path.read_text("utf-8", "replace").splitlines():
        stack, _, count_text = line.rpartition(" ")
        if not count_text.isdigit():
            continue
        count = int(count_text)
        parts = stack.split(";")
        thread, frames = parts[0], [_frame(f) for f in parts[1:]]
        if not frames or any(
            _matches(n, frames[-1][0]) and f == frames[-1][1] for n, f in IDLE_LEAVES
        ):
            continue
        if "vault" in thread:
            threads["database thread"] += count
        elif "MainThread" in thread:
            threads["event loop thread"] += count
        else:
            threads["other threads"] += count
        label = "other"
        for name, file in reversed(frames):
            rule = next((r for r in STACK_RULES if r[2] == file and _matches(r[1], name)), None)
            if rule is not None:
                label = rule[0]
                break
        labels[label] += count
    return labels, threads
