"""The life of an incident report: draft -> submitted -> verified -> closed, and who may move it.

Forward steps follow the chain; back-steps send a report back for rework (submitted or verified
-> draft) or reopen a closed one (closed -> verified), and always carry a reason. Who may take a
step follows the role in the device's membership certificate. A vault that belongs to no mission
has one officer and no certificates: that officer takes every step on their own log.
"""

from __future__ import annotations

from dataclasses import dataclass

from missiondesk.domain.records.incidents import IncidentStatus
from missiondesk.domain.records.people import Role

S = IncidentStatus
REPORTERS = frozenset(
    {Role.OFFICER, Role.DUTY_OFFICER, Role.COMMS_OFFICER, Role.SECURITY_OFFICER, Role.COMMANDER}
)
VERIFIERS = frozenset({Role.DUTY_OFFICER, Role.SECURITY_OFFICER, Role.COMMANDER})
CLOSERS = frozenset({Role.SECURITY_OFFICER, Role.COMMANDER})
# States in which the report itself may still be edited; verified and closed reports are locked
# (send one back to draft, or reopen it, to change it).
EDITABLE = frozenset({S.DRAFT, S.SUBMITTED})


@dataclass(frozen=True)
class Step:
    source: IncidentStatus
    target: IncidentStatus
    roles: frozenset[Role]
    needs_reason: bool
    verb: str


STEPS: tuple[Step, ...] = (
    Step(S.DRAFT, S.SUBMITTED, REPORTERS, False, "submit"),
    Step(S.SUBMITTED, S.VERIFIED, VERIFIERS, False, "verify"),
    Step(S.VERIFIED, S.CLOSED, CLOSERS, False, "close"),
    Step(S.SUBMITTED, S.DRAFT, REPORTERS, True, "send back to draft"),
    Step(S.VERIFIED, S.DRAFT, VERIFIERS, True, "send back to draft"),
    Step(S.CLOSED, S.VERIFIED, CLOSERS, True, "reopen"),
)


def step_for(source: IncidentStatus, target: IncidentStatus) -> Step | None:
    for step in STEPS:
        if step.source is source and step.target is target:
            return step
    return None


def next_steps(source: IncidentStatus, role: Role | None) -> list[Step]:
    """The steps open from `source` to someone in `role` (None: a vault with no mission)."""
    return [s for s in STEPS if s.source is source and (role is None or role in s.roles)]


def role_names(roles: frozenset[Role]) -> str:
    names = sorted(r.value.replace("_", " ") for r in roles)
    return ", ".join(names[:-1]) + " or " + names[-1] if len(names) > 1 else names[0]
