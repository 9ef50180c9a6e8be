"""ChangeSet: what one application of operations changed, for views to refresh from."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from types import MappingProxyType

from missiondesk.domain.named_tuple import NamedTuple


class Origin(StrEnum):
    LOCAL = "local"
    PEER = "peer"


class ChangeSet(NamedTuple):
    origin: Origin
    applied: tuple[bytes, ...] = ()
    duplicates: int = 0
    entities: Mapping[str, frozenset[str]] = MappingProxyType({})  # shared, read-only

    @property
    def is_empty(self) -> bool:
        return not self.applied and not self.entities

    def ids_of(self, record_type: str) -> frozenset[str]:
        return self.entities.get(record_type, frozenset())
