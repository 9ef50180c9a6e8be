"""The app's JSON codec (orjson), and the desktop start's way round loading it.

orjson writes every canonical encoding (operations, bundles, the audit log: `canonical_json`,
re-exported by domain/operation.py) and reads every stored document. Loading it costs the
desktop start ~10 ms before the first window (it loads uuid, platform and dataclasses), for a
handful of small values: the key file's bound data, the unlock's audit entry, the first page's
documents.

So the desktop app calls `defer_orjson()` at its start and `load_orjson()` once its first window
has painted. In between, *plain* values (dicts with str keys, lists and tuples, str, int in
orjson's range, bool, None: exactly these types, no subclasses) are written by the standard
library's json with sorted keys, no spaces and UTF-8 text, which is byte for byte what orjson
writes for them (tests/domain/test_json_codec.py holds it over every code point and random
values), and stored documents (orjson's own output) are read by `json.loads`, which gives the
same values (`load_stored`). Anything else, or anything the standard library cannot encode,
goes to orjson as always. Without `defer_orjson()` (the command line, sync, the tests) nothing
changes: orjson from the first call.
"""

from __future__ import annotations

import json
from types import ModuleType
from typing import Any

__all__ = ["canonical_json", "defer_orjson", "load_orjson", "load_stored", "orjson"]

_MAX_DEPTH = 64  # deeper values go to orjson (which refuses beyond 255 levels)
_MIN_INT = -(1 << 63)
_MAX_INT = (1 << 64) - 1  # orjson writes up to u64


class _Codec:
    module: ModuleType | None = None
    deferred = False


def orjson() -> ModuleType:
    """The orjson module, loaded at the first call (which ends a deferral)."""
    if _Codec.module is None:
        import orjson as module

        _Codec.module = module
        _Codec.deferred = False
    return _Codec.module


def defer_orjson() -> None:
    """Until orjson loads (`load_orjson()`, or a value only orjson writes): plain values and
    stored documents without it."""
    _Codec.deferred = _Codec.module is None


def load_orjson() -> None:
    """orjson from now on (the desktop app, once its first window has painted)."""
    orjson()


def canonical_json(value: Any) -> bytes:
    """The canonical encoding shared by operations, bundles and the audit log: compact JSON,
    keys sorted, UTF-8, no NaN or infinity (orjson; its output is the definition)."""
    if _Codec.deferred and _is_plain(value, 0):
        try:
            return _plain_dumps(value).encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate: orjson says so in its own words
            pass
    codec = orjson()
    written: bytes = codec.dumps(value, option=codec.OPT_SORT_KEYS)
    return written


def load_stored(data: bytes | str) -> Any:
    """A stored document (JSON that orjson wrote: not for outside input) as Python values."""
    if _Codec.deferred:
        return json.loads(data)
    return orjson().loads(data)


def _plain_dumps(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _is_plain(value: Any, depth: int) -> bool:
    kind = type(value)
    if kind is str or kind is bool or value is None:
        return True
    if kind is int:
        in_range: bool = _MIN_INT <= value <= _MAX_INT
        return in_range
    if depth >= _MAX_DEPTH:
        return False
    if kind is dict:
        return all(type(key) is str and _is_plain(item, depth + 1) for key, item in value.items())
    if kind is list or kind is tuple:
        return all(_is_plain(item, depth + 1) for item in value)
    return False
