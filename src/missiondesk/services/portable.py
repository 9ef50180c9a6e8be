"""Portable mode: MissionDesk run from a folder (a USB stick) with its data beside it, leaving
nothing on the host.

The app is portable when `--portable DIR` or `MISSIONDESK_PORTABLE=DIR` names the data folder,
or, for a built bundle, when a marker file `missiondesk-portable` or a folder `MissionDesk-data`
sits beside the executable (for a macOS app: beside `MissionDesk.app`); the data folder is then
that `MissionDesk-data`. It holds the vault, settings.json, the window state and the logs, and
everything Qt, fontconfig, GTK, Mesa and Python would otherwise write into the host's home
folder or temporary folder (docs/installers.md, "Portable mode").

`enter()` runs first thing in `cli.main`, before Qt or anything heavy is loaded: the libraries
read these environment variables when they start. Standard library only.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path

from missiondesk.domain.errors import Unavailable

MARKER = "missiondesk-portable"
DATA_FOLDER = "MissionDesk-data"
ENVIRONMENT = "MISSIONDESK_PORTABLE"
HOST_FOLDER = "host"  # in the data folder: what would otherwise land in the host's home
TEMP_FOLDER = "tmp"


def app_folder(executable: Path, frozen: bool) -> Path | None:
    """The folder the marker is looked for in: the bundle's folder (beside the executable), or
    the folder holding a macOS `.app`. None when not running from a bundle (a checkout)."""
    if not frozen:
        return None
    folder = executable.resolve().parent
    contents = folder.parent
    if folder.name == "MacOS" and contents.name == "Contents" and contents.parent.suffix == ".app":
        return contents.parent.parent
    return folder


def portable_data_dir(
    explicit: str | None,
    environ: Mapping[str, str],
    executable: Path,
    frozen: bool,
) -> Path | None:
    """The portable data folder, or None when the app is installed (not portable).

    `--portable DIR` wins, then MISSIONDESK_PORTABLE, then the marker beside the bundle."""
    chosen = explicit or environ.get(ENVIRONMENT)
    if chosen:
        return Path(chosen).expanduser().resolve()
    folder = app_folder(executable, frozen)
    if folder is not None and ((folder / MARKER).is_file() or (folder / DATA_FOLDER).is_dir()):
        return folder / DATA_FOLDER
    return None


def host_environment(data_dir: Path, platform: str) -> dict[str, str]:
    """The environment that sends what the libraries write for the user into `data_dir`.

    XDG folders: Qt's QStandardPaths and its file dialog's QtProject.conf, fontconfig's cache,
    GTK's recently-used.xbel, Mesa's shader cache. NVIDIA's driver caches in ~/.nv unless told
    not to. The temporary folder is the data folder's `tmp`. Windows: APPDATA and LOCALAPPDATA
    for what reads them (Qt and the shell ask Windows itself, see docs/installers.md)."""
    host = data_dir / HOST_FOLDER
    temp = str(data_dir / TEMP_FOLDER)
    environment = {
        ENVIRONMENT: str(data_dir),  # a process started from this one is portable too
        "XDG_CONFIG_HOME": str(host / "config"),
        "XDG_CACHE_HOME": str(host / "cache"),
        "XDG_DATA_HOME": str(host / "data"),
        "XDG_STATE_HOME": str(host / "state"),
        "QT_DISABLE_SHADER_DISK_CACHE": "1",
        "__GL_SHADER_DISK_CACHE": "0",
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    if platform == "win32":
        environment |= {
            "APPDATA": str(host / "AppData" / "Roaming"),
            "LOCALAPPDATA": str(host / "AppData" / "Local"),
            "TEMP": temp,
            "TMP": temp,
        }
    else:
        environment["TMPDIR"] = temp
    return environment


def enter(data_dir: Path) -> None:
    """Make the data folder and its host folders, and point this process's environment at them.

    Raises Unavailable (exit 5) with one sentence when the folder cannot be made or written."""
    environment = host_environment(data_dir, sys.platform)
    folders = [data_dir, data_dir / TEMP_FOLDER]
    folders += [Path(environment[name]) for name in environment if name.endswith("_HOME")]
    folders += [
        Path(environment[name]) for name in ("APPDATA", "LOCALAPPDATA") if name in environment
    ]
    try:
        for folder in folders:
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not os.access(data_dir, os.W_OK):
            raise PermissionError(13, "Permission denied")
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise Unavailable(
            f"The portable data folder {data_dir} cannot be used ({reason})."
        ) from None
    os.environ.update(environment)
    # The host's MISSIONDESK_VAULT names a vault on the host: the one beside the app is used
    # instead (unless --vault names another).
    os.environ.pop("MISSIONDESK_VAULT", None)
    sys.dont_write_bytecode = True
    if "tempfile" in sys.modules:  # loaded already: it caches the folder it found first
        import tempfile

        tempfile.tempdir = None
