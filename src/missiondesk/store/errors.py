"""Storage failures, each worded for the officer who meets it."""

from __future__ import annotations

from missiondesk.domain.errors import AccessDenied, InvalidInput, Unavailable


class VaultNotFound(Unavailable):
    pass


class VaultCorrupt(Unavailable):
    pass


class VaultInUse(AccessDenied):
    pass


class StorageFull(Unavailable):
    pass


class MigrationFailed(Unavailable):
    """Bringing an older vault up to this version failed; the vault and its backup are kept."""


class DriveError(Unavailable):
    """The drive under the vault failed it (an I/O error), as opposed to damaged content."""


class ChainError(InvalidInput):
    """An operation that does not continue its author's chain (a gap or a broken link)."""


class Equivocation(InvalidInput):
    """Two different operations signed by one device with the same sequence number."""
