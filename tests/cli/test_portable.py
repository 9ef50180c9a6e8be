"""Portable mode: the app run from a stick keeps its vault, settings, logs and every file the
libraries write beside it, and leaves the host's home folder as it found it.

The end-to-end tests run the real command line and the real desktop start path in
subprocesses whose HOME, XDG folders and temporary folder are an empty "host"."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from missiondesk.cli import portable_option
from missiondesk.domain.errors import Unavailable, UsageError
from missiondesk.services.portable import (
    DATA_FOLDER,
    MARKER,
    app_folder,
    enter,
    host_environment,
    portable_data_dir,
)

SRC = Path(__file__).resolve().parents[2] / "src"
PASS = "field passphrase 42"


@pytest.mark.parametrize(
    ("argv", "portable", "rest"),
    [
        ([], None, []),
        (["--portable", "/s"], "/s", []),
        (["--portable=/s", "status"], "/s", ["status"]),
        (["--vault", "/v", "--portable", "/s", "init"], "/s", ["--vault", "/v", "init"]),
        (["--debug", "--portable", "/s", "--self-test"], "/s", ["--debug", "--self-test"]),
        (["--self-test", "--portable", "/s"], "/s", ["--self-test"]),
        # After the command it is the command's argument, not ours.
        (["search", "--portable", "/s"], None, ["search", "--portable", "/s"]),
    ],
)
def test_portable_is_read_among_the_global_options(
    argv: list[str], portable: str | None, rest: list[str]
):
    assert portable_option(argv) == (portable, rest)


@pytest.mark.parametrize("argv", [["--portable"], ["--portable="], ["--portable", "--debug"]])
def test_portable_without_a_folder_is_a_usage_error(argv: list[str]):
    with pytest.raises(UsageError, match="--portable needs a folder"):
        portable_option(argv)


def test_the_flag_wins_then_the_environment_then_the_marker(tmp_path: Path):
    bundle = tmp_path / "MissionDesk"
    bundle.mkdir()
    exe = bundle / "missiondesk"
    exe.touch()
    env = {"MISSIONDESK_PORTABLE": str(tmp_path / "from-env")}
    assert portable_data_dir(None, {}, exe, frozen=True) is None  # installed: not portable
    (bundle / MARKER).touch()
    assert portable_data_dir(None, {}, exe, frozen=True) == bundle / DATA_FOLDER
    assert portable_data_dir(None, env, exe, frozen=True) == tmp_path / "from-env"
    assert portable_data_dir(str(tmp_path / "flag"), env, exe, frozen=True) == tmp_path / "flag"


def test_the_marker_counts_only_for_a_bundle(tmp_path: Path):
    """From a checkout, sys.executable is the venv's python: a marker there means nothing."""
    (tmp_path / MARKER).touch()
    assert portable_data_dir(None, {}, tmp_path / "python", frozen=False) is None


def test_a_data_folder_beside_the_bundle_is_a_marker_too(tmp_path: Path):
    (tmp_path / DATA_FOLDER).mkdir()
    assert portable_data_dir(None, {}, tmp_path / "missiondesk", frozen=True) == (
        tmp_path / DATA_FOLDER
    )


def test_a_macos_app_looks_beside_the_app(tmp_path: Path):
    macos = tmp_path / "MissionDesk.app" / "Contents" / "MacOS"
    macos.mkdir(parents=True)
    assert app_folder(macos / "missiondesk", frozen=True) == tmp_path
    (tmp_path / MARKER).touch()
    assert portable_data_dir(None, {}, macos / "missiondesk", frozen=True) == (
        tmp_path / DATA_FOLDER
    )


@pytest.mark.parametrize("platform", ["linux", "darwin", "win32"])
def test_everything_the_libraries_write_points_into_the_data_folder(tmp_path: Path, platform: str):
    environment = host_environment(tmp_path, platform)
    paths = {name: value for name, value in environment.items() if os.sep in value}
    for name in ("XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME"):
        assert name in paths
    temp = ("TEMP", "TMP") if platform == "win32" else ("TMPDIR",)
    assert all(name in paths for name in temp)
    assert ("APPDATA" in paths) is (platform == "win32")
    assert all(Path(value).is_relative_to(tmp_path) for value in paths.values())
    assert environment["PYTHONDONTWRITEBYTECODE"] == "1"
    assert environment["QT_DISABLE_SHADER_DISK_CACHE"] == "1"


