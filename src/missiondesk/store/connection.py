"""Opening the encrypted database: raw 256-bit key, tuned pragmas, errors in plain words."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, TypeAlias

import sqlcipher3
from sqlcipher3 import dbapi2

from missiondesk.domain.named_tuple import NamedTuple
from missiondesk.store.errors import DriveError, StorageFull, VaultCorrupt

# sqlcipher3 ships no type information; its connections have the stdlib sqlite3 API exactly.
# The type checker reads sqlite3's types; at run time the names are sqlcipher3's own, and the
# stdlib sqlite3 (and its SQLite library) is not loaded with the vault.
if TYPE_CHECKING:
    import sqlite3

    Connection: TypeAlias = sqlite3.Connection
    DatabaseError = sqlite3.DatabaseError
else:
    Connection = dbapi2.Connection
    DatabaseError = dbapi2.DatabaseError

# Decrypted pages kept in memory: a point read that misses this cache pays AES and a MAC for
# its page, while plain SQLite would find it in the OS cache for free. Sized to the vault
# (a quarter more than the file), at least 64 MiB, at most 256 MiB; pages are only allocated as
# they are read, so a small vault costs little.
CACHE_MIN_KIB = 64 * 1024
CACHE_MAX_KIB = 256 * 1024


def cache_pragma(path: Path) -> str:
    size = sum(p.stat().st_size for p in (path, path.with_name(path.name + "-wal")) if p.exists())
    kib = min(CACHE_MAX_KIB, max(CACHE_MIN_KIB, size * 5 // 4 // 1024))
    return f"PRAGMA cache_size = -{kib}"


PRAGMAS = (
    "PRAGMA journal_mode = WAL",
    # FULL: a commit is on disk when it returns. A report typed at an outpost must survive a
    # power cut; bulk imports commit in batches, so the fsync is paid once per batch.
    "PRAGMA synchronous = FULL",
    "PRAGMA temp_store = MEMORY",
    "PRAGMA foreign_keys = ON",
    "PRAGMA secure_delete = ON",
    "PRAGMA busy_timeout = 5000",
)


class CipherSettings(NamedTuple):
    """SQLCipher settings a database was created with; it can only be opened with the same.

    New vaults use HMAC-SHA256 for the per-page MAC (still a 256-bit check of every page): it
    costs about half of SQLCipher's default HMAC-SHA512 per page written. A vault whose key file
    records no settings was made with SQLCipher's defaults.
    """

    hmac: str = "HMAC_SHA512"
    page_size: int = 4096

    def as_dict(self) -> dict[str, object]:
        return {"hmac": self.hmac, "page_size": self.page_size}

    @classmethod
    def from_dict(cls, data: object) -> CipherSettings:
        if data is None:
            return cls()
        if not isinstance(data, dict):
            raise VaultCorrupt("The vault's key file has damaged database settings.")
        hmac, page_size = data.get("hmac", "HMAC_SHA512"), data.get("page_size", 4096)
        if hmac not in _HMACS or page_size not in _PAGE_SIZES:
            raise VaultCorrupt(
                "The vault's key file has database settings this version cannot use."
            )
        return cls(str(hmac), int(page_size))


_HMACS = ("HMAC_SHA1", "HMAC_SHA256", "HMAC_SHA512")
_PAGE_SIZES = (1024, 2048, 4096, 8192, 16384, 32768, 65536)
NEW_VAULT_CIPHER = CipherSettings(hmac="HMAC_SHA256", page_size=4096)
SQLCIPHER_DEFAULTS = CipherSettings()  # a vault whose key file records no settings


def open_encrypted(
    path: Path,
    data_key: bytes,
    *,
    create: bool = False,
    cipher: CipherSettings = SQLCIPHER_DEFAULTS,
) -> Connection:
    """Open (or create) the SQLCipher database at `path` with the raw data key."""
    if not create and not path.is_file():
        raise VaultCorrupt(f"The vault database {path.name} is missing.")
    if create and not path.exists():
        # Private from the first byte: SQLite gives -wal and -shm the database file's mode.
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    conn = sqlcipher3.connect(str(path), isolation_level=None, check_same_thread=False)
    try:
        conn.execute("PRAGMA cipher_log_level = NONE")
        conn.execute(f"PRAGMA key = \"x'{data_key.hex()}'\"")
        conn.execute(f"PRAGMA cipher_hmac_algorithm = {cipher.hmac}")
        conn.execute(f"PRAGMA cipher_page_size = {cipher.page_size}")
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        for pragma in (*PRAGMAS, cache_pragma(path)):
            conn.execute(pragma)
    except DatabaseError as exc:
        conn.close()
        raise open_error(
            exc,
            "The vault database cannot be read: it is damaged, or it is not the database "
            "that belongs to this key file.",
        ) from exc
    conn.row_factory = dbapi2.Row
    return conn  # type: ignore[no-any-return]


def describe(exc: BaseException) -> str:
    return str(exc).split("\n", 1)[0]


DRIVE_ERROR = (
    "The vault's drive reported a disk I/O error when the vault was opened: the drive may be "
    "failing or was unplugged, or its file system cannot hold a vault (a vault needs SQLite's "
    "shared-memory file: ext4, NTFS or exFAT work). Nothing was changed."
)


def open_error(exc: DatabaseError, damaged: str) -> Exception:
    """What opening a vault met: the drive failing it, or content that is damaged."""
    if "disk i/o" in describe(exc).lower():
        return DriveError(DRIVE_ERROR)
    return VaultCorrupt(damaged)


def storage_error(exc: DatabaseError) -> Exception:
    """Translate an SQLite failure during a write into an error an officer can act on."""
    text = describe(exc).lower()
    if "full" in text or "disk i/o" in text or "readonly" in text or "read-only" in text:
        return StorageFull(
            "The change was not saved: the disk is full or cannot be written. "
            "Nothing already in the vault was lost; free some space and try again."
        )
    if "not a database" in text or "malformed" in text or "corrupt" in text:
        return VaultCorrupt("The vault database is damaged and cannot be written.")
    return exc


@contextlib.contextmanager
def transaction(conn: Connection) -> Iterator[Connection]:
    """BEGIN IMMEDIATE .. COMMIT; a failure rolls back everything and says why.

    Inside an open transaction it nests as a savepoint, so a rehearsal (see Vault.rehearsal)
    can run the very code that would write, and undo all of it.
    """
    if conn.in_transaction:
        with _savepoint(conn):
            yield conn
        return
    try:
        conn.execute("BEGIN IMMEDIATE")
    except DatabaseError as exc:
        raise storage_error(exc) from exc
    try:
        yield conn
        conn.execute("COMMIT")
    except BaseException as exc:
        with contextlib.suppress(DatabaseError):
            conn.execute("ROLLBACK")
        if isinstance(exc, DatabaseError):
            raise storage_error(exc) from exc
        raise


@contextlib.contextmanager
def _savepoint(conn: Connection) -> Iterator[None]:
    conn.execute("SAVEPOINT nested")
    try:
        yield
        conn.execute("RELEASE nested")
    except BaseException as exc:
        with contextlib.suppress(DatabaseError):
            conn.execute("ROLLBACK TO nested")
            conn.execute("RELEASE nested")
        if isinstance(exc, DatabaseError):
            raise storage_error(exc) from exc
        raise
