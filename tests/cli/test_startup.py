"""The desktop start path: the unlock dialog needs Qt and little else, and the arguments that
open the desktop app are told apart from commands without loading the commands."""

from __future__ import annotations

import subprocess
import sys

import pytest

from missiondesk.cli import desktop_options


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        ([], (None, False)),
        (["--debug"], (None, True)),
        (["--vault", "/v"], ("/v", False)),
        (["--vault=/v", "--debug"], ("/v", True)),
        (["--debug", "--vault", "/v"], ("/v", True)),
    ],
)
def test_global_options_alone_open_the_desktop_app(argv: list[str], expected: object):
    assert desktop_options(argv) == expected


@pytest.mark.parametrize(
    "argv",
    [
        ["message", "list"],
        ["--vault", "/v", "init", "--name", "N"],
        ["--help"],
        ["-h"],
        ["--version"],
        ["--vault"],  # no value: the full parser says so
        ["--vault="],
        ["--vault", "--debug"],
        ["--bogus"],
    ],
)
def test_anything_else_goes_to_the_full_parser(argv: list[str]):
    assert desktop_options(argv) is None


def test_the_unlock_dialog_loads_without_the_services_or_pydantic():
    """What `missiondesk` loads before the unlock dialog is on screen. The services, pydantic,
    the vault and the sync engine load behind the dialog (ui.application.SESSION_CODE)."""
    probe = (
        "import sys\n"
        "import missiondesk.cli, missiondesk.app, missiondesk.ui.application\n"
        "from missiondesk.ui.unlock import UnlockDialog\n"
        "heavy = ('pydantic', 'sqlcipher3', 'cryptography', 'asyncio',\n"
        "         'missiondesk.services.session', 'missiondesk.ui.main_window',\n"
        "         'missiondesk.store.vault', 'missiondesk.commands')\n"
        "print(' '.join(name for name in heavy if name in sys.modules))\n"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    )
    assert loaded.stdout.strip() == ""
