"""The app's settings: one versioned pydantic model, kept as JSON beside the vault folder.

Settings hold no mission data (they are read before the vault is unlocked): idle time before
auto-lock, theme, which traffic raises a desktop notification, whether to serve peers on the
network while unlocked. A file that is missing, unreadable or invalid never stops the app: the
defaults apply and the problem is reported once. Older versions are upgraded step by step.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from missiondesk.domain.errors import Unavailable
from missiondesk.store.atomic import write_atomically

log = logging.getLogger(__name__)
CURRENT_VERSION = 1
FILE_NAME = "settings.json"


class Theme(StrEnum):
    SYSTEM = "system"
    LIGHT = "light"
    DARK = "dark"


class Settings(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)

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


class SettingsStore:
    """Reads and writes `settings.json` in one folder; `problem` says why defaults were used."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / FILE_NAME
        self.problem = ""

    def load(self) -> Settings:
        self.problem = ""
        try:
            raw = self.path.read_text("utf-8")
        except FileNotFoundError:
            return Settings()
        except OSError as exc:
            return self._defaults(f"cannot be read ({exc.strerror})")
        try:
            data = json.loads(raw)
            if not isinstance(data, dict):
                raise ValueError("not an object")
            return Settings.model_validate(upgrade(data))
        except (ValueError, ValidationError, KeyError):
            return self._defaults("is damaged or holds values this version does not accept")

    def _defaults(self, why: str) -> Settings:
        self.problem = f"The settings file {self.path} {why}; the defaults are used."
        log.warning("settings file unusable; defaults used")
        return Settings()

    def save(self, settings: Settings) -> None:
        """Write atomically; a failure raises an error with a plain message."""
        try:
            self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        except OSError as exc:
            raise Unavailable(f"The settings folder cannot be made ({exc.strerror}).") from exc
        write_atomically(self.path, settings.model_dump_json(indent=2).encode())
