"""The files carried between laptops to enroll one: the join request and the approval.

The command line and the desktop app read and write them the same way: a size limit on what is
read, atomic writes, and one plain sentence when a drive cannot be read or written.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

from missiondesk.domain.markings import Sensitivity
from missiondesk.domain.records.people import Role
from missiondesk.domain.trust import JoinRequest, Membership
from missiondesk.services.audit import AuditEvent, AuditService
from missiondesk.services.input_files import read_input_file
from missiondesk.services.mission import MissionService
from missiondesk.store.atomic import write_atomically

MAX_ENROLLMENT_FILE = 4 * 1024 * 1024


def read_enrollment_file(path: Path) -> bytes:
    return read_input_file(
        path,
        limit=MAX_ENROLLMENT_FILE,
        too_large=f"{path} is too large to be an enrollment file.",
    )


def write_carried_file(path: Path, data: bytes) -> None:
    """Write atomically (a pulled stick leaves the old file or the new one, never half).

    The content is not secret (public keys, certificates), and the officer at the other
    laptop, under another user id, must be able to read it from the stick: mode 0644.
    """
    write_atomically(path, data)
    with contextlib.suppress(OSError):  # file systems without modes (FAT sticks) refuse it
        path.chmod(0o644)


def write_join_request(mission: MissionService, path: Path) -> str:
    """Write this laptop's join request to `path`; the code both officers compare."""
    content, code = mission.request_enrollment()
    write_carried_file(path, content)
    return code


def read_join_request(path: Path) -> tuple[bytes, JoinRequest]:
    """A join request file and what it asks (checked: signed by the device it names)."""
    content = read_enrollment_file(path)
    return content, MissionService.read_request(content)


def approve_to_file(
    mission: MissionService,
    audit: AuditService,
    content: bytes,
    out: Path,
    *,
    role: Role,
    expect_code: str | None,
    clearance: Sensitivity = Sensitivity.CONFIDENTIAL,
    valid_days: int = 365,
) -> Membership:
    """Approve a join request (refused when `expect_code` differs from its code) and write
    the approval file."""
    approval, membership = mission.approve(
        content, role=role, clearance=clearance, valid_days=valid_days, expect_code=expect_code
    )
    audit.record(AuditEvent.EXPORTED, what="enrollment approval")
    write_carried_file(out, approval)
    return membership


def accept_approval_file(mission: MissionService, path: Path) -> Membership:
    return mission.accept(read_enrollment_file(path))
