"""Who may do what in personnel protection, by the role in the membership certificate.

A vault that belongs to no mission has one officer and no certificates: that officer may do
everything on their own laptop (as with incidents, see `domain/incident_workflow.py`).
"""

from __future__ import annotations

from missiondesk.domain.incident_workflow import REPORTERS
from missiondesk.domain.records.alerts import Audience
from missiondesk.domain.records.people import Role

# Plan movements and keep the roster: every member but an observer.
PLANNERS = REPORTERS
ROSTER_KEEPERS = REPORTERS
# Start and close a headcount: those who answer for the mission's people.
HEADCOUNT_LEADERS = frozenset({Role.DUTY_OFFICER, Role.SECURITY_OFFICER, Role.COMMANDER})
# Check in, arrive, mark a person's status, acknowledge an alert, press panic: anyone
# enrolled (a traveller or a warden may be any role).


def reaches(
    audience: Audience, people: tuple[str, ...], person: str, role: Role | None, in_mission: bool
) -> bool:
    """Whether an alert for `audience` about `people` is meant for the officer `person` of a
    laptop with `role`: the mission, everyone; the duty officer, those who lead headcounts (or
    the one officer of a vault with no mission); the traveller, the people concerned."""
    if audience is Audience.MISSION:
        return True
    if audience is Audience.DUTY_OFFICER:
        return role in HEADCOUNT_LEADERS if in_mission else True
    return bool(person) and person in people
