"""The app's settings: one versioned pydantic model, kept as JSON beside the vault folder.

Settings hold no mission data (they are read before the vault is unlocked): idle time before
auto-lock, theme, which traffic raises a desktop notification, whether to serve peers on the
network while unlocked. A file that is missing, unreadable or invalid never stops the app: the
defaults apply and the problem is reported once. Older versions are upgraded step by step.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from missiondesk.services.settings_file import FILE_NAME, SettingsStore, Theme

CURRENT_VERSION = 1


class Settings(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True, defer_build=True)

    version: int = CURRENT_VERSION
    auto_lock_minutes: int = Field(default=10, ge=1, le=240)
    theme: Theme = Theme.SYSTEM
    notify_flash: bool = True
    notify_immediate: bool = True
    # Serve peers on this HOST:PORT while the vault is unlocked ("" = do not serve).
    sync_listen: str = Field(default="", max_length=100)
    sync_timeout_seconds: int = Field(default=30, ge=5, le=600)


# version N -> a function turning a version-N document into a version-N+1 document
UPGRADES: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {}


def upgrade(data: dict[str, Any]) -> dict[str, Any]:
    version = data.get("version", 1)
    if not isinstance(version, int) or version < 1:
        raise ValueError("no valid version")
    while version < CURRENT_VERSION:
        data = {**UPGRADES[version](data), "version": version + 1}
        version += 1
    return {**data, "version": CURRENT_VERSION}


__all__ = ["CURRENT_VERSION", "FILE_NAME", "Settings", "SettingsStore", "Theme", "upgrade"]
