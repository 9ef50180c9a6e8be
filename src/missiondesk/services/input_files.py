"""Reading a file the officer named (a bundle, a join request or approval): what the system
says about it, in words and with the exit code it deserves."""

from __future__ import annotations

import errno
from pathlib import Path

from missiondesk.domain.errors import InvalidInput, Unavailable

# No such file, a folder, a name too long: the name given is wrong (invalid input), whereas an
# unreadable file (permissions, a failing disk) is a fault of the place (unavailable).
_NOT_A_FILE = (errno.ENOENT, errno.ENOTDIR, errno.EISDIR, errno.ENAMETOOLONG)


def read_input_file(path: Path, *, limit: int, too_large: str) -> bytes:
    """The bytes of `path`; `too_large` is said when it holds more than `limit` bytes."""
    try:
        if path.is_dir():
            raise InvalidInput(f"{path} is a folder, not a file.")
        if path.stat().st_size > limit:
            raise InvalidInput(too_large)
        return path.read_bytes()
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        if exc.errno in _NOT_A_FILE:
            raise InvalidInput(f"Cannot read {path}: {reason}.") from None
        raise Unavailable(f"Cannot read {path}: {reason}.") from None
