"""Keyed hashes for the audit chain, with keys derived from the vault's data key."""

from __future__ import annotations

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, hmac
from cryptography.hazmat.primitives.kdf.hkdf import HKDF


def derive_subkey(master: bytes, purpose: str) -> bytes:
    """A key for one purpose, so the data key itself is used for nothing but the database."""
    return HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=f"missiondesk/{purpose}".encode()
    ).derive(master)


def mac(key: bytes, data: bytes) -> bytes:
    h = hmac.HMAC(key, hashes.SHA256())
    h.update(data)
    return h.finalize()


def mac_matches(key: bytes, data: bytes, expected: bytes) -> bool:
    """Compared in constant time by cryptography itself (`HMAC.verify`); its `constant_time`
    module loads the standard library's hmac and, through it, a second OpenSSL (~7 ms)."""
    h = hmac.HMAC(key, hashes.SHA256())
    h.update(data)
    try:
        h.verify(expected)
    except InvalidSignature:
        return False
    return True
