"""Numbered schema migrations. The database file is copied before any migration runs.

Each step imports the projection it builds when it runs, so opening a current vault loads none
of them."""

from __future__ import annotations

import json
import os
import shutil
import time
from collections.abc import Callable
from pathlib import Path

from missiondesk.domain.kinds import search_text
from missiondesk.domain.named_tuple import NamedTuple
from missiondesk.store.atomic import fsync_directory
from missiondesk.store.connection import Connection, transaction
from missiondesk.store.errors import DriveError, MigrationFailed, StorageFull, VaultCorrupt

_CORE = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE device_identity (
    singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
    device_id TEXT NOT NULL,
    signing_private BLOB NOT NULL,
    exchange_private BLOB NOT NULL,
    created_at TEXT NOT NULL
);
CREATE TABLE ops (
    rowid INTEGER PRIMARY KEY,
    op_id BLOB NOT NULL,  -- unique by hash, not indexed: random keys would dirty pages per commit
    author TEXT NOT NULL,
    seq INTEGER NOT NULL,
    hlc INTEGER NOT NULL,
    kind TEXT NOT NULL,
    entity TEXT NOT NULL,
    payload BLOB NOT NULL,
    signature BLOB NOT NULL,
    received_at INTEGER NOT NULL,
    UNIQUE (author, seq)
);
CREATE INDEX ops_by_hlc ON ops (hlc);
CREATE TABLE authors (
    author TEXT PRIMARY KEY,
    signing_key BLOB NOT NULL
) WITHOUT ROWID;
CREATE TABLE entities (
    rowid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    type TEXT NOT NULL,
    doc TEXT NOT NULL,
    clocks TEXT NOT NULL,
    created_hlc INTEGER NOT NULL,
    updated_hlc INTEGER NOT NULL,
    deleted INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX entities_by_type ON entities (type, created_hlc);
CREATE TABLE messages (
    entity INTEGER PRIMARY KEY REFERENCES entities (rowid) ON DELETE CASCADE,
    channel TEXT NOT NULL,
    hlc INTEGER NOT NULL,
    precedence INTEGER NOT NULL
);
CREATE INDEX messages_by_channel ON messages (channel, hlc);
CREATE TABLE acks (
    message TEXT NOT NULL,
    device TEXT NOT NULL,
    hlc INTEGER NOT NULL,
    PRIMARY KEY (message, device)
) WITHOUT ROWID;
CREATE TABLE blobs (
    rowid INTEGER PRIMARY KEY,
    sha256 TEXT NOT NULL UNIQUE,
    data BLOB NOT NULL
);
CREATE TABLE flags (
    rowid INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    author TEXT NOT NULL,
    detail TEXT NOT NULL,
    at INTEGER NOT NULL
);
CREATE TABLE audit (
    seq INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    event TEXT NOT NULL,
    detail TEXT NOT NULL,
    mac BLOB NOT NULL
);
"""

_SEARCH = """
CREATE VIRTUAL TABLE search USING fts5 (
    title, body, tokenize = 'unicode61 remove_diacritics 2'
);
"""


def _core(conn: Connection) -> None:
    for statement in _CORE.split(";"):
        if statement.strip():
            conn.execute(statement)


def _search(conn: Connection) -> None:
    conn.execute(_SEARCH)
    cursor = conn.execute("SELECT rowid, type, doc FROM entities WHERE deleted = 0")
    for rowid, record_type, doc in cursor.fetchall():
        text = search_text(record_type, json.loads(doc))
        if text is not None:
            conn.execute("INSERT INTO search (rowid, title, body) VALUES (?, ?, ?)", (rowid, *text))


_SYNC = """
CREATE TABLE memberships (
    serial TEXT PRIMARY KEY,
    device TEXT NOT NULL,
    document TEXT NOT NULL,
    signature BLOB NOT NULL,
    valid_from INTEGER NOT NULL,
    valid_until INTEGER NOT NULL,
    enrolled_seq INTEGER NOT NULL,
    issued_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX memberships_by_device ON memberships (device, issued_at);
CREATE TABLE revocations (
    device TEXT PRIMARY KEY,
    revoked_at INTEGER NOT NULL,
    document TEXT NOT NULL,
    signature BLOB NOT NULL
) WITHOUT ROWID;
CREATE TABLE holds (
    author TEXT PRIMARY KEY,
    reason TEXT NOT NULL,
    since INTEGER NOT NULL,
    detail TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE peers (
    device TEXT PRIMARY KEY,
    address TEXT NOT NULL DEFAULT '',
    last_seen INTEGER NOT NULL,
    heads TEXT NOT NULL DEFAULT '{}',
    last_result TEXT NOT NULL DEFAULT '',
    sent INTEGER NOT NULL DEFAULT 0,
    received INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
CREATE TABLE bundles_seen (
    bundle_id TEXT PRIMARY KEY,
    sender TEXT NOT NULL,
    imported_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE secrets (name TEXT PRIMARY KEY, value BLOB NOT NULL) WITHOUT ROWID;
CREATE TABLE field_writes (
    entity TEXT NOT NULL,
    field TEXT NOT NULL,
    hlc INTEGER NOT NULL,
    author TEXT NOT NULL,
    base_hlc INTEGER,
    base_author TEXT,
    value TEXT NOT NULL,
    PRIMARY KEY (entity, field, hlc, author)
) WITHOUT ROWID;
CREATE TABLE conflicts (
    entity TEXT NOT NULL,
    field TEXT NOT NULL,
    loser_hlc INTEGER NOT NULL,
    loser_author TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (entity, field, loser_hlc, loser_author)
) WITHOUT ROWID;
CREATE TABLE resolutions (
    entity TEXT NOT NULL,
    field TEXT NOT NULL,
    loser_hlc INTEGER NOT NULL,
    loser_author TEXT NOT NULL,
    PRIMARY KEY (entity, field, loser_hlc, loser_author)
) WITHOUT ROWID;
ALTER TABLE ops ADD COLUMN urgency INTEGER NOT NULL DEFAULT 4;
CREATE INDEX ops_urgent ON ops (author, seq, urgency) WHERE urgency < 4;
ALTER TABLE ops ADD COLUMN folded INTEGER NOT NULL DEFAULT 1;
CREATE INDEX ops_unfolded ON ops (folded) WHERE folded = 0
"""


def _sync(conn: Connection) -> None:
    for statement in _SYNC.split(";"):
        if statement.strip():
            conn.execute(statement)


_MESSAGING = """
CREATE TABLE channel_reads (
    channel TEXT PRIMARY KEY,
    read_hlc INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX messages_urgent ON messages (precedence, hlc) WHERE precedence <= 1
"""


def _messaging(conn: Connection) -> None:
    for statement in _MESSAGING.split(";"):
        if statement.strip():
            conn.execute(statement)


# Unread FLASH/IMMEDIATE counts walk one channel's urgent messages after its read mark, and the
# banner walks every urgent message newest first: both in index order, stopping at their limit.
# (messages_urgent, on (precedence, hlc), made both read and sort every urgent message.)
_URGENT_ORDER = """
DROP INDEX messages_urgent;
CREATE INDEX messages_urgent_by_hlc ON messages (hlc) WHERE precedence <= 1;
CREATE INDEX messages_urgent_by_channel ON messages (channel, hlc) WHERE precedence <= 1
"""


def _urgent_order(conn: Connection) -> None:
    for statement in _URGENT_ORDER.split(";"):
        if statement.strip():
            conn.execute(statement)


def _incidents(conn: Connection) -> None:
    """The incident projection (filters, sorting, chart counts), status history, saved
    filters; filled from the incidents already in the vault."""
    from missiondesk.store.incident_rows import SCHEMA as INCIDENT_SCHEMA
    from missiondesk.store.incident_rows import backfill as backfill_incidents

    for statement in INCIDENT_SCHEMA.split(";"):
        if statement.strip():
            conn.execute(statement)
    backfill_incidents(conn)


def _incident_counts(conn: Connection) -> None:
    """Chart counts per day and category, kept by triggers; filled from the projection."""
    from missiondesk.store.incident_counts import STATEMENTS as COUNT_STATEMENTS
    from missiondesk.store.incident_counts import backfill as backfill_counts

    for statement in COUNT_STATEMENTS:
        conn.execute(statement)
    backfill_counts(conn)


def _checklists(conn: Connection) -> None:
    """The checklist projection (lists, compliance, what turned late); filled from the
    checklists already in the vault."""
    from missiondesk.store.checklist_rows import SCHEMA as CHECKLIST_SCHEMA
    from missiondesk.store.checklist_rows import backfill as backfill_checklists

    for statement in CHECKLIST_SCHEMA.split(";"):
        if statement.strip():
            conn.execute(statement)
    backfill_checklists(conn)


def _protection(conn: Connection) -> None:
    """Personnel protection: movements watched by their next due time, check-ins, the steps
    raised, headcount marks; filled from such records already in the vault."""
    from missiondesk.store.protection_rows import SCHEMA as PROTECTION_SCHEMA
    from missiondesk.store.protection_rows import backfill as backfill_protection

    for statement in PROTECTION_SCHEMA.split(";"):
        if statement.strip():
            conn.execute(statement)
    backfill_protection(conn)


def _layer_tiles(conn: Connection) -> None:
    """Map layers: the tiles of imported MBTiles packages, by (layer, z, x, y)."""
    from missiondesk.store.layer_tiles import SCHEMA as LAYER_TILES_SCHEMA

    conn.execute(LAYER_TILES_SCHEMA)


class Migration(NamedTuple):
    version: int
    name: str
    run: Callable[[Connection], None]


MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "core tables: identity, op log, records, messages, audit", _core),
    Migration(2, "full-text search over records", _search),
    Migration(3, "sync: trust, peers, bundles, conflicts, urgency of ops", _sync),
    Migration(4, "messaging: read marks per channel, urgent messages indexed", _messaging),
    Migration(5, "messaging: urgent messages indexed by time and by channel", _urgent_order),
    Migration(
        6, "incidents: projection for lists and counts, status history, saved filters", _incidents
    ),
    Migration(
        7, "incidents: chart counts per day and category, kept by triggers", _incident_counts
    ),
    Migration(8, "checklists: projection for lists, compliance and late checklists", _checklists),
    Migration(
        9, "protection: movements by next due time, check-ins, escalation, headcounts", _protection
    ),
    Migration(10, "map layers: tiles of imported MBTiles packages", _layer_tiles),
)
LATEST = MIGRATIONS[-1].version


def schema_version(conn: Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def backup_database(conn: Connection, database: Path, backups: Path, version: int) -> Path:
    """Copy the (still encrypted) database file aside, after folding the WAL into it."""
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    backups.mkdir(mode=0o700, exist_ok=True)
    target = backups / f"vault-v{version}-{time.strftime('%Y%m%dT%H%M%S')}.db"
    shutil.copyfile(database, target)
    os.chmod(target, 0o600)
    with open(target, "rb") as handle:
        os.fsync(handle.fileno())
    fsync_directory(backups)
    return target


def migrate(conn: Connection, database: Path, backups: Path, target: int = LATEST) -> Path | None:
    """Bring the schema to `target`; returns the backup made first, if any migration ran."""
    current = schema_version(conn)
    if current > LATEST:
        raise VaultCorrupt(
            f"This vault was written by a newer MissionDesk (schema {current}); "
            "update MissionDesk to open it."
        )
    pending = [m for m in MIGRATIONS if current < m.version <= target]
    if not pending:
        return None
    backup = backup_database(conn, database, backups, current) if current > 0 else None
    for migration in pending:
        try:
            with transaction(conn):
                migration.run(conn)
                conn.execute(f"PRAGMA user_version = {migration.version}")
        except (StorageFull, DriveError):
            raise  # the disk, said as such: freeing space and trying again is the remedy
        except Exception as exc:
            raise failed_migration(migration, schema_version(conn), backup) from exc
    return backup


def failed_migration(migration: Migration, reached: int, backup: Path | None) -> MigrationFailed:
    """A step that failed: its own changes were rolled back, the earlier steps are kept."""
    copy = (
        f" The copy made before the update, {backup.name} in the vault's backups folder, opens"
        " with the MissionDesk version used before."
        if backup is not None
        else ""
    )
    return MigrationFailed(
        "This vault could not be updated for this version of MissionDesk: the step to schema "
        f"{migration.version} ({migration.name}) failed. Nothing in it was lost: it stays at "
        f"schema {reached}.{copy} Report this to your IT focal point."
    )
