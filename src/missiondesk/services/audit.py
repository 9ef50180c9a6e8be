"""The tamper-evident audit log of security events: a chain of HMACs under a vault-derived key."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from missiondesk.crypto.mac import mac, mac_matches
from missiondesk.domain.operation import canonical_json
from missiondesk.store.audit_log import AuditRow
from missiondesk.store.vault import Vault

GENESIS = bytes(32)


class AuditEvent:
    CREATED = "vault.created"
    UNLOCKED = "vault.unlocked"
    UNLOCK_FAILED = "vault.unlock_failed"
    PASSPHRASE_CHANGED = "vault.passphrase_changed"  # noqa: S105 - an event name
    MIGRATED = "vault.migrated"
    MISSION_CREATED = "mission.created"
    MEMBER_ENROLLED = "mission.member_enrolled"
    MEMBER_REVOKED = "mission.member_revoked"
    MEMBER_RELEASED = "mission.member_released"
    EXPORTED = "data.exported"
    IMPORTED = "data.imported"


def _entry_bytes(seq: int, at: str, event: str, detail: str) -> bytes:
    return canonical_json({"seq": seq, "at": at, "event": event, "detail": detail})


class AuditReport:
    """What `AuditService.verify` found: entries read, and what is wrong (nothing if ok).
    A plain class: a dataclass costs ~0.6 ms to make at import, on the start's path."""

    def __init__(self) -> None:
        self.entries = 0
        self.problems: list[str] = []

    @property
    def ok(self) -> bool:
        return not self.problems


class AuditService:
    def __init__(self, vault: Vault, key: bytes) -> None:
        self._vault = vault
        self._log = vault.audit
        self._key = key

    def record(self, event: str, at: datetime | None = None, **detail: Any) -> None:
        """Append an event. Details name what happened, never mission content."""
        moment = (at or datetime.now(UTC)).astimezone(UTC).isoformat(timespec="seconds")
        detail_text = canonical_json(detail).decode()
        with self._vault.transaction():
            last = self._log.last()
            seq = last.seq + 1 if last else 1
            prev = last.mac if last else GENESIS
            tag = mac(self._key, prev + _entry_bytes(seq, moment, event, detail_text))
            self._log.append(seq, moment, event, detail_text, tag)

    def entries(self) -> list[AuditRow]:
        return list(self._log.rows())

    def verify(self) -> AuditReport:
        report = AuditReport()
        prev = GENESIS
        expected_seq = 1
        for row in self._log.rows():
            report.entries += 1
            if row.seq != expected_seq:
                report.problems.append(f"entry {expected_seq} is missing (next entry is {row.seq})")
            data = prev + _entry_bytes(row.seq, row.at, row.event, row.detail)
            if not mac_matches(self._key, data, row.mac):
                report.problems.append(
                    f"entry {row.seq} ({row.event}) was altered or is out of place"
                )
            prev = row.mac
            expected_seq = row.seq + 1
        return report
