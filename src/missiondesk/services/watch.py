"""The watch: one `tick(now)` that asks every watcher what turned due, from the vault's own
clock and records (it works offline; every laptop runs it, and what they raise merges).

A watcher is a callable `(since, now) -> Sequence[object]` returning what it found (and,
for movements, raised) between the previous tick and this one. Movements are watched from the
start (`MovementService.escalate`); others are plugged in by whoever wires the session, e.g.

    session.watch.add("checklists", session.checklists.turned_late)

so this module imports no watcher's code. A watcher that fails with a `MissionDeskError` is
reported in the tick's `errors`; the others still run (a broken checklist must never stop a
missed check-in from escalating).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from missiondesk.domain.errors import MissionDeskError

Watcher = Callable[[datetime, datetime], Sequence[object]]
# The first tick of a session looks this far back for what turned due.
LOOKBACK = timedelta(hours=24)


@dataclass(frozen=True)
class TickReport:
    since: datetime
    now: datetime
    found: dict[str, tuple[object, ...]] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(len(v) for v in self.found.values())


class Watch:
    def __init__(self, wall: Callable[[], int]) -> None:
        self._wall = wall
        self._watchers: dict[str, Watcher] = {}
        self._last: datetime | None = None

    def add(self, name: str, watcher: Watcher) -> None:
        """Plug in a watcher under a name (a second one under the same name replaces it)."""
        self._watchers[name] = watcher

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(self._watchers)

    def tick(self, now: datetime | None = None) -> TickReport:
        """Ask every watcher, in the order they were added, what turned due by `now` (the wall
        clock if None) since the previous tick."""
        at = now or datetime.fromtimestamp(self._wall() / 1000, UTC)
        since = self._last or at - LOOKBACK
        report = TickReport(since, at)
        for name, watcher in self._watchers.items():
            try:
                report.found[name] = tuple(watcher(since, at))
            except MissionDeskError as exc:
                report.errors[name] = str(exc)
        self._last = max(at, self._last) if self._last else at
        return report
