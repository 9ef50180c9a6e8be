"""Composition root of the desktop app: paths -> unlock -> session -> main window."""

from __future__ import annotations

from pathlib import Path


def run_app(vault_dir: Path, data_dir: Path) -> int:
    """Start Qt and show the first-run or unlock dialog, then the main window."""
    from missiondesk.diagnostics import configure_logging

    configure_logging(data_dir / "logs")
    from missiondesk.ui.application import run

    return int(run(vault_dir, data_dir))
