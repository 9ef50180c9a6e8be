"""What the sync engine needs from the local vault, as a protocol the services implement.

The engine never imports the store: sync and store are sibling layers. Every method here may
block (SQLite); the engine calls them on one dedicated thread, which also makes that thread the
vault's single writer.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from missiondesk.domain.operation import OpRecord, SignedOperation
from missiondesk.sync.admission import TrustView


@dataclass(frozen=True)
class Summary:
    """A few hundred bytes that settle 'nothing new' in one round trip."""

    heads_digest: str
    trust_digest: str
    operations: int


@dataclass(frozen=True)
class Segment:
    """Operations ``first..last`` of one author, sent as a unit; lower urgency goes first."""

    author: str
    first: int
    last: int
    urgency: int


class Replica(Protocol):
    @property
    def device_id(self) -> str: ...

    @property
    def trust(self) -> TrustView: ...

    def summary(self) -> Summary: ...

    def heads(self) -> dict[str, tuple[int, bytes]]: ...

    def head(self, author: str) -> tuple[int, bytes] | None: ...

    def op_id_at(self, author: str, seq: int) -> bytes | None: ...

    def segments(self, author: str, after_seq: int) -> list[Segment]: ...

    def read_ops(self, author: str, first: int, last: int) -> list[OpRecord]: ...

    def trust_documents(self) -> dict[str, Any]: ...

    def add_trust_documents(self, documents: dict[str, Any]) -> int: ...

    def apply(self, ops: list[SignedOperation]) -> int: ...

    def settle(self) -> int: ...

    def hold(self, author: str, reason: str, detail: str) -> None: ...

    def too_far_ahead(self, hlc: int) -> bool: ...

    def record_peer(
        self,
        device: str,
        *,
        address: str,
        heads: dict[str, Any],
        result: str,
        sent: int,
        received: int,
    ) -> None: ...
