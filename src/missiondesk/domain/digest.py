"""SHA-256 for ids and content checks, with hashlib loaded at the first digest: it loads
OpenSSL's libcrypto a second time (cryptography has its own), ~7 ms that the unlock and the
first screen do not need (docs/architecture.md)."""

from __future__ import annotations


def sha256(*chunks: bytes) -> bytes:
    """The SHA-256 digest of `chunks` one after the other."""
    import hashlib

    digest = hashlib.sha256()
    for chunk in chunks:
        digest.update(chunk)
    return digest.digest()
