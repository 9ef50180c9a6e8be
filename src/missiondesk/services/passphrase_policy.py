"""What passphrase is acceptable, and a strength hint for the person choosing one."""

from __future__ import annotations

import math
import string
from typing import NamedTuple

from missiondesk.domain.errors import InvalidInput

MIN_LENGTH = 8


class Strength(NamedTuple):
    bits: float
    label: str  # "too short", "weak", "fair", "strong", "very strong"
    hint: str


def assess(passphrase: str) -> Strength:
    """A rough entropy estimate from length and character classes."""
    if len(passphrase) < MIN_LENGTH:
        return Strength(0.0, "too short", f"Use at least {MIN_LENGTH} characters.")
    pool = 0
    pool += 26 if any(c in string.ascii_lowercase for c in passphrase) else 0
    pool += 26 if any(c in string.ascii_uppercase for c in passphrase) else 0
    pool += 10 if any(c in string.digits for c in passphrase) else 0
    pool += 33 if any(not c.isalnum() for c in passphrase) else 0
    pool += 100 if any(ord(c) > 127 for c in passphrase) else 0
    distinct = len(set(passphrase))
    bits = min(len(passphrase), distinct * 2) * math.log2(max(pool, 2))
    if bits < 40:
        return Strength(bits, "weak", "Longer is stronger: try four or more unrelated words.")
    if bits < 60:
        return Strength(bits, "fair", "Add another word to make it strong.")
    if bits < 90:
        return Strength(bits, "strong", "Good.")
    return Strength(bits, "very strong", "Excellent.")


def require_acceptable(passphrase: str) -> None:
    if len(passphrase) < MIN_LENGTH:
        raise InvalidInput(f"The passphrase is too short: use at least {MIN_LENGTH} characters.")
