"""The desktop start path: the unlock dialog needs Qt and little else, and the arguments that
open the desktop app are told apart from commands without loading the commands."""

from __future__ import annotations

from pathlib import Path

import pytest

from missiondesk.cli import data_dir, desktop_options
from missiondesk.crypto.keywrap import KdfParams
from missiondesk.services.vault_access import create_vault
from tests.fresh_python import run_fresh as probe

PASSPHRASE = "correct horse battery staple"


def make_vault(folder: Path, name: str, callsign: str = "", channels: tuple[str, ...] = ()) -> None:
    """A vault (light KDF) with `channels` beside general and one message in general."""
    kdf = KdfParams(memory_kib=8192, iterations=1, lanes=1)
    session = create_vault(folder, PASSPHRASE, name=name, callsign=callsign, kdf=kdf)
    try:
        for channel in channels:
            session.channels.create(channel, members=())
        session.messaging.send("general", "Patrol back at base")
    finally:
        session.close()


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


@pytest.mark.parametrize("xdg", [None, "", "  ", "/srv/field-data"])
def test_the_data_folder_is_where_platformdirs_puts_it(monkeypatch, xdg: str | None):
    """On Linux the data folder is found without loading platformdirs, and is the same."""
    import platformdirs

    if xdg is None:
        monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    else:
        monkeypatch.setenv("XDG_DATA_HOME", xdg)
    expected = Path(platformdirs.user_data_dir("MissionDesk", appauthor=False))
    assert data_dir() == expected
    assert data_dir(Path("/media/stick/MissionDesk-data")) == Path("/media/stick/MissionDesk-data")


def test_the_unlock_dialog_loads_without_the_services_or_pydantic():
    """What `missiondesk` loads before the unlock dialog is on screen. The services, pydantic,
    the vault and the sync engine load behind the dialog (ui.application.SESSION_CODE); the
    log file needs no logging.handlers (socket, pickle)."""
    code = (
        "import sys\n"
        "import missiondesk.cli, missiondesk.app, missiondesk.ui.application\n"
        "from missiondesk.ui.unlock import UnlockDialog\n"
        "import pathlib, tempfile\n"
        "from missiondesk.diagnostics import configure_logging\n"
        "configure_logging(pathlib.Path(tempfile.mkdtemp()))\n"
        "missiondesk.cli.data_dir()\n"
        "heavy = ('pydantic', 'sqlcipher3', 'cryptography', 'asyncio',\n"
        "         'missiondesk.services.session', 'missiondesk.ui.main_window',\n"
        "         'missiondesk.store.vault', 'missiondesk.commands', 'logging.handlers',\n"
        "         'socket', 'platformdirs')\n"
        "print(' '.join(name for name in heavy if name in sys.modules))\n"
    )
    assert probe(code).strip() == ""


def test_the_first_screen_after_unlock_loads_only_what_it_shows(tmp_path):
    """Behind the dialog the session's code loads, then the unlock reads the first screen
    (Messages). Sync, the other sections, the projections and their record models load when
    first used, not before the officer sees the messages."""
    make_vault(tmp_path / "v", "A")
    code = (
        "import sys\n"
        "import missiondesk.cli, missiondesk.app\n"
        "from missiondesk.ui.application import first_screen, load_session_code\n"
        "from missiondesk.ui.unlock import open_and_prefetch\n"
        "load_session_code()\n"
        "session, first = open_and_prefetch(sys.argv[1], 'correct horse battery staple',"
        " first_screen)\n"
        "views, page = first\n"
        "assert [m.text for m in page] == ['Patrol back at base'], page\n"
        "later = ('asyncio', 'cryptography.x509', 'missiondesk.services.sync_node',\n"
        "         'missiondesk.ui.sync.page', 'missiondesk.services.incidents',\n"
        "         'missiondesk.services.checklist_views', 'missiondesk.services.alert_views',\n"
        "         'missiondesk.store.materialize', 'missiondesk.store.incident_reads',\n"
        "         'missiondesk.store.checklist_rows', 'missiondesk.domain.records.incidents',\n"
        "         'missiondesk.domain.records.checklists', 'missiondesk.domain.records.alerts',\n"
        "         'missiondesk.services.mission', 'missiondesk.services.sync_service',\n"
        "         'missiondesk.services.search',\n"
        "         'missiondesk.domain.trust', 'missiondesk.ui.sync.overview',\n"
        "         'cryptography.hazmat.backends.openssl', 'sqlite3')\n"
        "print(' '.join(name for name in later if name in sys.modules))\n"
        "session.close()\n"
    )
    assert probe(code, str(tmp_path / "v")).strip() == ""


