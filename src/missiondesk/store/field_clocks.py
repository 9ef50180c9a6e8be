"""Per-field clocks as a record's row keeps them: one shared clock for the fields set when the
record was first stored, and an entry of its own for each field written since."""

from __future__ import annotations

from typing import Any

# Clock shared by every field set when the record was first stored; a field with no entry of
# its own but present in the record carries it. Saves ~330 bytes per new record (one
# [hlc, author] pair instead of one per field), which is most of what is written per message.
SHARED = "*"


def field_clock(clocks: dict[str, Any], doc: dict[str, Any], name: str) -> Any:
    """The [hlc, author] that set `name`, or None if it was never set."""
    own = clocks.get(name)
    if own is None and name in doc:
        return clocks.get(SHARED)
    return own


def expand_clocks(clocks: dict[str, Any], doc: dict[str, Any]) -> dict[str, Any]:
    """Per-field clocks, with the shared one spelled out."""
    shared = clocks.get(SHARED)
    expanded = {name: shared for name in doc} if shared is not None else {}
    expanded.update((k, v) for k, v in clocks.items() if k != SHARED)
    return expanded
