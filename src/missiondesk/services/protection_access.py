"""This laptop's role and clearance, as personnel protection checks them."""

from __future__ import annotations

from missiondesk.domain.errors import AccessDenied
from missiondesk.domain.incident_workflow import role_names
from missiondesk.domain.markings import Sensitivity
from missiondesk.domain.records.people import Role
from missiondesk.services.mission import MissionService


class ProtectionAccess:
    def __init__(self, mission: MissionService) -> None:
        self._mission = mission

    def role(self) -> Role | None:
        """This laptop's role; None in a vault that belongs to no mission. AccessDenied if a
        member's certificate is missing, revoked or expired."""
        membership = self._mission.my_membership()
        if membership is None and self._mission.info() is not None:
            raise AccessDenied("This laptop's membership certificate has not arrived yet.")
        return membership.role if membership else None

    def require(self, roles: frozenset[Role], verb: str) -> None:
        """Refuse (AccessDenied, naming who may) unless this laptop's role is in `roles`."""
        refusal = self.refusal(roles, verb)
        if refusal is not None:
            raise AccessDenied(refusal)

    def refusal(self, roles: frozenset[Role], verb: str) -> str | None:
        """Why this laptop may not `verb` (the sentence `require` refuses with), or None if it
        may: for screens that say so before the officer tries."""
        try:
            role = self.role()
        except AccessDenied as exc:
            return exc.message
        if role is not None and role not in roles:
            name = role.value.replace("_", " ")
            article = "An" if name[0] in "aeiou" else "A"
            return f"{article} {name} cannot {verb}; ask a {role_names(roles)}."
        return None

    def clearance(self) -> Sensitivity | None:
        """This laptop's membership clearance; None with no mission (it reads everything) or
        while its certificate is missing."""
        if self._mission.info() is None:
            return None
        try:
            membership = self._mission.my_membership()
        except AccessDenied:
            return None
        return membership.clearance if membership else None

    def may_read(self, level: Sensitivity) -> bool:
        """Whether this laptop's clearance covers `level` (always, with no mission)."""
        if self._mission.info() is None:
            return True
        try:
            membership = self._mission.my_membership()
        except AccessDenied:
            return False
        return membership is not None and membership.clearance.rank >= level.rank
