"""Creating a vault, unlocking it, and changing its passphrase."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from missiondesk.crypto.keywrap import (
    DEFAULT_KDF,
    KdfParams,
    WrappedKey,
    new_data_key,
    unwrap_data_key,
    wrap_data_key,
)
from missiondesk.crypto.mac import derive_subkey
from missiondesk.crypto.signing import DeviceKeys
from missiondesk.domain.errors import InvalidInput
from missiondesk.domain.hlc import wall_clock_ms
from missiondesk.domain.ids import uuid7
from missiondesk.domain.record_enums import ChannelKind
from missiondesk.services import unlock_throttle
from missiondesk.services.audit import AuditEvent
from missiondesk.services.passphrase_check import (
    CheckedKey,
    check_passphrase,
    no_vault,
    read_key_file,
)
from missiondesk.services.passphrase_policy import require_acceptable
from missiondesk.services.records import type_name, validate
from missiondesk.services.session import Session
from missiondesk.store.atomic import write_atomically
from missiondesk.store.connection import NEW_VAULT_CIPHER, CipherSettings
from missiondesk.store.errors import VaultCorrupt, VaultNotFound
from missiondesk.store.layout import VaultLayout
from missiondesk.store.lock import VaultLock
from missiondesk.store.migrations import LATEST
from missiondesk.store.vault import Vault

DEFAULT_CHANNEL = "general"
# Every vault creates the mission-wide channel under this well-known id, so when laptops meet
# their "general" channels merge into one record instead of appearing several times.
DEFAULT_CHANNEL_ID = "channel-general"


def _audit_key(data_key: bytes) -> bytes:
    return derive_subkey(data_key, "audit")


def _write_key_file(layout: VaultLayout, wrapped: WrappedKey, cipher: CipherSettings) -> None:
    content = {**wrapped.to_dict(), "database": cipher.as_dict()}
    write_atomically(layout.key_file, json.dumps(content, indent=2).encode())


def _locked(layout: VaultLayout, *, must_exist: bool) -> VaultLock:
    if not layout.root.is_dir() or (must_exist and not layout.exists()):
        raise no_vault(layout)
    lock = VaultLock(layout.lock_file)
    lock.acquire()
    return lock


def create_vault(
    root: Path,
    passphrase: str,
    *,
    name: str,
    callsign: str = "",
    kdf: KdfParams = DEFAULT_KDF,
    schema_target: int = LATEST,
    wall: Callable[[], int] = wall_clock_ms,
) -> Session:
    """Make a new vault: data key, device keys, the officer's person record, a first channel."""
    root = Path(root)
    layout = VaultLayout(root)
    from missiondesk.domain.records.messaging import Channel  # pydantic: a first run only
    from missiondesk.domain.records.people import Device, Person

    require_acceptable(passphrase)
    person = validate(Person, {"name": name, "callsign": callsign})
    if layout.exists():
        raise InvalidInput(
            f"A vault already exists at {root}.", hint="use --vault to choose another folder"
        )
    make_vault_folder(root)
    lock = _locked(layout, must_exist=False)
    try:
        if layout.key_lost():  # checked again under the lock
            raise InvalidInput(
                f"{root} holds a vault's database without its key file"
                f" ({layout.key_file.name}); a new vault would replace it, so nothing was changed.",
                hint=f"put back {layout.key_file.name} from a backup, or use --vault to choose"
                " another folder",
            )
        layout.creating_marker.touch(mode=0o600)
        for leftover in layout.database_files():  # an earlier creation that never finished
            leftover.unlink(missing_ok=True)
        data_key = new_data_key()
        vault_id = uuid7()
        wrapped = wrap_data_key(data_key, passphrase, vault_id, kdf)
        vault = Vault.open(
            layout,
            data_key,
            lock,
            create=True,
            schema_target=schema_target,
            cipher=NEW_VAULT_CIPHER,
        )
    except BaseException:
        lock.release()
        raise
    try:
        keys = DeviceKeys.generate()
        vault.save_identity(keys.device_id, *keys.private_bytes())
        person_id = uuid7()
        vault.set_meta("vault_id", vault_id)
        vault.set_meta("person_id", person_id)
        session = Session.start(vault, _audit_key(data_key), wall)
        signing_b64, exchange_b64 = keys.public_b64()
        device = validate(
            Device,
            {
                "name": f"{callsign or name} laptop",
                "person": person_id,
                "signing_key": signing_b64,
                "exchange_key": exchange_b64,
            },
        )
        channel = validate(
            Channel,
            {
                "name": DEFAULT_CHANNEL,
                "kind": ChannelKind.MISSION,
                "description": "Everyone in the mission",
            },
        )
        session.writer.submit_many(
            [
                ("device.register", keys.device_id, {"fields": device.model_dump(mode="json")}),
                (
                    f"{type_name(Person)}.create",
                    person_id,
                    {"fields": person.model_dump(mode="json")},
                ),
                (
                    f"{type_name(Channel)}.create",
                    DEFAULT_CHANNEL_ID,
                    {"fields": channel.model_dump(mode="json")},
                ),
            ]
        )
        session.audit.record(AuditEvent.CREATED, device=keys.device_id)
        _write_key_file(layout, wrapped, NEW_VAULT_CIPHER)  # the vault exists from now on
    except BaseException:
        vault.close()
        for partial in layout.database_files():
            partial.unlink(missing_ok=True)
        layout.creating_marker.unlink(missing_ok=True)
        raise
    layout.creating_marker.unlink(missing_ok=True)
    return session


