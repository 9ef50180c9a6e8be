"""Where a vault's files live inside its folder."""

from __future__ import annotations

from pathlib import Path

from missiondesk.domain.named_tuple import NamedTuple


class VaultLayout(NamedTuple):
    root: Path

    @property
    def database(self) -> Path:
        return self.root / "vault.db"

    @property
    def key_file(self) -> Path:
        return self.root / "vault.key"

    @property
    def lock_file(self) -> Path:
        return self.root / "vault.lock"

    @property
    def failures_file(self) -> Path:
        """Times of failed unlocks, kept outside the database because it cannot be opened then."""
        return self.root / "unlock-failures.json"

    @property
    def creating_marker(self) -> Path:
        """Present while a vault is being made: a database beside it is an unfinished one."""
        return self.root / "vault.creating"

    @property
    def backups(self) -> Path:
        return self.root / "backups"

    def exists(self) -> bool:
        return self.key_file.is_file()

    def key_lost(self) -> bool:
        """A database with no key file, and not one left by a creation that never finished:
        the officer's data, which only its key file (from a backup) can open again."""
        return (
            not self.key_file.exists()
            and self.database.exists()
            and not self.creating_marker.exists()
        )

    def database_files(self) -> list[Path]:
        db = self.database
        return [
            db,
            db.with_name(db.name + "-wal"),
            db.with_name(db.name + "-shm"),
            db.with_name(db.name + "-journal"),
        ]