def test_a_data_folder_that_cannot_be_made_is_one_sentence(tmp_path: Path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(Unavailable, match=r"^The portable data folder .* cannot be used \("):
        enter(blocker / "MissionDesk-data")


# --- end to end, in subprocesses -------------------------------------------------------------


def host_environ(host: Path, **extra: str) -> dict[str, str]:
    """An environment whose every per-user folder is inside `host` (an empty home)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MISSIONDESK_", "XDG_"))}
    env.pop("QT_QPA_PLATFORM", None)
    env |= {
        "HOME": str(host / "home"),
        "XDG_CONFIG_HOME": str(host / "home" / ".config"),
        "XDG_CACHE_HOME": str(host / "home" / ".cache"),
        "XDG_DATA_HOME": str(host / "home" / ".local" / "share"),
        "XDG_STATE_HOME": str(host / "home" / ".local" / "state"),
        "TMPDIR": str(host / "tmp"),
        "PYTHONPATH": str(SRC),
        "MISSIONDESK_PASSPHRASE": PASS,
        **extra,
    }
    (host / "home").mkdir(parents=True, exist_ok=True)
    (host / "tmp").mkdir(exist_ok=True)
    return env


def cli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [sys.executable, "-m", "missiondesk", *args],
        env=env, capture_output=True, text=True, timeout=120, input="",
    )  # fmt: skip
    assert "Traceback" not in done.stderr, done.stderr
    return done


def everything_in(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


@pytest.mark.slow
def test_the_command_line_from_a_stick_leaves_the_host_untouched(tmp_path: Path):
    host, stick = tmp_path / "host", tmp_path / "stick" / DATA_FOLDER
    env = host_environ(host)
    done = cli(env, "--portable", str(stick), "init", "--name", "Anna Berg", "--callsign", "A-1")
    assert done.returncode == 0, done.stderr
    assert "Device fingerprint" in done.stdout
    sent = cli(env, "--portable", str(stick), "message", "send", "--channel", "general",
               "--text", "from the stick")  # fmt: skip
    assert sent.returncode == 0, sent.stderr
    # The environment variable works like the flag.
    listed = cli({**env, "MISSIONDESK_PORTABLE": str(stick)}, "message", "list", "--json")
    assert listed.returncode == 0, listed.stderr
    assert "from the stick" in listed.stdout
    status = cli(env, "--portable", str(stick), "status")
    assert str(stick / "vault") in status.stdout
    tested = cli(env, "--portable", str(stick), "--self-test")
    assert tested.returncode == 0, tested.stderr
    assert tested.stdout.startswith("MissionDesk ") and " self-test: ok " in tested.stdout

    assert everything_in(host) == ["home", "tmp"]  # nothing in the home or the temp folder
    assert (stick / "vault").is_dir() and any((stick / "vault").iterdir())
    assert everything_in(stick / "tmp") == []  # the self-test's vault went from the stick too
    assert (stick / "host" / "config").is_dir()


@pytest.mark.slow
def test_the_host_is_watched_for_real(tmp_path: Path):
    """The same harness without portable mode: the vault lands in the host's data folder, so
    an empty host in the test above means portable mode kept it clean."""
    host = tmp_path / "host"
    env = host_environ(host)
    done = cli(env, "init", "--name", "Anna Berg")
    assert done.returncode == 0, done.stderr
    assert "home/.local/share/MissionDesk/vault" in everything_in(host)


# The real start path (cli.main -> run_app -> ui.application.run), offscreen: once the first
# dialog is up, report what it shows, open and cancel the app's file chooser (Qt's file dialog
# would record the folders it visited in QtProject.conf under XDG_CONFIG_HOME when it closes),
# then cancel the dialog, which ends the app.
GUI_PROBE = textwrap.dedent(
    """
    import sys
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QFileDialog
    import missiondesk.ui.application as application
    from missiondesk import cli
    from missiondesk.ui.choosers import ask_for_files

    real_start = application.AppFlow.start

    def cancel_the_file_dialog():
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, QFileDialog) and widget.isVisible():
                widget.reject()
                return
        QTimer.singleShot(20, cancel_the_file_dialog)

    def start(flow):
        real_start(flow)
        def report():
            no_native = QApplication.testAttribute(
                application.Qt.ApplicationAttribute.AA_DontUseNativeDialogs
            )
            print(type(flow.dialog).__name__, flow.dialog.folder_label.text(), no_native)
            QTimer.singleShot(20, cancel_the_file_dialog)
            print(len(ask_for_files(flow.dialog)))
            flow.dialog.reject()
        QTimer.singleShot(0, report)

    application.AppFlow.start = start
    sys.exit(cli.main(sys.argv[1:]))
    """
)


@pytest.mark.slow
def test_the_desktop_app_from_a_stick_offers_the_sticks_vault(tmp_path: Path):
    host, stick = tmp_path / "host", tmp_path / "stick" / DATA_FOLDER
    env = host_environ(host, QT_QPA_PLATFORM="offscreen")
    env.pop("MISSIONDESK_PASSPHRASE")
    done = subprocess.run(
        [sys.executable, "-c", GUI_PROBE, "--portable", str(stick)],
        env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["FirstRunDialog", str(stick / "vault"), "True", "0"]
    assert (stick / "logs" / "missiondesk.log").is_file()
    assert "QtProject.conf" not in " ".join(everything_in(stick.parent))  # no folders recorded
    assert everything_in(host) == ["home", "tmp"]


@pytest.mark.slow
def test_the_installed_desktop_app_keeps_native_dialogs(tmp_path: Path):
    host = tmp_path / "host"
    env = host_environ(host, QT_QPA_PLATFORM="offscreen")
    done = subprocess.run(
        [sys.executable, "-c", GUI_PROBE], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    vault = host / "home" / ".local" / "share" / "MissionDesk" / "vault"
    assert done.stdout.split() == ["FirstRunDialog", str(vault), "False", "0"]
    # The logs land in the host's home (what portable mode keeps off it); the file dialog's
    # history of folders lands nowhere.
    assert (host / "home" / ".local" / "share" / "MissionDesk" / "logs").is_dir()
    assert "QtProject.conf" not in " ".join(everything_in(host))


MAKE_PORTABLE = Path(__file__).resolve().parents[2] / "installers" / "make_portable.sh"


def stand_in_bundle(folder: Path, version: str) -> Path:
    """A folder shaped like dist/missiondesk/ whose executable only says its version."""
    (folder / "_internal").mkdir(parents=True)
    (folder / "_internal" / "lib.so").write_text(version)
    exe = folder / "missiondesk"
    exe.write_text(f"#!/bin/sh\necho 'MissionDesk {version}'\n")
    exe.chmod(0o755)
    return folder


def make_portable(dest: Path, bundle: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", str(MAKE_PORTABLE), str(dest), str(bundle)],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip


def test_make_portable_lays_out_the_stick_and_keeps_the_data_on_update(tmp_path: Path):
    stick = tmp_path / "stick"
    done = make_portable(stick, stand_in_bundle(tmp_path / "v1", "0.1.0"))
    assert done.returncode == 0, done.stderr
    app = stick / "MissionDesk"
    assert sorted(p.name for p in app.iterdir()) == [
        "MissionDesk-data", "README-portable.txt", "_internal", "missiondesk", MARKER,
    ]  # fmt: skip
    assert "MissionDesk 0.1.0 - portable" in (app / "README-portable.txt").read_text()
    # The app's own marker check finds it, as the bundle's executable would.
    assert portable_data_dir(None, {}, app / "missiondesk", frozen=True) == app / DATA_FOLDER
    (app / DATA_FOLDER / "vault").mkdir()
    (app / DATA_FOLDER / "vault" / "vault.db").write_text("encrypted")

    done = make_portable(stick, stand_in_bundle(tmp_path / "v2", "0.2.0"))
    assert done.returncode == 0, done.stderr
    assert (app / "_internal" / "lib.so").read_text() == "0.2.0"  # the app was replaced
    assert (app / DATA_FOLDER / "vault" / "vault.db").read_text() == "encrypted"  # data kept


def test_make_portable_leaves_a_foreign_folder_alone(tmp_path: Path):
    (tmp_path / "stick" / "MissionDesk").mkdir(parents=True)
    (tmp_path / "stick" / "MissionDesk" / "notes.txt").write_text("mine")
    done = make_portable(tmp_path / "stick", stand_in_bundle(tmp_path / "v1", "0.1.0"))
    assert done.returncode == 1
    assert "is not a portable MissionDesk folder: not touched" in done.stderr
    assert [p.name for p in (tmp_path / "stick" / "MissionDesk").iterdir()] == ["notes.txt"]
