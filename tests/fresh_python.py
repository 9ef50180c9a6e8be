"""Run a snippet in a fresh interpreter (nothing of the test process loaded): for what a
start-up loads and in which order."""

from __future__ import annotations

import os
import subprocess
import sys


def run_fresh(code: str, *args: str, env: dict[str, str] | None = None) -> str:
    """What `code` prints, with Qt offscreen and `env` over this environment; it must exit 0."""
    done = subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen", **(env or {})},
    )
    assert done.returncode == 0, done.stderr
    return done.stdout
