"""Sealing content for several recipients: one content key, wrapped for each recipient.

Content: ChaCha20-Poly1305 under a random 256-bit key, with the caller's associated data.
Per recipient: X25519 between a one-time ephemeral key and the recipient's exchange key,
HKDF-SHA256 bound to the context and both public keys, and ChaCha20-Poly1305 around the
content key.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

_INFO = b"missiondesk/seal/v1\x00"


class SealError(Exception):
    """The sealed content cannot be opened: not for this key, or altered."""


@dataclass(frozen=True)
class Sealed:
    ephemeral: bytes  # X25519 public key
    nonce: bytes
    ciphertext: bytes
    slots: dict[str, bytes]  # recipient id -> nonce + wrapped content key


def _wrapping_key(
    shared: bytes, context: bytes, recipient: str, ephemeral: bytes, recipient_key: bytes
) -> bytes:
    info = _INFO + context + b"\x00" + recipient.encode() + ephemeral + recipient_key
    return HKDF(hashes.SHA256(), 32, salt=None, info=info).derive(shared)


def seal(plaintext: bytes, aad: bytes, context: bytes, recipients: dict[str, bytes]) -> Sealed:
    """Encrypt `plaintext` so each recipient (id -> X25519 public key) can open it."""
    content_key = ChaCha20Poly1305.generate_key()
    nonce = os.urandom(12)
    ciphertext = ChaCha20Poly1305(content_key).encrypt(nonce, plaintext, aad)
    ephemeral = X25519PrivateKey.generate()
    ephemeral_public = ephemeral.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    slots: dict[str, bytes] = {}
    for recipient, public in recipients.items():
        shared = ephemeral.exchange(X25519PublicKey.from_public_bytes(public))
        key = _wrapping_key(shared, context, recipient, ephemeral_public, public)
        slot_nonce = os.urandom(12)
        slots[recipient] = slot_nonce + ChaCha20Poly1305(key).encrypt(
            slot_nonce, content_key, context + recipient.encode()
        )
    return Sealed(ephemeral_public, nonce, ciphertext, slots)


def unseal(
    sealed: Sealed, aad: bytes, context: bytes, recipient: str, private: X25519PrivateKey
) -> bytes:
    slot = sealed.slots.get(recipient)
    if slot is None or len(slot) != 12 + 32 + 16:
        raise SealError("not sealed for this recipient")
    public = private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    try:
        shared = private.exchange(X25519PublicKey.from_public_bytes(sealed.ephemeral))
        key = _wrapping_key(shared, context, recipient, sealed.ephemeral, public)
        content_key = ChaCha20Poly1305(key).decrypt(
            slot[:12], slot[12:], context + recipient.encode()
        )
        return ChaCha20Poly1305(content_key).decrypt(sealed.nonce, sealed.ciphertext, aad)
    except (InvalidTag, ValueError) as exc:
        raise SealError("the sealed content was altered or is not for this key") from exc
