"""Atomic file writes: a private temp file beside the target, fsync, then replace."""

from __future__ import annotations

import contextlib
import errno
import os
from pathlib import Path

from missiondesk.domain.errors import InvalidInput
from missiondesk.store.errors import StorageFull

_NOT_A_PLACE = (errno.ENOENT, errno.ENOTDIR, errno.EISDIR, errno.ENAMETOOLONG)


def fsync_directory(directory: Path) -> None:
    if os.name != "posix":
        return
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_atomically(path: Path, data: bytes) -> None:
    """Replace `path` with `data` so that a crash leaves either the old or the new file, never half.

    The temp file is created with mode 0600 before a single byte is written.
    """
    existed = path.is_file()  # a folder there is no previous file
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    try:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        fd = os.open(tmp, flags, 0o600)
        try:
            view = memoryview(data)
            while view:
                written = os.write(fd, view)
                view = view[written:]
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
        fsync_directory(path.parent)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        kept = " The previous file is unchanged." if existed else ""
        message = f"Could not write {path}: {exc.strerror or exc}.{kept}"
        if exc.errno in _NOT_A_PLACE:  # where it was told to write is no place for a file
            raise InvalidInput(message) from exc
        raise StorageFull(message) from exc
