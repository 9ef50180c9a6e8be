"""Test helpers: devices that sign chains of operations, and bare vaults without a KDF."""

from __future__ import annotations

import itertools
import os
from pathlib import Path
from typing import Any

from missiondesk.crypto.signing import DeviceKeys
from missiondesk.domain.operation import Operation, SignedOperation, op_id_for, signing_message
from missiondesk.store.layout import VaultLayout
from missiondesk.store.lock import VaultLock
from missiondesk.store.vault import Vault

_counter = itertools.count()


class Author:
    """A device that signs its own chain of operations."""

    def __init__(self, keys: DeviceKeys | None = None) -> None:
        self.keys = keys or DeviceKeys.generate()
        self.id = self.keys.device_id
        self.seq = 0
        self.prev: str | None = None

    def op(self, kind: str, entity: str, body: dict[str, Any], hlc: int) -> SignedOperation:
        self.seq += 1
        op = Operation("", self.id, self.seq, self.prev, hlc, kind, entity, body)
        payload = op.payload()
        sig = self.keys.sign(signing_message(payload))
        signed = SignedOperation(op, payload, sig, op_id_for(payload, sig))
        self.prev = signed.op_id.hex()
        return signed

    def register(self, hlc: int = 1) -> SignedOperation:
        signing, exchange = self.keys.public_b64()
        return self.op(
            "device.register",
            self.id,
            {"fields": {"signing_key": signing, "exchange_key": exchange}},
            hlc,
        )

    def set(
        self, record_type: str, entity: str, hlc: int, action: str = "update", **fields: Any
    ) -> SignedOperation:
        return self.op(f"{record_type}.{action}", entity, {"fields": fields}, hlc)


def bare_vault(root: Path) -> Vault:
    """A real SQLCipher vault with a random key, no key file and no identity: for store tests."""
    root.mkdir(parents=True, exist_ok=True)
    layout = VaultLayout(root)
    lock = VaultLock(layout.lock_file)
    lock.acquire()
    return Vault.open(layout, os.urandom(32), lock, create=True)


def state_of(vault: Vault) -> dict[str, Any]:
    """Everything materialized, in a form that compares equal across vaults."""
    conn = vault.conn
    return {
        "entities": sorted(
            tuple(r)
            for r in conn.execute(
                "SELECT id, type, doc, deleted, created_hlc FROM entities"
            ).fetchall()
        ),
        "messages": sorted(
            tuple(r)
            for r in conn.execute(
                "SELECT e.id, m.channel, m.hlc, m.precedence FROM messages m"
                " JOIN entities e ON e.rowid = m.entity"
            ).fetchall()
        ),
        "acks": sorted(tuple(r) for r in conn.execute("SELECT * FROM acks").fetchall()),
        "search": sorted(
            tuple(r)
            for r in conn.execute(
                "SELECT e.id, s.title, s.body FROM search s JOIN entities e ON e.rowid = s.rowid"
            ).fetchall()
        ),
    }


def ops_of(session: Any) -> list[SignedOperation]:
    """Every operation in a session's vault, as a peer would receive them."""
    return [
        SignedOperation.from_parts(s.payload, s.signature) for s in session.vault.oplog.iter_ops()
    ]


def deliver(target: Any, ops: list[SignedOperation]) -> Any:
    """Apply `ops` to `target`'s vault as sync would, and publish the change on its feed (so
    open views refresh). Returns the ChangeSet."""
    from missiondesk.domain.changeset import Origin

    changes = target.vault.apply(ops, Origin.PEER)
    target.clock.observe(max(s.op.hlc for s in ops))
    target.changes.publish(changes)
    return changes


def share(source: Any, target: Any) -> Any:
    """Everything `source` holds, delivered to `target` (both Sessions)."""
    return deliver(target, ops_of(source))
