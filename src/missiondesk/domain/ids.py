"""Identifiers: UUIDv7 for entities, hash-derived ids for devices."""

from __future__ import annotations

import os
import re
import time

from missiondesk.domain.digest import sha256

DEVICE_ID_BYTES = 16
_DEVICE_ID_RE = re.compile(r"^[0-9a-f]{32}$")
_ENTITY_ID_RE = re.compile(r"^[0-9A-Za-z][0-9A-Za-z_.:-]{0,63}$")


def uuid7(now_ms: int | None = None) -> str:
    """A time-ordered UUID (RFC 9562 version 7) as its canonical string."""
    ms = int(time.time() * 1000) if now_ms is None else now_ms
    rand = int.from_bytes(os.urandom(10), "big")
    value = (ms & ((1 << 48) - 1)) << 80
    value |= 0x7 << 76
    value |= ((rand >> 62) & 0xFFF) << 64
    value |= 0b10 << 62
    value |= rand & ((1 << 62) - 1)
    return uuid_text(value)


def uuid_text(value: int) -> str:
    """A 128-bit value in the canonical UUID form, as `str(uuid.UUID(int=value))` writes it
    (the stdlib's uuid module costs the start ~7 ms: it loads `platform`)."""
    digits = f"{value:032x}"
    return f"{digits[:8]}-{digits[8:12]}-{digits[12:16]}-{digits[16:20]}-{digits[20:]}"


def derived_id(*parts: str) -> str:
    """An entity id that is a function of `parts` (a UUID, version 8): laptops that make the
    same record while apart (an alert for the same missed check-in, a headcount mark for the
    same person) give it the same id, so their writes merge into one record."""
    digest = bytearray(sha256("\x1f".join(parts).encode())[:16])
    digest[6] = (digest[6] & 0x0F) | 0x80
    digest[8] = (digest[8] & 0x3F) | 0x80
    return uuid_text(int.from_bytes(digest, "big"))


def fingerprint(device_id: str) -> str:
    """The short form people compare aloud: the first 16 hex digits in groups of four."""
    return "-".join(device_id[i : i + 4] for i in range(0, 16, 4)).upper()


def is_device_id(value: str) -> bool:
    return bool(_DEVICE_ID_RE.match(value))


def is_entity_id(value: str) -> bool:
    return bool(_ENTITY_ID_RE.match(value))
