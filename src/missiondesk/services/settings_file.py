"""`settings.json` beside the vault folder: reading, writing, and the theme read early.

The model itself is `services/settings.py` (pydantic); this module loads it only when the
settings are read or written, so the first dialog can be themed before pydantic has loaded.
"""

from __future__ import annotations

import json
import logging
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

from missiondesk.domain.errors import Unavailable
from missiondesk.store.atomic import write_atomically

if TYPE_CHECKING:
    from missiondesk.services.settings import Settings

log = logging.getLogger(__name__)
FILE_NAME = "settings.json"


class Theme(StrEnum):
    SYSTEM = "system"
    LIGHT = "light"
    DARK = "dark"


class SettingsStore:
    """Reads and writes `settings.json` in one folder; `problem` says why defaults were used."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / FILE_NAME
        self.problem = ""

    def peek_theme(self) -> Theme:
        """The theme alone, without loading the settings model: the first dialog is drawn in
        it before the rest of the app has loaded. Whatever `load` would refuse gives SYSTEM."""
        try:
            data = json.loads(self.path.read_text("utf-8"))
            return Theme(data["theme"]) if isinstance(data, dict) else Theme.SYSTEM
        except (OSError, ValueError, KeyError, TypeError):
            return Theme.SYSTEM

    def load(self) -> Settings:
        from pydantic import ValidationError

        from missiondesk.services.settings import Settings, upgrade

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
        from missiondesk.services.settings import Settings

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
