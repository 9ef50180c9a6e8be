"""The vault: one encrypted database, its lock, and the one place operations are applied."""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from missiondesk.domain.changeset import ChangeSet, Origin
from missiondesk.domain.operation import SignedOperation
from missiondesk.store.audit_log import AuditLog
from missiondesk.store.conflicts import ConflictLedger
from missiondesk.store.connection import (
    NEW_VAULT_CIPHER,
    CipherSettings,
    Connection,
    DatabaseError,
    open_encrypted,
    open_error,
    transaction,
)
from missiondesk.store.errors import Equivocation, VaultCorrupt
from missiondesk.store.layout import VaultLayout
from missiondesk.store.lock import VaultLock
from missiondesk.store.message_reads import MessageReads
from missiondesk.store.migrations import LATEST, migrate, schema_version
from missiondesk.store.oplog import OpLog
from missiondesk.store.reads import Reads

if TYPE_CHECKING:  # loaded when first read: the first screen after unlock reads messages
    from missiondesk.store.checklist_reads import ChecklistReads
    from missiondesk.store.incident_reads import IncidentReads
    from missiondesk.store.protection_reads import ProtectionReads
    from missiondesk.store.trust_store import TrustStore


def write_meta(conn: Connection, key: str, value: str) -> None:
    """Set one of the vault's own settings in the caller's transaction."""
    conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))


