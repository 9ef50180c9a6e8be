"""Where the files the app ships with live: icons, fonts, basemap data (`resources/`).

Looked up when first asked, never at import time: `MISSIONDESK_RESOURCES` if set, else the
folder a PyInstaller bundle unpacks, else `resources/` of the source tree.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path


def resources_dir() -> Path:
    explicit = os.environ.get("MISSIONDESK_RESOURCES")
    if explicit:
        return Path(explicit)
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parents[2] / "resources"


def resource(*parts: str) -> Path:
    return resources_dir().joinpath(*parts)
