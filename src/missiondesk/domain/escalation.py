"""The rules of a missed check-in, as pure functions of a movement's state and `now`.

A movement is due a check-in `interval` minutes after the later of its departure and its last
check-in. Once that time passes without one, three steps follow, each so many minutes after
the due time (`Escalation`): a warning to the traveller, an alarm to the duty officer, a FLASH
alert to the mission. A step is raised once per missed check-in; a check-in (or the arrival)
moves the due time on, and the steps start again from the first for the next one.

All times here are milliseconds since the epoch (UTC), as the projection keeps them.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from missiondesk.domain.markings import Precedence
from missiondesk.domain.records.alerts import AlertStep, Audience

MINUTE_MS = 60_000
STEPS: tuple[AlertStep, ...] = (AlertStep.WARNING, AlertStep.ALARM, AlertStep.FLASH)
STEP_RANK = {step: i for i, step in enumerate(STEPS)}
PRECEDENCE = {
    AlertStep.WARNING: Precedence.PRIORITY,
    AlertStep.ALARM: Precedence.IMMEDIATE,
    AlertStep.FLASH: Precedence.FLASH,
    AlertStep.PANIC: Precedence.FLASH,
}
AUDIENCE = {
    AlertStep.WARNING: Audience.TRAVELLER,
    AlertStep.ALARM: Audience.DUTY_OFFICER,
    AlertStep.FLASH: Audience.MISSION,
    AlertStep.PANIC: Audience.MISSION,
}


@dataclass(frozen=True)
class DueStep:
    """One step that is due: which, for the check-in due at `due_ms`, raised as of `at_ms`."""

    step: AlertStep
    due_ms: int
    at_ms: int


def next_due(depart_ms: int, last_checkin_ms: int | None, interval_ms: int) -> int:
    """When the next check-in is due."""
    start = depart_ms if last_checkin_ms is None else max(depart_ms, last_checkin_ms)
    return start + interval_ms


def step_times(due_ms: int, offsets_ms: tuple[int, int, int]) -> tuple[int, int, int]:
    """When each of the three steps is raised for the check-in due at `due_ms`."""
    return due_ms + offsets_ms[0], due_ms + offsets_ms[1], due_ms + offsets_ms[2]


def escalate_at(due_ms: int, offsets_ms: tuple[int, int, int], stage: int) -> int | None:
    """When the next step is raised, `stage` steps being raised already; None after the
    last."""
    return step_times(due_ms, offsets_ms)[stage] if stage < len(STEPS) else None


def due_steps(
    due_ms: int, offsets_ms: tuple[int, int, int], stage: int, now_ms: int
) -> list[DueStep]:
    """The steps not raised yet (from `stage` on) whose time has come by `now_ms`, in order."""
    times = step_times(due_ms, offsets_ms)
    return [
        DueStep(STEPS[i], due_ms, times[i]) for i in range(stage, len(STEPS)) if times[i] <= now_ms
    ]


class State(StrEnum):
    """Where a movement stands, as the board shows it."""

    ON_TIME = "on time"
    PAST_ETA = "past ETA"  # checking in on time, but not arrived by its ETA (no alert of its own)
    DUE = "check-in due"  # due, the warning not raised yet
    WARNING = "warning"
    ALARM = "alarm"
    FLASH = "FLASH"
    ARRIVED = "arrived"
    CANCELLED = "cancelled"


def state(active: bool, stage: int, due_ms: int, now_ms: int, eta_ms: int | None = None) -> State:
    """An active movement's escalation state (closed ones are ARRIVED or CANCELLED). A missed
    check-in comes first; past its ETA (`eta_ms`) with its check-ins on time, it is PAST_ETA."""
    if not active:
        return State.ARRIVED
    if stage > 0:
        return (State.WARNING, State.ALARM, State.FLASH)[min(stage, 3) - 1]
    if now_ms >= due_ms:
        return State.DUE
    return State.PAST_ETA if eta_ms is not None and now_ms > eta_ms else State.ON_TIME
