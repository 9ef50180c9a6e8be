"""The app's icons, drawn from the SVG files in resources/icons (QtSvg renders them at any
scale, so they stay sharp on HiDPI screens). A missing file gives an empty icon, never a crash."""

from __future__ import annotations

from functools import cache

from PySide6.QtGui import QIcon

from missiondesk.resources import resource


@cache
def icon(name: str) -> QIcon:
    path = resource("icons", f"{name}.svg")
    return QIcon(str(path)) if path.is_file() else QIcon()
