"""What the main window needs besides the session: settings, file choosers, the theme switch.

Its own module so the start-up path can make one before the main window's code is loaded.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from missiondesk.services.settings_file import SettingsStore, Theme
from missiondesk.ui.choosers import FilesChooser, PathChooser, ask_for_files, ask_for_path

if TYPE_CHECKING:
    from missiondesk.services.settings import Settings


def default_settings() -> Settings:
    from missiondesk.services.settings import Settings  # pydantic: loaded when first needed

    return Settings()


class WindowOptions:
    """What the window needs besides the session; tests replace the file choosers. (A plain
    class: made before the first dialog, where a dataclass would cost ~1 ms to create.)"""

    def __init__(
        self,
        settings_store: SettingsStore | None = None,
        choose_files: FilesChooser = ask_for_files,
        choose_save_path: PathChooser = ask_for_path,
        apply_theme: Callable[[Theme], None] | None = None,
        early_theme: Theme | None = None,
    ) -> None:
        """`early_theme`: the theme settings.json names, read before pydantic."""
        self.settings_store = settings_store
        self.choose_files = choose_files
        self.choose_save_path = choose_save_path
        self.apply_theme = apply_theme
        self.early_theme = early_theme
        self._settings: Settings | None = None
        self._waiting: list[Callable[[], None]] = []

    @property
    def settings(self) -> Settings:
        """The settings in force: the defaults until AppFlow gives it the loaded ones (it
        reads them once the first screen is up: until then, `theme` and `when_settings`)."""
        if self._settings is None:
            self.settings = default_settings()
        assert self._settings is not None
        return self._settings

    @settings.setter
    def settings(self, value: Settings) -> None:
        self._settings = value
        waiting, self._waiting = self._waiting, []
        for then in waiting:
            then()

    @property
    def theme(self) -> Theme:
        """The theme in force, without loading the settings model: before the settings are in
        force, the one settings.json names (`early_theme`)."""
        if self._settings is not None:
            return self._settings.theme
        return self.early_theme or Theme.SYSTEM

    def when_settings(self, then: Callable[[], None]) -> None:
        """Call `then` once the settings are in force: now if they are (`forget` takes it
        back: a window locked before then)."""
        if self._settings is not None:
            then()
        else:
            self._waiting.append(then)

    def forget(self, then: Callable[[], None]) -> None:
        if then in self._waiting:
            self._waiting.remove(then)
