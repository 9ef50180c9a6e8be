"""The one road: every change becomes a signed, HLC-stamped operation applied through the vault."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import Any

from missiondesk.crypto.signing import DeviceKeys
from missiondesk.domain.changeset import ChangeSet, Origin
from missiondesk.domain.hlc import HybridClock
from missiondesk.domain.operation import Operation, SignedOperation, op_id_for, signing_message
from missiondesk.services.changes import ChangeFeed
from missiondesk.store.connection import Connection
from missiondesk.store.vault import Vault

Change = tuple[str, str, dict[str, Any]]  # kind, entity id, body


class OperationWriter:
    """Builds this device's operations in chain order, signs them once, and applies them."""

    def __init__(
        self,
        vault: Vault,
        keys: DeviceKeys,
        clock: HybridClock,
        feed: ChangeFeed,
        mission: str = "",
    ) -> None:
        self._vault = vault
        self._keys = keys
        self._clock = clock
        self._feed = feed
        self._mission = mission
        self._head = vault.oplog.head(keys.device_id)
        self._lock = threading.Lock()

    @property
    def author(self) -> str:
        return self._keys.device_id

    @property
    def mission(self) -> str:
        return self._mission

    def set_mission(self, mission_id: str) -> None:
        """From now on this device's operations belong to `mission_id`."""
        with self._lock:
            self._mission = mission_id

    @property
    def head_seq(self) -> int:
        return self._head[0] if self._head else 0

    def _sign_chain(self, changes: Sequence[Change], at: int | None) -> list[SignedOperation]:
        seq, prev = (self._head[0], self._head[1].hex()) if self._head else (0, None)
        signed: list[SignedOperation] = []
        for kind, entity, body in changes:
            seq += 1
            op = Operation(
                self._mission,
                self._keys.device_id,
                seq,
                prev,
                self._clock.now() if at is None else at,
                kind,
                entity,
                body,
            )
            payload = op.payload()
            signature = self._keys.sign(signing_message(payload))
            op_id = op_id_for(payload, signature)
            signed.append(SignedOperation(op, payload, signature, op_id))
            prev = op_id.hex()
        return signed

    def submit(self, kind: str, entity: str, body: dict[str, Any]) -> ChangeSet:
        return self.submit_many([(kind, entity, body)])

    def submit_many(
        self,
        changes: Sequence[Change],
        *,
        alongside: Callable[[Connection], None] | None = None,
        at: int | None = None,
    ) -> ChangeSet:
        """Sign and apply `changes` in one transaction; the chain head moves only on commit.
        `alongside` writes local rows in that transaction (see `Vault.apply`).

        `at` stamps every change with that HLC instead of now: for restating records as
        another laptop held them at that moment (a mission package), so that any later change
        made there wins over the restatement. The clock moves past `at`, so this laptop's own
        later changes win too."""
        with self._lock:
            if at is not None:
                self._clock.observe(at)
            signed = self._sign_chain(changes, at)
            result = self._vault.apply(signed, Origin.LOCAL, alongside=alongside)
            if signed:
                self._head = (signed[-1].op.seq, signed[-1].op_id)
        self._feed.publish(result)
        return result
