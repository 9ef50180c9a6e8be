"""Direction controls in text typed on any laptop: shown without them.

Unicode's embedding, override and isolate controls (U+202A-U+202E, U+2066-U+2069) make text
display in an order other than the one it was typed in: "pay 0011" can be made to read "pay
1100", a word written backwards. Arabic, Hebrew and mixed text read right without them
(the bidirectional algorithm places each script), so screens show message text without them;
the stored text is unchanged.
"""

from __future__ import annotations

import re

DIRECTION_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")


def without_direction_controls(text: str) -> str:
    return DIRECTION_CONTROLS.sub("", text)
