"""What every record shares: a sensitivity level and strict validation."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from missiondesk.domain.markings import Sensitivity


class Record(BaseModel):
    """Base of every record kept in the vault."""

    model_config = ConfigDict(
        extra="forbid", frozen=True, str_strip_whitespace=True, defer_build=True
    )

    sensitivity: Sensitivity = Sensitivity.UNCLASSIFIED


# Sensitivity lives in domain/markings.py (no pydantic); it is kept importable from here.
__all__ = ["Record", "Sensitivity"]
