"""One process at a time per vault: an advisory lock on a file in the vault folder."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from missiondesk.store.errors import VaultInUse


class VaultLock:
    """Held for as long as the vault is open; released on close or when the process ends."""

    def __init__(self, path: Path) -> None:
        self._path = path
        self._fd: int | None = None

    def acquire(self) -> None:
        fd = os.open(self._path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            _lock(fd)
        except OSError:
            os.close(fd)
            raise VaultInUse(
                "This vault is open in another MissionDesk window or process.",
                hint="close it there first",
            ) from None
        self._fd = fd

    def release(self) -> None:
        if self._fd is not None:
            try:
                _unlock(self._fd)
            finally:
                os.close(self._fd)
                self._fd = None

    @property
    def held(self) -> bool:
        return self._fd is not None


def check_free(path: Path) -> None:
    """Raise VaultInUse now if another process holds the lock: taken and given back at once
    (a probe, so an officer is told before typing a passphrase, not after)."""
    if path.exists():
        probe = VaultLock(path)
        probe.acquire()
        probe.release()


if sys.platform == "win32":  # pragma: no cover - exercised on Windows builds
    import msvcrt

    def _lock(fd: int) -> None:
        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)

    def _unlock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _lock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)
