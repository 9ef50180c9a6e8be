"""Process-wide safety at start-up: no core dumps, no third-party validation plugins, and logs
that never carry mission content.

Log records name events and error types. Exception messages are left out of the log file because
they can quote user input; tracebacks keep their frames (file, line, function) only.
"""

from __future__ import annotations

import contextlib
import logging
import logging.handlers
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
        handler = logging.handlers.RotatingFileHandler(
            log_dir / "missiondesk.log", maxBytes=1_000_000, backupCount=3, encoding="utf-8"
        )
        handler.setFormatter(RedactingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        root.addHandler(handler)
