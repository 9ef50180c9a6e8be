"""Text fit for a terminal: what officers and peers typed, shown without the power to move the
cursor, recolour or clear the screen, or retitle the window.

Control characters (C0 but newline and tab, DEL, C1) are shown as `\\xNN`: an escape sequence in
a message synced from another laptop is printed as text, never run by the terminal. Unicode's
direction controls (domain/bidi.py) are shown as `\\u202e` and the like: what is printed reads
in the order it was typed.
"""

from __future__ import annotations

import re

from missiondesk.domain.bidi import DIRECTION_CONTROLS

_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]|" + DIRECTION_CONTROLS.pattern)
_NEWLINES = re.compile("\r\n|\r|\n")


def visible(text: str) -> str:
    """`text` with its control characters written out (newlines and tabs kept)."""
    return _CONTROL.sub(_written_out, text)


def _written_out(found: re.Match[str]) -> str:
    code = ord(found.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def one_line(text: str) -> str:
    """`text` on one line: its line breaks shown as ` ⏎ ` (a listing has one line an item)."""
    return _NEWLINES.sub(" ⏎ ", text)
