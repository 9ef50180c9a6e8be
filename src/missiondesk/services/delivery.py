"""Where this laptop's messages are known to be: queued, sent to a peer, delivered, acknowledged.

What a peer holds is known from the heads it told us at its last session (a version vector:
per author, the newest operation it holds). A message of ours is *sent* once any peer holds its
operation, and *delivered* to a person once a device of theirs is known to hold it, because we
synced with that device or because it acknowledged the message. What a relay passed on beyond
our own peers is only known when those devices acknowledge or meet us.
"""

from __future__ import annotations

from enum import StrEnum

from missiondesk.domain.named_tuple import NamedTuple
from missiondesk.store.vault import Vault


class MessageState(StrEnum):
    QUEUED = "queued"  # on this laptop only
    SENT = "sent"  # a peer holds it
    DELIVERED = "delivered"  # a device of an addressed person holds it
    ACKNOWLEDGED = "acknowledged"  # everyone asked to acknowledge has done so
    RECEIVED = "received"  # another officer's message, here

    @property
    def label(self) -> str:
        return self.value.capitalize()


class PeerHoldings(NamedTuple):
    """For this device's operations: device -> the newest sequence number it is known to hold."""

    by_device: dict[str, int]

    @classmethod
    def load(cls, vault: Vault, author: str) -> PeerHoldings:
        held: dict[str, int] = {}
        for peer in vault.trust.peers():
            head = peer.heads.get(author)
            if isinstance(head, list) and head and isinstance(head[0], int):
                held[peer.device] = head[0]
        return cls(held)

    def holders(self, seq: int) -> frozenset[str]:
        """Devices known to hold this device's operation `seq`."""
        return frozenset(d for d, newest in self.by_device.items() if newest >= seq)

    def waiting(self, head_seq: int) -> int:
        """This device's operations that no peer is known to hold yet."""
        best = max(self.by_device.values(), default=0)
        return max(0, head_seq - best)
