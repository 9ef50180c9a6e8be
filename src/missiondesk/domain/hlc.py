"""Hybrid logical clock: wall time in milliseconds plus a counter, packed in one integer.

Timestamps never go backwards on one device, even when the wall clock is set back, and a
timestamp seen from a peer is always followed by larger ones. Packed as ``ms << 16 | counter``
so that integer order is time order and the value fits SQLite's 64-bit integers.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime

COUNTER_BITS = 16
COUNTER_MASK = (1 << COUNTER_BITS) - 1
MAX_AHEAD_MS = 24 * 3600 * 1000


def pack(wall_ms: int, counter: int) -> int:
    return (wall_ms << COUNTER_BITS) | counter


def unpack(hlc: int) -> tuple[int, int]:
    return hlc >> COUNTER_BITS, hlc & COUNTER_MASK


def to_datetime(hlc: int) -> datetime:
    return datetime.fromtimestamp((hlc >> COUNTER_BITS) / 1000, tz=UTC)


def wall_clock_ms() -> int:
    return time.time_ns() // 1_000_000


class HybridClock:
    """Issues strictly increasing timestamps; `observe` folds in timestamps from peers."""

    def __init__(self, last: int = 0, wall: Callable[[], int] = wall_clock_ms) -> None:
        self._last = last
        self._wall = wall

    @property
    def last(self) -> int:
        return self._last

    def now(self) -> int:
        wall = self._wall()
        last_ms, counter = unpack(self._last)
        if wall > last_ms:
            self._last = pack(wall, 0)
        elif counter < COUNTER_MASK:
            self._last = pack(last_ms, counter + 1)
        else:
            self._last = pack(last_ms + 1, 0)
        return self._last

    def is_too_far_ahead(self, hlc: int) -> bool:
        """True when `hlc` is more than 24 hours ahead of this device's wall clock."""
        return (hlc >> COUNTER_BITS) - self._wall() > MAX_AHEAD_MS

    def observe(self, hlc: int) -> bool:
        """Fold in a peer's timestamp; one too far in the future is refused (returns False)."""
        if self.is_too_far_ahead(hlc):
            return False
        self._last = max(self._last, hlc)
        return True
