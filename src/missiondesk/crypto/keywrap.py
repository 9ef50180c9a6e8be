"""The vault's data key, wrapped under a key derived from the passphrase with Argon2id.

Changing the passphrase rewraps the data key; the database itself is never re-encrypted.
"""

from __future__ import annotations

import base64
import os
import unicodedata
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

from missiondesk.domain.errors import AccessDenied, Unavailable
from missiondesk.domain.named_tuple import NamedTuple
from missiondesk.domain.operation import canonical_json

DATA_KEY_BYTES = 32
MIN_MEMORY_KIB = 64 * 1024
_AAD_CONTEXT = b"missiondesk/keywrap/v1\x00"


class WrongPassphrase(AccessDenied):
    def __init__(self) -> None:
        super().__init__("Wrong passphrase.")


class KdfParams(NamedTuple):
    """Argon2id parameters. The defaults take about 0.25 s on the reference laptop."""

    memory_kib: int = MIN_MEMORY_KIB
    iterations: int = 4
    lanes: int = 4

    def as_dict(self) -> dict[str, int]:
        return {"memory_kib": self.memory_kib, "iterations": self.iterations, "lanes": self.lanes}


DEFAULT_KDF = KdfParams()


def normalize_passphrase(passphrase: str) -> bytes:
    """NFKC so the same passphrase typed on another keyboard layout gives the same bytes."""
    return unicodedata.normalize("NFKC", passphrase).encode("utf-8")


def derive_kek(passphrase: str, salt: bytes, params: KdfParams) -> bytes:
    kdf = Argon2id(
        salt=salt,
        length=32,
        iterations=params.iterations,
        lanes=params.lanes,
        memory_cost=params.memory_kib,
    )
    return kdf.derive(normalize_passphrase(passphrase))


def new_data_key() -> bytes:
    return os.urandom(DATA_KEY_BYTES)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: Any) -> bytes:
    if not isinstance(text, str):
        raise ValueError("not base64 text")
    return base64.b64decode(text.encode("ascii"), validate=True)


class WrappedKey(NamedTuple):
    """What the key file holds: KDF parameters, salt, nonce and the wrapped data key."""

    vault_id: str
    kdf: KdfParams
    salt: bytes
    nonce: bytes
    ciphertext: bytes

    def _aad(self) -> bytes:
        return _AAD_CONTEXT + canonical_json({"vault": self.vault_id, "kdf": self.kdf.as_dict()})

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": "missiondesk-key",
            "version": 1,
            "vault_id": self.vault_id,
            "kdf": {"name": "argon2id", **self.kdf.as_dict(), "salt": _b64(self.salt)},
            "wrap": {
                "alg": "AES-256-GCM",
                "nonce": _b64(self.nonce),
                "ciphertext": _b64(self.ciphertext),
            },
        }

    @classmethod
    def from_dict(cls, data: Any) -> WrappedKey:
        try:
            if data.get("format") != "missiondesk-key" or data.get("version") != 1:
                raise ValueError("format")
            kdf, wrap = data["kdf"], data["wrap"]
            if kdf["name"] != "argon2id" or wrap["alg"] != "AES-256-GCM":
                raise ValueError("algorithm")
            params = KdfParams(int(kdf["memory_kib"]), int(kdf["iterations"]), int(kdf["lanes"]))
            return cls(
                str(data["vault_id"]),
                params,
                _unb64(kdf["salt"]),
                _unb64(wrap["nonce"]),
                _unb64(wrap["ciphertext"]),
            )
        except (AttributeError, KeyError, TypeError, ValueError):
            raise Unavailable(
                "The vault's key file is damaged or not a MissionDesk key file."
            ) from None


def wrap_data_key(
    data_key: bytes, passphrase: str, vault_id: str, params: KdfParams = DEFAULT_KDF
) -> WrappedKey:
    salt, nonce = os.urandom(16), os.urandom(12)
    shell = WrappedKey(vault_id, params, salt, nonce, b"")
    kek = derive_kek(passphrase, salt, params)
    ciphertext = AESGCM(kek).encrypt(nonce, data_key, shell._aad())
    return WrappedKey(vault_id, params, salt, nonce, ciphertext)


def unwrap_data_key(wrapped: WrappedKey, passphrase: str) -> bytes:
    kek = derive_kek(passphrase, wrapped.salt, wrapped.kdf)
    try:
        key = AESGCM(kek).decrypt(wrapped.nonce, wrapped.ciphertext, wrapped._aad())
    except InvalidTag:
        raise WrongPassphrase() from None
    if len(key) != DATA_KEY_BYTES:
        raise Unavailable("The vault's key file holds a key of the wrong size.")
    return key
