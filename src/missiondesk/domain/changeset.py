"""ChangeSet: what one application of operations changed, for views to refresh from."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum


class Origin(StrEnum):
    LOCAL = "local"
    PEER = "peer"


@dataclass(frozen=True)
class ChangeSet:
    origin: Origin
    applied: tuple[bytes, ...] = ()
    duplicates: int = 0
    entities: Mapping[str, frozenset[str]] = field(default_factory=dict)

    @property
    def is_empty(self) -> bool:
        return not self.applied and not self.entities

    def ids_of(self, record_type: str) -> frozenset[str]:
        return self.entities.get(record_type, frozenset())
