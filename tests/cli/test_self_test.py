"""`missiondesk --self-test` in a subprocess: one line and exit 0, or the failed step named;
its temporary folder is removed either way."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow
SRC = Path(__file__).resolve().parents[2] / "src"


def self_test(tmp: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {**os.environ, "TMPDIR": str(tmp), "PYTHONPATH": str(SRC), **env}
    environ.pop("QT_QPA_PLATFORM", None)  # the self-test chooses offscreen itself
    environ.update(env)
    return subprocess.run(
        [sys.executable, "-m", "missiondesk", "--self-test", *args],
        capture_output=True, text=True, timeout=120, env=environ,
    )  # fmt: skip


def test_passes_with_one_line_and_leaves_nothing(tmp_path: Path):
    home, temp = tmp_path / "home", tmp_path / "tmp"
    home.mkdir()
    temp.mkdir()
    done = self_test(temp, HOME=str(home), XDG_DATA_HOME="", XDG_CONFIG_HOME="")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert len(lines) == 1
    assert re.fullmatch(
        r"MissionDesk \d+\.\d+\.\d+ self-test: ok \(resources, vault, cipher, signatures, "
        r"sealing, Qt offscreen, main window, no plaintext on disk\) in \d+\.\d s",
        lines[0],
    ), lines[0]
    assert done.stderr == ""
    assert list(temp.iterdir()) == []  # the temporary vault is gone
    assert list(home.iterdir()) == []  # no settings, no logs, no data folder


def test_a_missing_resource_names_the_step(tmp_path: Path):
    empty = tmp_path / "no-resources"
    empty.mkdir()
    done = self_test(tmp_path, MISSIONDESK_RESOURCES=str(empty))
    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr.startswith("self-test FAILED at resources: the resource ")
    assert "Traceback" not in done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["no-resources"]


def test_a_qt_platform_that_is_not_installed_fails_without_aborting(tmp_path: Path):
    done = self_test(tmp_path, QT_QPA_PLATFORM="no-such-platform")
    assert done.returncode == 1
    assert done.stderr.startswith(
        "self-test FAILED at Qt: no Qt platform plugin for 'no-such-platform'"
    )
    assert list(tmp_path.iterdir()) == []


def test_a_platform_that_needs_a_display_without_one(tmp_path: Path):
    environ = {"QT_QPA_PLATFORM": "xcb", "DISPLAY": "", "WAYLAND_DISPLAY": ""}
    done = self_test(tmp_path, **environ)
    assert done.returncode == 1
    assert "self-test FAILED at Qt: the Qt platform 'xcb' needs a display" in done.stderr


def test_self_test_takes_no_command(tmp_path: Path):
    done = subprocess.run(
        [sys.executable, "-m", "missiondesk", "--self-test", "search", "x"],
        capture_output=True, text=True, timeout=60,
        env={**os.environ, "PYTHONPATH": str(SRC), "TMPDIR": str(tmp_path)},
    )  # fmt: skip
    assert done.returncode == 2
    assert "--self-test runs alone" in done.stderr


def test_a_section_whose_code_fails_to_load_fails_the_main_window(tmp_path: Path):
    """What a bundle missing a module looks like: the section's import raises in a slot."""
    broken = tmp_path / "broken"
    (broken / "pyqtgraph").mkdir(parents=True)
    (broken / "pyqtgraph" / "__init__.py").write_text(
        "raise ModuleNotFoundError(\"No module named 'PySide6.QtOpenGL'\")\n"
    )
    done = self_test(tmp_path, PYTHONPATH=f"{broken}{os.pathsep}{SRC}")
    assert done.returncode == 1
    assert done.stderr.startswith(
        "self-test FAILED at main window: the window raised ModuleNotFoundError: "
        "No module named 'PySide6.QtOpenGL'"
    ), done.stderr
    assert "Traceback" not in done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["broken"]
