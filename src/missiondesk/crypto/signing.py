"""Device keys: Ed25519 for signatures, X25519 for key agreement."""

from __future__ import annotations

import base64
from functools import cached_property, lru_cache

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from missiondesk.domain.ids import DEVICE_ID_BYTES

EXCHANGE_KEY_BYTES = 32


def _raw_public(key: Ed25519PrivateKey | X25519PrivateKey) -> bytes:
    # public_bytes_raw: no need to load the serialization package (PEM, SSH, PKCS#12) at unlock
    return key.public_key().public_bytes_raw()


def device_id_for(signing_public_key: bytes) -> str:
    """A device's id: the first 16 bytes of SHA-256 of its Ed25519 public key, in hex. Hashed
    by cryptography, loaded already at unlock (hashlib would load a second OpenSSL, ~7 ms)."""
    digest = hashes.Hash(hashes.SHA256())
    digest.update(signing_public_key)
    return digest.finalize()[:DEVICE_ID_BYTES].hex()


class DeviceKeys:
    """The private keys of this device. They live inside the vault and nowhere else.

    The exchange key (sealed bundles only) is built from its bytes at its first use: making an
    X25519 key loads cryptography's OpenSSL backend module (~10 ms), which an unlock and the
    first screen do not need."""

    def __init__(self, signing: Ed25519PrivateKey, exchange: X25519PrivateKey | bytes) -> None:
        self._signing = signing
        if isinstance(exchange, bytes):
            if len(exchange) != EXCHANGE_KEY_BYTES:
                raise ValueError("An X25519 private key must be 32 bytes long.")
            self._exchange_raw = exchange
        else:
            self._exchange_raw = exchange.private_bytes_raw()
            self.__dict__["exchange_key"] = exchange
        self.signing_public = _raw_public(signing)
        self.device_id = device_id_for(self.signing_public)

    @classmethod
    def generate(cls) -> DeviceKeys:
        return cls(Ed25519PrivateKey.generate(), X25519PrivateKey.generate())

    @classmethod
    def from_private_bytes(cls, signing: bytes, exchange: bytes) -> DeviceKeys:
        return cls(Ed25519PrivateKey.from_private_bytes(signing), bytes(exchange))

    def private_bytes(self) -> tuple[bytes, bytes]:
        return self._signing.private_bytes_raw(), self._exchange_raw

    def sign(self, message: bytes) -> bytes:
        return self._signing.sign(message)

    @cached_property
    def exchange_key(self) -> X25519PrivateKey:
        return X25519PrivateKey.from_private_bytes(self._exchange_raw)

    @cached_property
    def exchange_public(self) -> bytes:
        return _raw_public(self.exchange_key)

    def public_b64(self) -> tuple[str, str]:
        return (
            base64.b64encode(self.signing_public).decode("ascii"),
            base64.b64encode(self.exchange_public).decode("ascii"),
        )


@lru_cache(maxsize=4096)
def _public_key(raw: bytes) -> Ed25519PublicKey:
    return Ed25519PublicKey.from_public_bytes(raw)


def verify_signature(signing_public: bytes, signature: bytes, message: bytes) -> bool:
    try:
        _public_key(signing_public).verify(signature, message)
    except (InvalidSignature, ValueError):
        return False
    return True


class SessionKey:
    """The Ed25519 key a device presents in TLS sessions (kept apart from its signing key)."""

    def __init__(self, key: Ed25519PrivateKey) -> None:
        self._key = key
        self.public = _raw_public(key)

    @classmethod
    def generate(cls) -> SessionKey:
        return cls(Ed25519PrivateKey.generate())

    @classmethod
    def from_private_bytes(cls, raw: bytes) -> SessionKey:
        return cls(Ed25519PrivateKey.from_private_bytes(raw))

    def private_bytes(self) -> bytes:
        return self._key.private_bytes_raw()

    def encrypted_pem(self, password: bytes) -> bytes:
        """PKCS#8 PEM encrypted under `password`: what ssl.load_cert_chain can read."""
        from cryptography.hazmat.primitives.serialization import (
            BestAvailableEncryption,
            Encoding,
            PrivateFormat,
        )

        return self._key.private_bytes(
            Encoding.PEM, PrivateFormat.PKCS8, BestAvailableEncryption(password)
        )
