"""What the main window needs besides the session: settings, file choosers, the theme switch.

Its own module so the start-up path can make one before the main window's code is loaded.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from missiondesk.services.settings_file import SettingsStore, Theme
from missiondesk.ui.choosers import FilesChooser, PathChooser, ask_for_files, ask_for_path

if TYPE_CHECKING:
    from missiondesk.services.settings import Settings


def default_settings() -> Settings:
    from missiondesk.services.settings import Settings  # pydantic: loaded when first needed

    return Settings()


@dataclass
class WindowOptions:
    """What the window needs besides the session; tests replace the file choosers."""

    settings_store: SettingsStore | None = None
    choose_files: FilesChooser = ask_for_files
    choose_save_path: PathChooser = ask_for_path
    apply_theme: Callable[[Theme], None] | None = None
    _settings: Settings | None = field(default=None, repr=False)

    @property
    def settings(self) -> Settings:
        """The settings in force: the defaults until AppFlow gives it the loaded ones."""
        if self._settings is None:
            self._settings = default_settings()
        return self._settings

    @settings.setter
    def settings(self, value: Settings) -> None:
        self._settings = value
