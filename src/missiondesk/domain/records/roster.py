"""What the roster keeps apart from a person's card: emergency details, Strictly Confidential.

The card (`Person`: name, callsign, role, unit, outpost, devices) is Unclassified unless marked
higher; next of kin, blood group and medical notes live in this record, one per person, whose
id is derived from the person's (so two laptops filling it in merge into one record).
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from missiondesk.domain.records.base import Record, Sensitivity

BloodGroup = Literal["", "O-", "O+", "A-", "A+", "B-", "B+", "AB-", "AB+"]


class EmergencyDetails(Record):
    person: str = Field(min_length=1, max_length=64)
    next_of_kin: str = Field(default="", max_length=200)
    next_of_kin_contact: str = Field(default="", max_length=200)
    blood_group: BloodGroup = ""
    allergies: str = Field(default="", max_length=1000)
    medical_notes: str = Field(default="", max_length=5000)
    sensitivity: Sensitivity = Sensitivity.STRICTLY_CONFIDENTIAL
