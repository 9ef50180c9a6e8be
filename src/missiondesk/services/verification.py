"""`ops verify`: every operation's shape, id, hash link and signature, author by author."""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass, field

from missiondesk.crypto.signing import device_id_for, verify_signature
from missiondesk.domain.errors import InvalidInput
from missiondesk.domain.operation import Operation, SignedOperation, signing_message
from missiondesk.store.oplog import StoredOp
from missiondesk.store.vault import Vault

MAX_PROBLEMS = 100


@dataclass
class VerifyReport:
    operations: int = 0
    authors: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def signing_key_of(op: Operation) -> bytes | None:
    """The key a device announces in its first operation, if it matches the device id."""
    if op.kind != "device.register" or op.entity != op.author:
        return None
    fields = op.body.get("fields")
    key = fields.get("signing_key") if isinstance(fields, dict) else None
    if not isinstance(key, str):
        return None
    try:
        raw = base64.b64decode(key, validate=True)
    except (binascii.Error, ValueError):
        return None
    return raw if len(raw) == 32 and device_id_for(raw) == op.author else None


def _check(stored: StoredOp) -> tuple[SignedOperation | None, str | None]:
    try:
        signed = SignedOperation.from_parts(stored.payload, stored.signature)
    except InvalidInput as exc:
        return None, str(exc)
    op = signed.op
    if signed.op_id != stored.op_id:
        return None, "its id does not match its content"
    if (op.author, op.seq, op.hlc, op.kind, op.entity) != (
        stored.author,
        stored.seq,
        stored.hlc,
        stored.kind,
        stored.entity,
    ):
        return None, "its index columns do not match its signed content"
    return signed, None


def verify_log(vault: Vault) -> VerifyReport:
    report = VerifyReport()
    author: str | None = None
    key: bytes | None = None
    prev: bytes | None = None
    expected_seq = 1

    def problem(stored: StoredOp, what: str) -> None:
        if len(report.problems) < MAX_PROBLEMS:
            report.problems.append(f"operation {stored.seq} of device {stored.author[:8]}: {what}")

    for stored in vault.oplog.iter_ops():
        report.operations += 1
        if stored.author != author:
            author, key, prev, expected_seq = stored.author, None, None, 1
            report.authors += 1
        signed, error = _check(stored)
        if signed is None:
            problem(stored, error or "unreadable")
            prev, expected_seq = stored.op_id, stored.seq + 1
            continue
        op = signed.op
        if op.seq != expected_seq:
            problem(stored, f"operations {expected_seq}..{op.seq - 1} are missing")
        elif op.seq > 1 and (prev is None or op.prev != prev.hex()):
            problem(stored, "it does not link to the operation before it")
        if op.seq == 1:
            key = signing_key_of(op)
            if key is None:
                problem(stored, "the first operation does not register the device's key")
        if key is None:
            if op.seq != 1:
                problem(stored, "no registered key to check its signature against")
        elif not verify_signature(key, signed.signature, signing_message(signed.payload)):
            problem(stored, "bad signature")
        prev, expected_seq = signed.op_id, op.seq + 1
    return report