def make_vault_folder(root: Path) -> None:
    """The vault's folder, made if missing (only the officer may enter it)."""
    if root.exists() and not root.is_dir():
        raise InvalidInput(
            f"{root} is a file, not a folder.", hint="--vault names the folder a vault lives in"
        )
    try:
        root.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as exc:
        raise VaultNotFound(
            f"The vault's folder {root} cannot be made: {exc.strerror or type(exc).__name__}."
        ) from None


def unlock_vault(
    root: Path | str,
    passphrase: str,
    wall: Callable[[], int] = wall_clock_ms,
    *,
    checked: Callable[[], CheckedKey] | None = None,
) -> Session:
    """Open an existing vault. Wrong passphrases are counted, slowed down, and audited later.

    `checked`: the passphrase's check already under way elsewhere (`check_passphrase` on a
    thread of its own); called with the vault locked, it gives the key or raises what the
    check raised."""
    layout = VaultLayout(Path(root))
    lock = _locked(layout, must_exist=True)
    try:
        key = checked() if checked is not None else check_passphrase(layout.root, passphrase)
        wrapped, cipher, data_key = key
        vault = Vault.open(layout, data_key, lock, cipher=cipher)
    except BaseException:
        lock.release()
        raise
    try:
        stored_id = vault.get_meta("vault_id")
        if stored_id is not None and stored_id != wrapped.vault_id:
            raise VaultCorrupt("The key file belongs to another vault.")
        while vault.fold_pending()[0]:  # what an interrupted sync logged but did not fold
            pass
        session = Session.start(vault, _audit_key(data_key), wall)
        for failed_at in unlock_throttle.failures(layout.failures_file):
            session.audit.record(AuditEvent.UNLOCK_FAILED, at=failed_at)
        if vault.migration_backup is not None:
            session.audit.record(
                AuditEvent.MIGRATED, schema=vault.schema_version, backup=vault.migration_backup.name
            )
        session.audit.record(AuditEvent.UNLOCKED)
        unlock_throttle.clear(layout.failures_file)
    except BaseException:
        vault.close()
        raise
    return session


def change_passphrase(
    session: Session, current: str, new: str, kdf: KdfParams | None = None
) -> None:
    """Rewrap the data key under a new passphrase; the database is not re-encrypted."""
    require_acceptable(new)
    layout = session.vault.layout
    wrapped, cipher = read_key_file(layout)
    data_key = unwrap_data_key(wrapped, current)
    rewrapped = wrap_data_key(data_key, new, wrapped.vault_id, kdf or wrapped.kdf)
    _write_key_file(layout, rewrapped, cipher)
    session.audit.record(AuditEvent.PASSPHRASE_CHANGED)
