"""Process-wide safety at start-up: no core dumps, no third-party validation plugins, and logs
that never carry mission content.

Log records name events and error types. Exception messages are left out of the log file because
they can quote user input; tracebacks keep their frames (file, line, function) only.
"""

from __future__ import annotations

import contextlib
import logging
import os
import traceback
from pathlib import Path
from typing import Any


def disable_core_dumps() -> None:
    """A core dump of an unlocked app would hold decrypted pages and keys."""
    with contextlib.suppress(ImportError, ValueError, OSError):
        import resource

        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def refuse_validation_plugins() -> None:
    """pydantic loads any installed package that declares a `pydantic` plugin entry point and
    hands it every value it validates: mission data. MissionDesk uses none, so none load. (It
    also spares the scan of every installed package's metadata at the first validation.)"""
    os.environ["PYDANTIC_DISABLE_PLUGINS"] = "__all__"


LOG_MAX_BYTES = 1_000_000
LOG_BACKUPS = 3


class SizeCappedLog(logging.FileHandler):
    """The log file, turned over to `.1` (then `.2`, `.3`; the oldest dropped) before a record
    would take it past `max_bytes`: what logging.handlers.RotatingFileHandler does by size, but
    without that module, which loads socket and pickle (~10-15 ms before the unlock dialog)."""

    def __init__(
        self, path: Path, max_bytes: int = LOG_MAX_BYTES, backups: int = LOG_BACKUPS
    ) -> None:
        super().__init__(path, mode="a", encoding="utf-8")
        self.max_bytes = max_bytes
        self.backups = backups

    def emit(self, record: logging.LogRecord) -> None:
        try:
            if self.stream is not None and self.stream.tell() > 0:
                size = len(self.format(record).encode("utf-8", "replace")) + 1
                if self.stream.tell() + size > self.max_bytes:
                    self._turn_over()
        except Exception:  # noqa: BLE001 - as logging's handlers do: never raise from a log call
            self.handleError(record)
            return
        super().emit(record)

    def _turn_over(self) -> None:
        """Called with the handler's lock held (Handler.handle takes it around emit)."""
        if self.stream is not None:
            self.stream.close()
            self.stream = None
        base = Path(self.baseFilename)
        for n in range(self.backups - 1, 0, -1):
            older = base.with_name(f"{base.name}.{n}")
            if older.exists():
                os.replace(older, base.with_name(f"{base.name}.{n + 1}"))
        if base.exists():
            os.replace(base, base.with_name(f"{base.name}.1"))
        self.stream = self._open()


class RedactingFormatter(logging.Formatter):
    """Keeps the frames of a traceback but drops the exception's message text."""

    def formatException(self, ei: Any) -> str:
        exc_type, _exc, tb = ei
        frames = "".join(traceback.format_tb(tb))
        return f"Traceback (most recent call last):\n{frames}{exc_type.__name__}: <redacted>"


def configure_logging(log_dir: Path | None, verbose: bool = False) -> None:
    root = logging.getLogger()
    root.handlers.clear()
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    console = logging.StreamHandler()
    console.setLevel(logging.DEBUG if verbose else logging.WARNING)
    console.setFormatter(RedactingFormatter("missiondesk: %(levelname)s: %(message)s"))
    root.addHandler(console)
    if log_dir is not None:
        log_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        handler = SizeCappedLog(log_dir / "missiondesk.log")
        handler.setFormatter(RedactingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        root.addHandler(handler)
