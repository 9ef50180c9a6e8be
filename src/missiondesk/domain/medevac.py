"""The 9-line MEDEVAC request, with the letter codes a radio operator reads out.

Lines (NATO/UN practice): 1 pickup location (MGRS), 2 radio frequency and callsign, 3 patients
by precedence, 4 special equipment, 5 patients litter/ambulatory, 6 security at the pickup site
(in peacetime: number and type of wounds), 7 marking of the site, 8 patients' nationality and
status, 9 CBRN contamination (in peacetime: terrain of the site).
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from missiondesk.domain.coordinates import Location
from missiondesk.domain.records.base import Sensitivity

PHONETIC = {
    "A": "ALPHA", "B": "BRAVO", "C": "CHARLIE", "D": "DELTA", "E": "ECHO", "F": "FOXTROT",
    "L": "LIMA", "N": "NOVEMBER", "P": "PAPA", "R": "ROMEO", "X": "X-RAY",
}  # fmt: skip
PRECEDENCE = {
    "A": "urgent",
    "B": "urgent surgical",
    "C": "priority",
    "D": "routine",
    "E": "convenience",
}
EQUIPMENT = {"A": "none", "B": "hoist", "C": "extraction equipment", "D": "ventilator"}
SECURITY = {
    "N": "no enemy troops in area",
    "P": "possible enemy troops in area",
    "E": "enemy troops in area, approach with caution",
    "X": "enemy troops in area, armed escort required",
}
MARKING = {"A": "panels", "B": "pyrotechnic signal", "C": "smoke signal", "D": "none", "E": "other"}
NATIONALITY = {
    "A": "UN or coalition military",
    "B": "UN or coalition civilian",
    "C": "non-UN security forces",
    "D": "non-UN civilian",
    "E": "opposing forces or detainee",
    "F": "child",
}
CBRN = {"C": "chemical", "B": "biological", "R": "radiological", "N": "nuclear"}

Precedence = Literal["A", "B", "C", "D", "E"]
Status = Literal["A", "B", "C", "D", "E", "F"]


class MedevacRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    location: Location
    frequency: str = Field(min_length=1, max_length=20)
    callsign: str = Field(min_length=1, max_length=40)
    patients: dict[Precedence, int] = Field(min_length=1)
    equipment: tuple[Literal["A", "B", "C", "D"], ...] = ("A",)
    litter: int = Field(default=0, ge=0, le=99)
    ambulatory: int = Field(default=0, ge=0, le=99)
    security: Literal["N", "P", "E", "X"] | None = None
    wounds: str = Field(default="", max_length=300)  # line 6 in peacetime
    marking: Literal["A", "B", "C", "D", "E"] = "D"
    marking_detail: str = Field(default="", max_length=100)  # e.g. "green smoke"
    nationality: dict[Status, int] = Field(min_length=1)
    cbrn: tuple[Literal["C", "B", "R", "N"], ...] = ()
    terrain: str = Field(default="", max_length=300)  # line 9 in peacetime
    peacetime: bool = False
    sensitivity: Sensitivity = Sensitivity.UNCLASSIFIED
    incident: str = ""  # the incident the request is about, if any

    @model_validator(mode="after")
    def _consistent(self) -> MedevacRequest:
        total = sum(self.patients.values())
        if total < 1 or any(n < 0 for n in self.patients.values()):
            raise ValueError("patients: at least one patient, no negative counts")
        if self.litter + self.ambulatory != total:
            raise ValueError("litter + ambulatory patients must equal the patients of line 3")
        if sum(self.nationality.values()) != total or any(n < 0 for n in self.nationality.values()):
            raise ValueError("nationality counts must add up to the patients of line 3")
        if self.peacetime and not self.wounds:
            raise ValueError("wounds: line 6 in peacetime gives the number and type of wounds")
        if not self.peacetime and self.security is None:
            raise ValueError("security: line 6 gives the security at the pickup site (N, P, E, X)")
        if self.peacetime and (self.security is not None or self.cbrn):  # never dropped unsaid
            raise ValueError(
                "peacetime: lines 6 and 9 are the wounds and the terrain, not security or CBRN"
            )
        if not self.peacetime and (self.wounds or self.terrain):
            raise ValueError("peacetime: the wounds and the terrain are lines 6 and 9 in peacetime")
        return self