class Vault:
    """An open vault. Only one process holds it; close() releases the lock and the key."""

    def __init__(
        self, layout: VaultLayout, conn: Connection, lock: VaultLock, backup: Path | None
    ) -> None:
        self.layout = layout
        self._conn: Connection | None = conn
        self._lock = lock
        self.migration_backup = backup
        self._closing = threading.Lock()
        schema = schema_version(conn)
        self._schema = schema
        self.oplog = OpLog(conn, schema=schema)
        self.reads = Reads(conn, search=schema >= 2)
        self.messages = MessageReads(conn, search=schema >= 2, schema=schema)
        self.conflicts = ConflictLedger(conn)
        self.audit = AuditLog(conn)

    @classmethod
    def open(
        cls,
        layout: VaultLayout,
        data_key: bytes,
        lock: VaultLock,
        *,
        create: bool = False,
        schema_target: int = LATEST,
        cipher: CipherSettings = NEW_VAULT_CIPHER,
    ) -> Vault:
        """Open (or create) the database under an already held lock, migrating if needed."""
        conn = open_encrypted(layout.database, data_key, create=create, cipher=cipher)
        try:
            backup = migrate(conn, layout.database, layout.backups, schema_target)
            if (
                not create
                and conn.execute(
                    "SELECT count(*) FROM sqlite_master WHERE name = 'device_identity'"
                ).fetchone()[0]
                == 0
            ):
                raise VaultCorrupt("The vault database holds no MissionDesk data.")
        except DatabaseError as exc:
            conn.close()
            raise open_error(exc, "The vault database is damaged and cannot be read.") from exc
        except BaseException:
            conn.close()
            raise
        return cls(layout, conn, lock, backup)

    @cached_property
    def trust(self) -> TrustStore:
        """Memberships, revocations, peers and the mission's secrets (made when first used; the
        first screen reads only the peers, for the delivery state)."""
        from missiondesk.store.trust_store import TrustStore

        return TrustStore(self.conn)

    @cached_property
    def incidents(self) -> IncidentReads:
        from missiondesk.store.incident_reads import IncidentReads

        schema = self._schema
        return IncidentReads(
            self.conn, enabled=schema >= 6, search=schema >= 2, summary=schema >= 7
        )

    @cached_property
    def checklists(self) -> ChecklistReads:
        from missiondesk.store.checklist_reads import ChecklistReads

        return ChecklistReads(self.conn, enabled=self._schema >= 8)

    @cached_property
    def protection(self) -> ProtectionReads:
        from missiondesk.store.protection_reads import ProtectionReads

        return ProtectionReads(self.conn, enabled=self._schema >= 9)

    @property
    def conn(self) -> Connection:
        if self._conn is None:
            raise VaultCorrupt("The vault is locked.")
        return self._conn

    @property
    def schema_version(self) -> int:
        return schema_version(self.conn)

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Connection]:
        with transaction(self.conn) as conn:
            yield conn

    @contextlib.contextmanager
    def rehearsal(self) -> Iterator[None]:
        """Run writes for real inside a transaction that is always rolled back (a dry run)."""
        conn = self.conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        finally:
            with contextlib.suppress(DatabaseError):
                conn.execute("ROLLBACK")

    def apply(
        self,
        ops: Iterable[SignedOperation],
        origin: Origin = Origin.LOCAL,
        *,
        fold: bool = True,
        alongside: Callable[[Connection], None] | None = None,
    ) -> ChangeSet:
        """The one road's last step: append to the op log, fold into records, index; one commit.

        The caller has verified the signatures. Duplicates are skipped; an op out of its author's
        chain order, or an equivocation, aborts the whole batch and changes nothing. With
        fold=False (a sync import) the ops are committed to the log now and folded by
        fold_pending, so a short link carries as much as it can. `alongside` writes what is
        local to this vault (a map layer's tiles) in the same transaction, before the ops.
        """
        batch = list(ops)
        try:
            with self.transaction() as conn:
                if alongside is not None:
                    alongside(conn)
                return self.oplog.apply(batch, origin, fold)
        except Equivocation as exc:
            self.flag("equivocation", batch[0].op.author if batch else "", str(exc))
            raise

    def fold_pending(self, batch: int = 2000) -> tuple[int, ChangeSet]:
        """Fold the next `batch` logged-but-unfolded ops into the records, in one transaction;
        how many were folded (0 when none was pending) and what changed."""
        with self.transaction():
            count, entities = self.oplog.fold_pending(batch)
        return count, ChangeSet(Origin.PEER, (), 0, {k: frozenset(v) for k, v in entities.items()})

    def flag(self, kind: str, author: str, detail: str) -> None:
        with self.transaction() as conn:
            conn.execute(
                "INSERT INTO flags (kind, author, detail, at) VALUES (?, ?, ?, ?)",
                (kind, author, detail, time.time_ns() // 1_000_000),
            )

    def flags(self) -> list[tuple[str, str, str, int]]:
        return [
            tuple(r)
            for r in self.conn.execute(
                "SELECT kind, author, detail, at FROM flags ORDER BY rowid"
            ).fetchall()
        ]

    # -- this device's identity -------------------------------------------------------------

    def save_identity(
        self, device_id: str, signing_private: bytes, exchange_private: bytes
    ) -> None:
        with self.transaction() as conn:
            conn.execute(
                "INSERT INTO device_identity (singleton, device_id, signing_private,"
                " exchange_private, created_at) VALUES (1, ?, ?, ?, ?)",
                (device_id, signing_private, exchange_private, datetime.now(UTC).isoformat()),
            )

    def load_identity(self) -> tuple[str, bytes, bytes]:
        row = self.conn.execute(
            "SELECT device_id, signing_private, exchange_private FROM device_identity"
        ).fetchone()
        if row is None:
            raise VaultCorrupt("The vault holds no device identity; it was not fully created.")
        return row[0], bytes(row[1]), bytes(row[2])

    # -- settings kept inside the vault -----------------------------------------------------

    def get_meta(self, key: str) -> str | None:
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        with self.transaction() as conn:
            write_meta(conn, key, value)

    def delete_meta(self, key: str) -> None:
        with self.transaction() as conn:
            conn.execute("DELETE FROM meta WHERE key = ?", (key,))

    def close(self) -> None:
        """Close the database and release the lock. Safe to call twice, from any thread."""
        with self._closing:
            conn, self._conn = self._conn, None
            if conn is not None:
                with contextlib.suppress(DatabaseError):
                    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                conn.close()
            self._lock.release()
