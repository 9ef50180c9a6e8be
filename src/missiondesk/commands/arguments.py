"""Argument types shared by sub-commands: precedence, sensitivity, severity, date-time groups.

They raise InvalidInput (exit code 4, one clear line), not argparse's usage error (exit code 2):
a well-formed command with a bad value is invalid input.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from missiondesk.domain.dtg import parse_dtg
from missiondesk.domain.errors import InvalidInput
from missiondesk.domain.markings import Precedence, Sensitivity


def precedence(text: str) -> Precedence:
    try:
        return Precedence.parse(text)
    except ValueError:
        raise InvalidInput(
            f"'{text}' is not a precedence; use FLASH, IMMEDIATE, PRIORITY or ROUTINE (Z/O/P/R)."
        ) from None


def sensitivity(text: str) -> Sensitivity:
    try:
        return Sensitivity.parse(text)
    except ValueError:
        raise InvalidInput(
            f"'{text}' is not a sensitivity level; use unclassified, confidential or "
            "strictly_confidential."
        ) from None


def severity(text: str) -> int:
    if text.strip().isdecimal() and 1 <= int(text) <= 5:
        return int(text)
    raise InvalidInput(f"'{text}' is not a severity; use a number from 1 to 5.")


def dtg(text: str) -> datetime:
    return parse_dtg(text)


MAX_NUMBER = 1_000_000_000  # beyond any page, count or period the app has (SQLite stops at 2**63)


def _bounded(text: str, smallest: int, what: str) -> int:
    if not text.strip().isdecimal() or int(text) < smallest:
        raise InvalidInput(f"'{text}' is not {what}.")
    number = int(text)
    if number > MAX_NUMBER:
        raise InvalidInput(f"{text.strip()} is too large: at most {MAX_NUMBER:,}.")
    return number


def positive(text: str) -> int:
    return _bounded(text, 1, "a positive whole number")


def count(text: str) -> int:
    """A whole number from 0 (an offset, a number of patients)."""
    return _bounded(text, 0, "a whole number (0 or more)")


NAME_BYTES = 255  # the longest file or folder name Linux, Windows and macOS file systems hold


def out_file(text: str) -> Path:
    """A file to write (`--out`): named, with names a file system can hold."""
    if not text.strip():
        raise InvalidInput("Give the file to write to: --out was empty.")
    path = Path(text)
    if any(len(part.encode("utf-8", "surrogateescape")) > NAME_BYTES for part in path.parts):
        raise InvalidInput(
            f"The file name {text[:40]}… is too long: at most {NAME_BYTES} bytes a name."
        )
    return path


def out_file_or_dash(text: str) -> str:
    """`--out` of a report: a file, or '-' for standard output."""
    return text if text == "-" else str(out_file(text))
