"""A wall clock the test moves by hand, for sessions made with `create_vault(..., wall=...)`:
escalations, late checklists and DTGs follow it, and no test sleeps."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta


class DrivenWall:
    """Milliseconds since the epoch, from `start` until the test moves it."""

    def __init__(self, start: datetime) -> None:
        self.start = start
        self.ms = int(start.timestamp() * 1000)

    def __call__(self) -> int:
        return self.ms

    def at(self, minutes: float) -> datetime:
        """Move to `start` + `minutes` and return that moment."""
        self.ms = int(self.start.timestamp() * 1000 + minutes * 60_000)
        return self.now

    def advance(self, **delta: float) -> None:
        self.ms += int(timedelta(**delta).total_seconds() * 1000)

    @property
    def now(self) -> datetime:
        return datetime.fromtimestamp(self.ms / 1000, UTC)
