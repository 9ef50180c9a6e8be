"""Text fit for a terminal: what officers and peers typed, shown without the power to move the
cursor, recolour or clear the screen, or retitle the window.

Control characters (C0 but newline and tab, DEL, C1) are shown as `\\xNN`: an escape sequence in
a message synced from another laptop is printed as text, never run by the terminal.
"""

from __future__ import annotations

import re

_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_NEWLINES = re.compile("\r\n|\r|\n")


def visible(text: str) -> str:
    """`text` with its control characters written out (newlines and tabs kept)."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def one_line(text: str) -> str:
    """`text` on one line: its line breaks shown as ` ⏎ ` (a listing has one line an item)."""
    return _NEWLINES.sub(" ⏎ ", text)