def test_the_first_screen_is_read_built_and_painted_without_pydantic(tmp_path):
    """The unlock, the first screen's read (cards, domain/cards.py) and the main window with
    its newest page, up to its first paint, run no validation: pydantic and the record models
    load behind the dialog or after the first screen (ui.application.VALIDATION_CODE)."""
    make_vault(tmp_path / "v", "Amina", "BRAVO-2", channels=("north",))
    (tmp_path / "settings").mkdir()
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from PySide6.QtWidgets import QApplication\n"
        "import missiondesk.cli, missiondesk.app\n"
        "from missiondesk.services.settings_file import SettingsStore\n"
        "from missiondesk.ui.application import first_screen, load_session_code\n"
        "from missiondesk.ui.tasks import TaskRunner\n"
        "from missiondesk.ui.unlock import open_and_prefetch\n"
        "from missiondesk.ui.window_options import WindowOptions\n"
        "app = QApplication([])\n"
        "load_session_code()\n"
        "session, first = open_and_prefetch(Path(sys.argv[1]), 'correct horse battery staple',"
        " first_screen)\n"
        "from missiondesk.ui.main_window import MainWindow\n"
        "tasks = TaskRunner()\n"
        "options = WindowOptions(settings_store=SettingsStore(Path(sys.argv[2])))\n"
        "window = MainWindow(session, tasks, options, first_screen=first)\n"
        "window.show()\n"
        "window.grab()  # paints it, first page and all\n"
        "page = window.messages_page\n"
        "counts = page.model.rowCount(), page.channel_model.rowCount()\n"
        "print(window.windowTitle(), '|', *counts, '|',"
        " ' '.join(m for m in sys.modules if m.split('.')[0] in ('pydantic', 'pydantic_core')"
        " or m.startswith('missiondesk.domain.records.')))\n"
        "window.close()\n"
        "tasks.wait_for_done(10_000)\n"
        "tasks.shutdown()\n"
    )
    printed = probe(code, str(tmp_path / "v"), str(tmp_path / "settings"))
    title, rows, modules = (part.strip() for part in printed.split("|"))
    assert title == "MissionDesk: Amina (BRAVO-2)"
    assert rows == "1 2"  # the message; general and north
    assert modules == ""


def test_the_real_start_to_the_first_paint_in_fusion_without_what_can_wait(tmp_path):
    """`ui.application.run` from the unlock dialog to the main window's first paint, the
    passphrase typed by a hook. Fusion comes from QApplication's arguments and no QStyle is
    handed to Python before the first paint: the first makes PySide6 build QStyle's class and
    its enums (~13 ms of the start). hashlib and hmac (a second OpenSSL, ~7 ms) and mimetypes
    load when first used; orjson (with uuid and dataclasses, ~10 ms), the compose box, the
    reading pane, the idle watcher, the alerts and the watch's ticker after the first paint."""
    make_vault(tmp_path / "v", "A")
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "import PySide6.QtWidgets as widgets\n"
        "from PySide6.QtCore import QTimer\n"
        "from missiondesk.ui import application\n"
        "from missiondesk.ui.first_paint import AfterFirstPaint\n"
        "show, opened = application.AppFlow._show_dialog, application.AppFlow._on_session_opened\n"
        "def show_dialog(self, dialog):\n"
        "    show(self, dialog)\n"
        "    dialog.passphrase_edit.setText('correct horse battery staple')\n"
        "    QTimer.singleShot(0, dialog.unlock_button.click)\n"
        "def session_opened(self, session):\n"
        "    opened(self, session)\n"
        "    window = self.window\n"
        "    def painted():\n"
        "        made = 'QStyle' in widgets.__dict__\n"
        "        later = ('hashlib', 'hmac', 'mimetypes', 'orjson', 'uuid', 'dataclasses',"
        " 'missiondesk.ui.messages.compose',"
        " 'missiondesk.ui.messages.reading_pane', 'missiondesk.ui.shell.alerts',"
        " 'missiondesk.ui.shell.watch_ticker', 'missiondesk.ui.shell.idle_lock')\n"
        "        later = [m for m in later if m in sys.modules]\n"
        "        print(window.messages_page.model.rowCount(), made,"
        " widgets.QApplication.style().name(), *later)\n"
        "        window.close()\n"
        "    AfterFirstPaint(window, painted, latest_ms=10_000)  # runs before the window's own\n"
        "application.AppFlow._show_dialog = show_dialog\n"
        "application.AppFlow._on_session_opened = session_opened\n"
        "sys.exit(application.run(Path(sys.argv[1]), Path(sys.argv[2])))\n"
    )
    assert probe(code, str(tmp_path / "v"), str(tmp_path / "settings")).split() == [
        "1", "False", "fusion",
    ]  # fmt: skip


def test_the_command_line_parser_is_built_without_the_models_or_the_services():
    """Every command builds the whole parser first: its choices and help texts come from plain
    enums (domain/record_enums.py), and each command loads its models and services when it
    runs. `missiondesk --version` or `--help` then takes a fraction of a second, not the ~1 s
    the services, pydantic and numpy took."""
    code = (
        "import sys\n"
        "from missiondesk.cli import build_parser\n"
        "build_parser()\n"
        "heavy = ('pydantic', 'numpy', 'sqlcipher3', 'cryptography', 'PySide6',\n"
        "         'missiondesk.services', 'missiondesk.store', 'missiondesk.domain.records')\n"
        "print(' '.join(sorted({m.split('.')[0] if not m.startswith('missiondesk') else\n"
        "      '.'.join(m.split('.')[:3]) for m in sys.modules if m.startswith(heavy)})))\n"
    )
    assert probe(code).strip() == ""
