"""Checking a passphrase against a vault's key file: the throttle, Argon2id and the unwrap.

Apart from the unlock itself so the desktop can run it on a thread of its own while the
session's code is still loading on the vault's thread: Argon2id (~0.25 s) lets other threads
run Python meanwhile. It reads two files and touches no database. Only light modules here.
"""

from __future__ import annotations

import contextlib
import json
from pathlib import Path

from missiondesk.crypto.keywrap import WrappedKey, WrongPassphrase, unwrap_data_key
from missiondesk.domain.errors import MissionDeskError
from missiondesk.domain.named_tuple import NamedTuple
from missiondesk.services import unlock_throttle
from missiondesk.store.connection import CipherSettings
from missiondesk.store.errors import VaultCorrupt, VaultNotFound
from missiondesk.store.layout import VaultLayout


class CheckedKey(NamedTuple):
    """What a right passphrase gives: the key file's contents and the vault's data key."""

    wrapped: WrappedKey
    cipher: CipherSettings
    data_key: bytes

    def __repr__(self) -> str:  # never the key, should one ever be printed or logged
        return f"CheckedKey(vault_id={self.wrapped.vault_id!r}, data_key=<withheld>)"


def no_vault(layout: VaultLayout) -> VaultNotFound | VaultCorrupt:
    if layout.key_lost():
        return key_file_lost(layout)
    return VaultNotFound(
        f"No vault at {layout.root}.", hint="create one with: missiondesk init --name NAME"
    )


def key_file_lost(layout: VaultLayout) -> VaultCorrupt:
    """The database is there, its key file is not: never 'create one', which would replace it."""
    return VaultCorrupt(
        f"The vault at {layout.root} has its database but not its key file"
        f" ({layout.key_file.name}), without which it cannot be opened. Nothing was changed.",
        hint=f"put back {layout.key_file.name} from a backup of this vault",
    )


def read_key_file(layout: VaultLayout) -> tuple[WrappedKey, CipherSettings]:
    """The wrapped data key, and the SQLCipher settings the database was created with."""
    try:
        data = json.loads(layout.key_file.read_text("utf-8"))
    except FileNotFoundError:
        raise no_vault(layout) from None
    except (OSError, ValueError) as exc:
        raise VaultCorrupt(f"The vault's key file cannot be read ({type(exc).__name__}).") from None
    wrapped = WrappedKey.from_dict(data)
    return wrapped, CipherSettings.from_dict(data.get("database"))


def check_passphrase(root: Path | str, passphrase: str) -> CheckedKey:
    """The data key if `passphrase` is right. Refused while the throttle says wait; a wrong
    passphrase is counted (the next successful unlock writes it to the audit log)."""
    layout = VaultLayout(Path(root))
    if not layout.root.is_dir() or not layout.exists():
        raise no_vault(layout)
    unlock_throttle.check(layout.failures_file)
    wrapped, cipher = read_key_file(layout)
    try:
        data_key = unwrap_data_key(wrapped, passphrase)
    except WrongPassphrase:
        with contextlib.suppress(MissionDeskError, OSError):
            unlock_throttle.record_failure(layout.failures_file)
        raise
    return CheckedKey(wrapped, cipher, data_key)
