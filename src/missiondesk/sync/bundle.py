"""Bundles: operations carried on a removable drive, sealed per recipient, signed by the sender.

Layout (all lengths big-endian):

    MAGIC | u32 header length | header (canonical JSON) | u64 ciphertext length | ciphertext
          | 64-byte Ed25519 signature

The header names the bundle, mission, sender, the sender's heads (so the next bundle back
acknowledges what it received), the recipients' wrapped keys and the number of operations. The
ciphertext is the zlib-compressed content (trust documents, then an operation batch in the wire
encoding), sealed with the header as associated data. The signature covers everything before
it, so a flipped byte anywhere is caught before anything is decrypted or applied.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import struct
import zlib
from dataclasses import dataclass
from typing import Any

from missiondesk.crypto.sealing import Sealed, SealError, seal, unseal
from missiondesk.crypto.signing import DeviceKeys, verify_signature
from missiondesk.domain.errors import InvalidInput
from missiondesk.domain.operation import SignedOperation, canonical_json
from missiondesk.sync.wire import ProtocolError, decode_ops, encode_ops

MAGIC = b"MISSIONDESK-BUNDLE\x00\x01"
SIGNATURE_CONTEXT = b"missiondesk/bundle/v1\x00"
MAX_HEADER = 8 * 1024 * 1024
MAX_CONTENT = 1024 * 1024 * 1024  # after decompression
_U32, _U64 = struct.Struct(">I"), struct.Struct(">Q")


class BundleRefused(InvalidInput):
    """A bundle that is refused; the message says why, and nothing was changed."""


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: Any) -> bytes:
    if not isinstance(text, str):
        raise ValueError("not base64")
    return base64.b64decode(text.encode("ascii"), validate=True)


@dataclass(frozen=True)
class ParsedBundle:
    header: dict[str, Any]
    header_bytes: bytes
    ciphertext: bytes
    signature: bytes
    signed_digest: bytes

    @property
    def bundle_id(self) -> str:
        return str(self.header["bundle"])

    @property
    def sender(self) -> str:
        return str(self.header["sender"])

    @property
    def mission(self) -> str:
        return str(self.header["mission"])

    def heads(self) -> dict[str, list[Any]]:
        heads = self.header.get("heads", {})
        return heads if isinstance(heads, dict) else {}


def write_bundle(
    *,
    bundle_id: str,
    mission: str,
    sender: DeviceKeys,
    created: int,
    heads: dict[str, tuple[int, bytes]],
    recipients: dict[str, bytes],
    trust: dict[str, Any],
    ops: list[tuple[bytes, bytes]],
) -> bytes:
    trust_bytes = canonical_json(trust)
    content = zlib.compress(_U32.pack(len(trust_bytes)) + trust_bytes + encode_ops(ops), 6)
    context = bundle_id.encode()
    # The header without its seal is the associated data of the content; the signature then
    # covers the header with its seal and the ciphertext.
    header: dict[str, Any] = {
        "v": 1,
        "bundle": bundle_id,
        "mission": mission,
        "sender": sender.device_id,
        "created": created,
        "ops": len(ops),
        "compression": "zlib",
        "heads": {a: [s, i.hex()] for a, (s, i) in heads.items()},
        "recipients": sorted(recipients),
    }
    aad = MAGIC + canonical_json(header)
    sealed = seal(content, aad, context, recipients)
    header["seal"] = {
        "ephemeral": _b64(sealed.ephemeral),
        "nonce": _b64(sealed.nonce),
        "slots": {r: _b64(s) for r, s in sealed.slots.items()},
    }
    header_bytes = canonical_json(header)
    body = (
        MAGIC
        + _U32.pack(len(header_bytes))
        + header_bytes
        + _U64.pack(len(sealed.ciphertext))
        + sealed.ciphertext
    )
    signature = sender.sign(SIGNATURE_CONTEXT + hashlib.sha256(body).digest())
    return body + signature


def read_bundle(data: bytes) -> ParsedBundle:
    """Parse the layout strictly; refuse anything truncated, oversized or malformed."""
    if not data.startswith(MAGIC):
        raise BundleRefused("This file is not a MissionDesk bundle.")
    offset = len(MAGIC)
    try:
        (header_len,) = _U32.unpack_from(data, offset)
        offset += 4
        if header_len > MAX_HEADER or offset + header_len > len(data):
            raise BundleRefused("The bundle is truncated or damaged (header).")
        header_bytes = data[offset : offset + header_len]
        offset += header_len
        (cipher_len,) = _U64.unpack_from(data, offset)
        offset += 8
    except struct.error:
        raise BundleRefused("The bundle is truncated.") from None
    if offset + cipher_len + 64 != len(data):
        raise BundleRefused("The bundle is truncated or has bytes appended.")
    ciphertext = data[offset : offset + cipher_len]
    signature = data[offset + cipher_len :]
    try:
        header = json.loads(header_bytes)
        if not isinstance(header, dict) or header.get("v") != 1:
            raise ValueError("version")
        for key in ("bundle", "mission", "sender", "recipients", "seal", "heads"):
            if key not in header:
                raise ValueError(key)
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise BundleRefused("The bundle's header is damaged.") from None
    digest = hashlib.sha256(data[: offset + cipher_len]).digest()
    return ParsedBundle(header, header_bytes, ciphertext, signature, digest)


def signed_by(bundle: ParsedBundle, signing_key: bytes) -> bool:
    return verify_signature(signing_key, bundle.signature, SIGNATURE_CONTEXT + bundle.signed_digest)


def open_bundle(
    bundle: ParsedBundle, me: DeviceKeys
) -> tuple[dict[str, Any], list[SignedOperation]]:
    """Decrypt, decompress and parse the content addressed to this device."""
    header = dict(bundle.header)
    try:
        seal_info = header.pop("seal")
        sealed = Sealed(
            _unb64(seal_info["ephemeral"]),
            _unb64(seal_info["nonce"]),
            bundle.ciphertext,
            {str(r): _unb64(s) for r, s in dict(seal_info["slots"]).items()},
        )
    except (KeyError, TypeError, ValueError, binascii.Error):
        raise BundleRefused("The bundle's header is damaged.") from None
    if me.device_id not in sealed.slots:
        raise BundleRefused("This bundle is not addressed to this device.")
    aad = MAGIC + canonical_json(header)
    try:
        compressed = unseal(sealed, aad, bundle.bundle_id.encode(), me.device_id, me.exchange_key)
    except SealError:
        raise BundleRefused("The bundle cannot be opened: it was altered.") from None
    try:
        inflater = zlib.decompressobj()
        content = inflater.decompress(compressed, MAX_CONTENT)
        if inflater.unconsumed_tail:
            raise BundleRefused("The bundle's content is larger than MissionDesk accepts.")
        (trust_len,) = _U32.unpack_from(content, 0)
        trust = json.loads(content[4 : 4 + trust_len])
        ops = decode_ops(content[4 + trust_len :])
    except (
        zlib.error,
        struct.error,
        ValueError,
        UnicodeDecodeError,
        ProtocolError,
        RecursionError,
    ) as exc:
        raise BundleRefused(f"The bundle's content is damaged ({exc}).") from None
    if not isinstance(trust, dict):
        raise BundleRefused("The bundle's content is damaged.")
    return trust, ops
