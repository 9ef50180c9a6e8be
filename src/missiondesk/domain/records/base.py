"""What every record shares: a sensitivity level and strict validation."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict


class Sensitivity(StrEnum):
    """UN information sensitivity levels (ST/SGB/2007/6)."""

    UNCLASSIFIED = "unclassified"
    CONFIDENTIAL = "confidential"
    STRICTLY_CONFIDENTIAL = "strictly_confidential"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").upper()

    @property
    def rank(self) -> int:
        """0 for Unclassified .. 2 for Strictly Confidential."""
        return _RANKS[self]

    @classmethod
    def parse(cls, text: str) -> Sensitivity:
        key = text.strip().lower().replace(" ", "_").replace("-", "_")
        aliases = {"u": "unclassified", "c": "confidential", "sc": "strictly_confidential"}
        return cls(aliases.get(key, key))


_RANKS = {level: i for i, level in enumerate(Sensitivity)}


class Record(BaseModel):
    """Base of every record kept in the vault."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    sensitivity: Sensitivity = Sensitivity.UNCLASSIFIED
