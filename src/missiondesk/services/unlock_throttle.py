"""Failed unlocks: remembered outside the database (it cannot be opened then), slowed down after
a few, and written to the audit log at the next successful unlock.

The file holds only times, no mission data. It slows a person at the keyboard; the Argon2id
cost of every guess is what protects a stolen vault.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from missiondesk.domain.errors import AccessDenied
from missiondesk.store.atomic import write_atomically

FREE_ATTEMPTS = 3
MAX_DELAY_S = 300


def _read(path: Path) -> list[datetime]:
    try:
        data = json.loads(path.read_text("utf-8"))
        return [datetime.fromisoformat(t) for t in data.get("failures", [])]
    except (OSError, ValueError, AttributeError, TypeError):
        return []


def failures(path: Path) -> list[datetime]:
    return _read(path)


def delay_after(count: int) -> int:
    """Seconds to wait after `count` consecutive failures: 0, 0, 0, 2, 4, 8 ... up to 5 minutes."""
    if count < FREE_ATTEMPTS:
        return 0
    return min(MAX_DELAY_S, 1 << (count - FREE_ATTEMPTS + 1))


def wait_remaining(path: Path, now: datetime | None = None) -> float:
    past = _read(path)
    if not past:
        return 0.0
    ready = max(past) + timedelta(seconds=delay_after(len(past)))
    return max(0.0, (ready - (now or datetime.now(UTC))).total_seconds())


def check(path: Path, now: datetime | None = None) -> None:
    remaining = wait_remaining(path, now)
    if remaining > 0:
        raise AccessDenied(
            f"Too many wrong passphrases. Wait {int(remaining) + 1} s before trying again."
        )


def record_failure(path: Path, now: datetime | None = None) -> None:
    past = _read(path)
    past.append(now or datetime.now(UTC))
    payload = {"failures": [t.isoformat(timespec="seconds") for t in past[-1000:]]}
    write_atomically(path, json.dumps(payload).encode())


def clear(path: Path) -> None:
    path.unlink(missing_ok=True)
