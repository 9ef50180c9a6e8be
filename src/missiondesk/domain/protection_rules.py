"""Who may do what in personnel protection, by the role in the membership certificate.

A vault that belongs to no mission has one officer and no certificates: that officer may do
everything on their own laptop (as with incidents, see `domain/incident_workflow.py`).
"""

from __future__ import annotations

from missiondesk.domain.incident_workflow import REPORTERS
from missiondesk.domain.records.people import Role

# Plan movements and keep the roster: every member but an observer.
PLANNERS = REPORTERS
ROSTER_KEEPERS = REPORTERS
# Start and close a headcount: those who answer for the mission's people.
HEADCOUNT_LEADERS = frozenset({Role.DUTY_OFFICER, Role.SECURITY_OFFICER, Role.COMMANDER})
# Check in, arrive, mark a person's status, acknowledge an alert, press panic: anyone
# enrolled (a traveller or a warden may be any role).
