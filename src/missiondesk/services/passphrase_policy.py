"""What passphrase is acceptable, and a strength hint for the person choosing one."""

from __future__ import annotations

import itertools
import math
import string

from missiondesk.domain.errors import InvalidInput
from missiondesk.domain.named_tuple import NamedTuple

MIN_LENGTH = 8
MIN_DISTINCT = 4  # "aaaaaaaa", "abababab" and eight spaces are guessed first

# Guessed before anything else (lists of leaked passwords start with them), in lower case.
COMMON = frozenset(
    {
        "password",
        "password1",
        "password123",
        "passw0rd",
        "12345678",
        "123456789",
        "1234567890",
        "87654321",
        "qwertyui",
        "qwertyuiop",
        "qwerty123",
        "asdfghjk",
        "iloveyou",
        "letmein1",
        "welcome1",
        "missiondesk",
        "changeme",
        "trustno1",
        "sunshine",
        "football",
        "baseball",
        "superman",
        "abcd1234",
        "1q2w3e4r",
        "zaq12wsx",
    }
)


class Strength(NamedTuple):
    bits: float
    label: str  # "too short", "not accepted", "weak", "fair", "strong", "very strong"
    hint: str


def refusal(passphrase: str) -> str | None:
    """Why `passphrase` may not protect a vault, or None: too short, or among the first an
    attacker tries (spaces only, a few characters repeated, a run like 12345678, a common
    password)."""
    if len(passphrase) < MIN_LENGTH:
        return f"The passphrase is too short: use at least {MIN_LENGTH} characters."
    if not passphrase.strip():
        return "The passphrase is only spaces: use words."
    if len(set(passphrase)) < MIN_DISTINCT:
        return (
            f"The passphrase repeats too few characters: use at least {MIN_DISTINCT} "
            "different ones, or a few unrelated words."
        )
    if _is_run(passphrase):
        return "The passphrase is a run of characters in order: use a few unrelated words."
    if passphrase.strip().casefold() in COMMON:
        return "That passphrase is among the first ones guessed: use a few unrelated words."
    return None


def _is_run(passphrase: str) -> bool:
    """Each character the one after (or before) the last: 12345678, abcdefgh, 98765432."""
    steps = {ord(b) - ord(a) for a, b in itertools.pairwise(passphrase)}
    return steps in ({1}, {-1})


def assess(passphrase: str) -> Strength:
    """A rough entropy estimate from length and character classes ("not accepted", with the
    reason, for what `refusal` refuses)."""
    if len(passphrase) < MIN_LENGTH:
        return Strength(0.0, "too short", f"Use at least {MIN_LENGTH} characters.")
    refused = refusal(passphrase)
    if refused is not None:
        return Strength(0.0, "not accepted", refused)
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
    refused = refusal(passphrase)
    if refused is not None:
        raise InvalidInput(refused)
