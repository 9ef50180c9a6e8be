"""The settings file: defaults when missing or damaged (with a reason), values validated,
saved atomically, and no mission data in it."""

from __future__ import annotations

import json
from pathlib import Path

from missiondesk.services.settings import CURRENT_VERSION, Settings, SettingsStore, Theme


def test_missing_file_gives_the_defaults(tmp_path: Path):
    store = SettingsStore(tmp_path)
    assert store.load() == Settings()
    assert Settings().auto_lock_minutes == 10
    assert store.problem == ""


def test_saved_settings_come_back(tmp_path: Path):
    store = SettingsStore(tmp_path / "new")
    chosen = Settings(auto_lock_minutes=3, theme=Theme.DARK, notify_immediate=False)
    store.save(chosen)
    assert SettingsStore(tmp_path / "new").load() == chosen
    data = json.loads((tmp_path / "new" / "settings.json").read_text())
    assert data["version"] == CURRENT_VERSION
    assert (tmp_path / "new" / "settings.json").stat().st_mode & 0o077 == 0


def test_damaged_or_invalid_files_fall_back_with_a_reason(tmp_path: Path):
    path = tmp_path / "settings.json"
    for content in ("{not json", "[1, 2]", '{"auto_lock_minutes": 0}', '{"theme": "purple"}'):
        path.write_text(content)
        store = SettingsStore(tmp_path)
        assert store.load() == Settings()
        assert "defaults are used" in store.problem


def test_unknown_keys_of_a_newer_version_are_ignored(tmp_path: Path):
    (tmp_path / "settings.json").write_text(json.dumps({"auto_lock_minutes": 5, "future": 1}))
    assert SettingsStore(tmp_path).load().auto_lock_minutes == 5


def test_the_early_theme_is_read_without_the_model(tmp_path: Path):
    store = SettingsStore(tmp_path)
    assert store.peek_theme() is Theme.SYSTEM  # no file
    store.save(Settings(theme=Theme.DARK))
    assert store.peek_theme() is Theme.DARK
    for damaged in ("{not json", '["dark"]', '{"theme": "purple"}', '{"theme": 3}', "{}"):
        store.path.write_text(damaged)
        assert store.peek_theme() is Theme.SYSTEM, damaged
