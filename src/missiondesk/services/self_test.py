"""The checks of `missiondesk --self-test` that need no Qt: resources, vault, cipher, crypto.

Each check raises `SelfTestFailure` naming what went wrong in one sentence. The vault is made
in a folder the caller owns (a temporary one), with a light Argon2id: the self-test checks that
the pieces work in this installation, not how slow a guess is. A random canary is written into
the vault as a message; after the vault is closed no file in the folder may contain it.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from missiondesk.crypto.keywrap import KdfParams
from missiondesk.crypto.sealing import SealError, seal, unseal
from missiondesk.crypto.signing import DeviceKeys, verify_signature
from missiondesk.domain.errors import MissionDeskError
from missiondesk.resources import resource
from missiondesk.services.basemap import world_basemap
from missiondesk.services.session import Session
from missiondesk.services.vault_access import DEFAULT_CHANNEL, create_vault, unlock_vault
from missiondesk.store.connection import NEW_VAULT_CIPHER, open_encrypted
from missiondesk.store.errors import VaultCorrupt
from missiondesk.store.layout import VaultLayout

SQLITE_HEADER = b"SQLite format 3\x00"
SELF_TEST_KDF = KdfParams(memory_kib=8192, iterations=1, lanes=1)
REQUIRED_RESOURCES = (("icons", "missiondesk.svg"), ("icons", "lock.svg"))


class SelfTestFailure(Exception):
    """A check failed; `str()` is the reason, one sentence without a traceback."""


class SelfTestVault:
    """A vault made for the self-test in `folder`, with a random passphrase and canary."""

    def __init__(self, folder: Path) -> None:
        self.root = folder / "vault"
        self.passphrase = secrets.token_urlsafe(24)
        self.canary = f"self-test canary {secrets.token_hex(16)}"

    def create(self) -> None:
        """Create the vault, write the canary as a message, close it."""
        session = create_vault(
            self.root, self.passphrase, name="Self Test", callsign="SELF-TEST", kdf=SELF_TEST_KDF
        )
        try:
            session.messaging.send(DEFAULT_CHANNEL, self.canary)
        finally:
            session.close()

    def unlock(self) -> Session:
        return unlock_vault(self.root, self.passphrase)


def check_resources() -> None:
    """The icons and the world basemap the app ships are where the app looks for them."""
    for parts in REQUIRED_RESOURCES:
        path = resource(*parts)
        if not path.is_file():
            raise SelfTestFailure(f"the resource {path} is missing")
    try:
        basemap = world_basemap()
    except MissionDeskError as exc:
        raise SelfTestFailure(str(exc)) from None
    if not basemap.countries:
        raise SelfTestFailure("the world basemap holds no countries")


def check_cipher(vault: SelfTestVault) -> None:
    """The database file is encrypted: no SQLite header, and another key cannot read it."""
    database = VaultLayout(vault.root).database
    with database.open("rb") as f:
        header = f.read(len(SQLITE_HEADER))
    if len(header) < len(SQLITE_HEADER):
        raise SelfTestFailure(f"the vault database holds only {len(header)} bytes")
    if header == SQLITE_HEADER:
        raise SelfTestFailure("the vault database is plain SQLite: SQLCipher did not encrypt it")
    try:
        conn = open_encrypted(database, os.urandom(32), cipher=NEW_VAULT_CIPHER)
    except VaultCorrupt:
        return
    conn.close()
    raise SelfTestFailure("the vault database opened with a wrong key")


def check_signatures() -> None:
    keys = DeviceKeys.generate()
    message = b"missiondesk/self-test\x00" + os.urandom(32)
    signature = keys.sign(message)
    if not verify_signature(keys.signing_public, signature, message):
        raise SelfTestFailure("an Ed25519 signature did not verify")
    if verify_signature(keys.signing_public, signature, message + b"x"):
        raise SelfTestFailure("an Ed25519 signature verified over altered bytes")
    other = DeviceKeys.generate()
    if verify_signature(other.signing_public, signature, message):
        raise SelfTestFailure("an Ed25519 signature verified under another key")


def check_sealing() -> None:
    recipient, outsider = DeviceKeys.generate(), DeviceKeys.generate()
    plaintext, aad, context = os.urandom(256), b"self-test aad", b"missiondesk/self-test"
    sealed = seal(plaintext, aad, context, {"r": recipient.exchange_public})
    if unseal(sealed, aad, context, "r", recipient.exchange_key) != plaintext:
        raise SelfTestFailure("sealed content opened to different bytes")
    try:
        unseal(sealed, aad, context, "r", outsider.exchange_key)
    except SealError:
        pass
    else:
        raise SelfTestFailure("sealed content opened with another recipient's key")
    altered = type(sealed)(
        sealed.ephemeral, sealed.nonce, sealed.ciphertext[:-1] + b"\x00", sealed.slots
    )
    if altered.ciphertext == sealed.ciphertext:
        altered = type(sealed)(
            sealed.ephemeral, sealed.nonce, sealed.ciphertext[:-1] + b"\x01", sealed.slots
        )
    try:
        unseal(altered, aad, context, "r", recipient.exchange_key)
    except SealError:
        return
    raise SelfTestFailure("altered sealed content was opened")


def check_no_plaintext(folder: Path, canary: str) -> None:
    """No file under `folder` holds the canary: nothing decrypted reached the disk."""
    needle = canary.encode()
    for path in sorted(folder.rglob("*")):
        if path.is_file() and needle in path.read_bytes():
            raise SelfTestFailure(f"decrypted content was found in {path.name}")
