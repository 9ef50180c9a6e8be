"""How urgent and how sensitive a record is: the two markings every screen and report shows.

Plain enums with no pydantic, so the desktop shell can colour and label before the records
load (see docs/architecture.md, "Start-up").
"""

from __future__ import annotations

from enum import StrEnum


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
        return _SENSITIVITY_RANKS[self]

    @classmethod
    def of_stored(cls, value: object) -> Sensitivity:
        """A stored document's marking. Documents from peers are not validated again when
        folded: a marking this app does not know (or no string at all) reads as the highest,
        never lower than it might be."""
        if isinstance(value, str):
            found = _SENSITIVITIES.get(value)
            if found is not None:
                return found
        return cls.STRICTLY_CONFIDENTIAL

    @classmethod
    def parse(cls, text: str) -> Sensitivity:
        key = text.strip().lower().replace(" ", "_").replace("-", "_")
        aliases = {"u": "unclassified", "c": "confidential", "sc": "strictly_confidential"}
        return cls(aliases.get(key, key))


class Precedence(StrEnum):
    """NATO/ACP precedence, most urgent first."""

    FLASH = "flash"
    IMMEDIATE = "immediate"
    PRIORITY = "priority"
    ROUTINE = "routine"

    @property
    def prosign(self) -> str:
        return {"flash": "Z", "immediate": "O", "priority": "P", "routine": "R"}[self.value]

    @property
    def rank(self) -> int:
        """0 for FLASH .. 3 for ROUTINE: sort ascending to see the most urgent first."""
        return _PRECEDENCE_RANKS[self]

    @property
    def needs_acknowledgement(self) -> bool:
        return self in (Precedence.FLASH, Precedence.IMMEDIATE)

    @classmethod
    def of_stored(cls, value: object) -> Precedence:
        """A stored document's precedence; one this app does not know reads as ROUTINE (a
        peer's document is not validated again when folded)."""
        if isinstance(value, str):
            found = _PRECEDENCES.get(value)
            if found is not None:
                return found
        return cls.ROUTINE

    @classmethod
    def parse(cls, text: str) -> Precedence:
        key = text.strip().lower()
        by_prosign = {p.prosign.lower(): p for p in cls}
        if key in by_prosign:
            return by_prosign[key]
        return cls(key)


_SENSITIVITY_RANKS = {level: i for i, level in enumerate(Sensitivity)}
_PRECEDENCE_RANKS = {level: i for i, level in enumerate(Precedence)}
_SENSITIVITIES = {level.value: level for level in Sensitivity}
_PRECEDENCES = {level.value: level for level in Precedence}
