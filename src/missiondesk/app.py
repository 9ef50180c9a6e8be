"""Composition root of the desktop app: paths -> unlock -> session -> main window."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from missiondesk.domain.errors import Unavailable

NO_DISPLAY = (
    "No desktop display was found, so the MissionDesk window cannot open. Start it from a "
    "desktop session, or use the command line (missiondesk --help)."
)


def require_display() -> None:
    """Qt aborts the process (no message an officer can act on) when it finds no display."""
    if not sys.platform.startswith("linux") or os.environ.get("QT_QPA_PLATFORM"):
        return
    if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        raise Unavailable(NO_DISPLAY)


def run_app(vault_dir: Path, data_dir: Path, *, portable: bool = False) -> int:
    """Start Qt and show the first-run or unlock dialog, then the main window.

    `portable`: the app runs from a stick (services/portable.py); its file dialogs are Qt's own,
    since the desktop's native ones (GTK, the XDG portal) keep a recent-files list on the host."""
    require_display()
    from missiondesk.ui.collector import pause

    pause()  # until the session's code has loaded (ui/collector.py)
    from missiondesk.ui.pyside_scan import spare_feature_support

    spare_feature_support()  # before the app's own Qt modules load
    from missiondesk.diagnostics import configure_logging

    configure_logging(data_dir / "logs")
    from missiondesk.ui.application import run

    return int(run(vault_dir, data_dir, native_dialogs=not portable))
