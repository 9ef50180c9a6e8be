"""The app's flow over a real vault: first run or unlock, the main window, Lock, unlock again."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QLabel

from missiondesk.domain.markings import Precedence
from missiondesk.services.vault_access import unlock_vault
from missiondesk.ui.application import LOCKED_REASON, AppFlow, UncaughtErrorReporter, run
from missiondesk.ui.first_run import FirstRunDialog
from missiondesk.ui.main_window import MainWindow
from missiondesk.ui.tasks import TaskRunner
from missiondesk.ui.unlock import UnlockDialog

from .conftest import FAST_KDF, PASSPHRASE, on_vault


@pytest.fixture
def flow(qtbot, tasks: TaskRunner, vault_path: Path):
    made = AppFlow(vault_path, tasks, kdf=FAST_KDF)
    yield made
    made.shutdown()


def unlock_with(qtbot, flow: AppFlow, passphrase: str) -> MainWindow:
    dialog = flow.dialog
    assert isinstance(dialog, UnlockDialog)
    qtbot.keyClicks(dialog.passphrase_edit, passphrase)
    qtbot.keyClick(dialog.passphrase_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: flow.window is not None, timeout=10_000)
    assert flow.window is not None
    return flow.window


def test_without_a_vault_the_flow_starts_with_first_run(qtbot, flow: AppFlow, vault_path: Path):
    flow.start()
    dialog = flow.dialog
    assert isinstance(dialog, FirstRunDialog)
    assert dialog.isVisible()
    qtbot.keyClicks(dialog.name_edit, "Chidi Okafor")
    qtbot.keyClicks(dialog.callsign_edit, "BRAVO-2")
    qtbot.keyClicks(dialog.passphrase_edit, PASSPHRASE)
    qtbot.keyClicks(dialog.confirm_edit, PASSPHRASE)
    qtbot.keyClick(dialog.confirm_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: flow.window is not None, timeout=10_000)
    assert flow.window.isVisible()
    assert flow.window.header.callsign_label.text() == "BRAVO-2"
    assert flow.dialog is None


def test_unlock_lock_and_unlock_again(
    qtbot,
    flow: AppFlow,
    tasks: TaskRunner,
    closed_vault: Path,
    vault_is_free: Callable[[Path], bool],
):
    flow.start()
    first = unlock_with(qtbot, flow, PASSPHRASE)
    assert first.isVisible()
    assert flow.dialog is None
    session = first._session
    on_vault(
        tasks,
        lambda: session.messaging.send("general", "Radio check, all stations", Precedence.ROUTINE),
    )
    qtbot.waitUntil(lambda: first.messages_page.model.rowCount() == 1, timeout=5000)

    with qtbot.waitSignal(first.locked, timeout=2000):
        first.lock_action.trigger()
    assert not first.isVisible()
    assert flow.window is None
    assert isinstance(flow.dialog, UnlockDialog)
    assert flow.dialog.isVisible()
    assert flow.dialog.intro.text() == LOCKED_REASON
    assert flow.dialog.error.text() == ""  # its own vault, closing: not "open elsewhere"
    assert tasks.wait_for_done(5000)
    assert vault_is_free(closed_vault)

    second = unlock_with(qtbot, flow, PASSPHRASE)
    assert second is not first
    assert second.isVisible()
    qtbot.waitUntil(lambda: second.messages_page.model.rowCount() == 1, timeout=5000)
    assert not vault_is_free(closed_vault)


def test_quit_from_unlock_ends_the_flow(qtbot, flow: AppFlow, closed_vault: Path):
    flow.start()
    dialog = flow.dialog
    assert isinstance(dialog, UnlockDialog)
    with qtbot.waitSignal(flow.ended, timeout=2000):
        qtbot.mouseClick(dialog.quit_button, Qt.MouseButton.LeftButton)
    assert flow.dialog is None and flow.window is None


def test_a_vault_open_elsewhere_is_said_before_the_passphrase_is_typed(
    qtbot, flow: AppFlow, open_session
):
    flow.start()  # another MissionDesk (here: a session of this process) holds the vault
    dialog = flow.dialog
    assert isinstance(dialog, UnlockDialog)
    assert dialog.error.text() == (
        "This vault is open in another MissionDesk window or process. Close it there, then "
        "unlock here."
    )
    open_session.close()  # closed there: Unlock opens it
    window = unlock_with(qtbot, flow, PASSPHRASE)
    assert window.isVisible()


def test_the_command_line_says_a_vault_is_open_elsewhere_before_asking_for_the_passphrase(
    open_session, vault_path: Path
):
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k != "MISSIONDESK_PASSPHRASE"}
    done = subprocess.run(
        [sys.executable, "-m", "missiondesk", "--vault", str(vault_path), "status"],
        capture_output=True, text=True, timeout=60, env=env, stdin=subprocess.DEVNULL,
    )  # fmt: skip
    assert done.returncode != 0
    assert "This vault is open in another MissionDesk window or process" in done.stderr
    assert "Passphrase for" not in done.stdout + done.stderr  # never asked


def test_closing_the_window_ends_the_flow_and_frees_the_vault(
    qtbot, flow: AppFlow, tasks: TaskRunner, closed_vault: Path
):
    flow.start()
    window = unlock_with(qtbot, flow, PASSPHRASE)
    with qtbot.waitSignal(flow.ended, timeout=2000):
        window.close()
    assert tasks.wait_for_done(5000)
    unlock_vault(closed_vault, PASSPHRASE).close()


def test_run_opens_the_unlock_dialog_and_quit_returns_zero(
    qapp, closed_vault: Path, tmp_path: Path
):
    """`missiondesk` with no sub-command: run() shows unlock for an existing vault; Quit ends it."""
    pressed: list[str] = []

    def press_quit() -> None:
        shown = [
            w
            for w in QApplication.topLevelWidgets()
            if isinstance(w, UnlockDialog) and w.isVisible()
        ]
        if not shown:
            QTimer.singleShot(20, press_quit)
            return
        pressed.append(shown[0].windowTitle())
        shown[0].quit_button.click()

    QTimer.singleShot(0, press_quit)
    # Fail-safe: the test fails, never hangs. Stopped after run(): fired later, exit() outside
    # exec() would make every later event loop (each qtbot.wait) return at once.
    fail_safe = QTimer()
    fail_safe.setSingleShot(True)
    fail_safe.timeout.connect(lambda: qapp.exit(99))
    fail_safe.start(10_000)
    try:
        assert run(closed_vault, tmp_path / "settings") == 0
    finally:
        fail_safe.stop()
        qapp.setQuitOnLastWindowClosed(True)
    assert pressed == ["MissionDesk: unlock"]
    assert qapp.applicationName() == "MissionDesk"


def test_a_bug_in_a_slot_is_shown_and_logged_without_its_message(qtbot, caplog):
    secret = "informant Farid at 38S MB 44600 87200"
    reporter = UncaughtErrorReporter()
    try:
        raise ValueError(secret)
    except ValueError as exc:
        reporter(type(exc), exc, exc.__traceback__)
    assert len(reporter.shown) == 1
    box = reporter.shown[0]
    assert box.isVisible()
    assert "ValueError" in box.text() and secret not in box.text()
    assert "ValueError" in caplog.text and secret not in caplog.text
    box.close()
    qtbot.waitUntil(lambda: not reporter.shown, timeout=2000)


def test_idle_app_locks_itself_hides_the_data_and_needs_the_passphrase(
    qtbot, tasks: TaskRunner, closed_vault: Path, vault_is_free: Callable[[Path], bool]
):
    flow = AppFlow(closed_vault, tasks, auto_lock_ms=400)
    try:
        flow.start()
        window = unlock_with(qtbot, flow, PASSPHRASE)
        qtbot.waitUntil(lambda: flow.idle is not None, timeout=5000)  # once the window painted
        assert flow.idle.timeout_ms == 400
        on_vault(tasks, lambda: window._session.messaging.send("general", "Grid 38S MB 4484"))
        qtbot.waitUntil(lambda: window.messages_page.model.rowCount() == 1, timeout=5000)
        with qtbot.waitSignal(window.locked, timeout=5000):
            pass  # nobody touches the keyboard or the mouse
        assert not window.isVisible() and window.is_locked
        assert isinstance(flow.dialog, UnlockDialog) and flow.dialog.isVisible()
        assert flow.dialog.intro.text() == LOCKED_REASON
        shown = [w for w in QApplication.topLevelWidgets() if w.isVisible()]
        assert shown == [flow.dialog]
        texts = [label.text() for w in shown for label in w.findChildren(QLabel)]
        assert not any("38S MB" in text for text in texts)
        assert flow.idle is None  # the lock screen itself does not time out
        assert tasks.wait_for_done(5000)
        assert vault_is_free(closed_vault)
        again = unlock_with(qtbot, flow, PASSPHRASE)
        qtbot.waitUntil(lambda: again.messages_page.model.rowCount() == 1, timeout=5000)
    finally:
        flow.shutdown()


def test_activity_restarts_the_idle_timer(qtbot, tasks: TaskRunner, closed_vault: Path):
    flow = AppFlow(closed_vault, tasks, auto_lock_ms=60_000)
    try:
        flow.start()
        window = unlock_with(qtbot, flow, PASSPHRASE)
        qtbot.waitUntil(lambda: flow.idle is not None, timeout=5000)
        idle = flow.idle
        assert idle is not None
        qtbot.waitUntil(lambda: idle.idle_ms() >= 200, timeout=5000)  # time goes by
        qtbot.keyClick(window.messages_page.compose.text_edit, Qt.Key.Key_A)
        assert idle.idle_ms() < 200  # a key press starts the count again
        assert not window.is_locked
    finally:
        flow.shutdown()


def test_the_idle_watcher_sees_activity_only_once_watching(qtbot, qapp):
    from PySide6.QtWidgets import QLineEdit

    from missiondesk.ui.shell.idle_lock import IdleWatcher

    edit = QLineEdit()
    qtbot.addWidget(edit)
    edit.show()
    idle = IdleWatcher(qapp, 60_000, watching=False)
    try:
        qtbot.waitUntil(lambda: idle.idle_ms() >= 100, timeout=5000)
        qtbot.keyClick(edit, Qt.Key.Key_A)
        assert idle.idle_ms() >= 100 and not idle.watching  # not seen yet
        idle.watch()
        idle.watch()  # once
        assert idle.watching
        qtbot.keyClick(edit, Qt.Key.Key_B)
        assert idle.idle_ms() < 100
    finally:
        idle.stop()
    idle.watch()
    assert not idle.watching  # not after stop()


def test_window_size_is_remembered_beside_the_settings(
    qtbot, tasks: TaskRunner, closed_vault: Path, tmp_path: Path
):
    from missiondesk.services.settings import SettingsStore

    store = SettingsStore(tmp_path / "settings")
    first = AppFlow(closed_vault, tasks, settings_store=store)
    try:
        first.start()
        window = unlock_with(qtbot, first, PASSPHRASE)
        window.resize(window.width(), 555)  # the height: the width is bound by the layout
        assert window.height() == 555
        with qtbot.waitSignal(first.ended, timeout=5000):
            window.close()
    finally:
        first.shutdown()
    assert tasks.wait_for_done(5000)
    assert (tmp_path / "settings" / "window.ini").is_file()
    second = AppFlow(closed_vault, tasks, settings_store=store)
    try:
        second.start()
        again = unlock_with(qtbot, second, PASSPHRASE)
        assert again.height() == 555
    finally:
        second.shutdown()


def test_the_settings_are_read_once_the_first_screen_is_up(
    qtbot, tasks: TaskRunner, closed_vault: Path, tmp_path: Path
):
    """The unlock and the first screen do without the settings model; right after, the
    settings are read and the idle watcher takes their auto-lock time."""
    from missiondesk.services.settings import Settings, SettingsStore

    store = SettingsStore(tmp_path / "settings")
    store.path.parent.mkdir()
    store.save(Settings(auto_lock_minutes=3))
    flow = AppFlow(closed_vault, tasks, settings_store=store)
    try:
        flow.start()
        window = unlock_with(qtbot, flow, PASSPHRASE)
        qtbot.waitUntil(
            lambda: flow.idle is not None and flow.idle.timeout_ms == 180_000, timeout=10_000
        )
        assert window.settings.auto_lock_minutes == 3
    finally:
        flow.shutdown()


def test_settings_that_cannot_be_read_at_all_give_the_defaults(
    qtbot, tasks: TaskRunner, closed_vault: Path, tmp_path: Path, monkeypatch, caplog
):
    """Reading the settings after the first screen fails unexpectedly (not a bad file: that
    gives the defaults itself): the defaults apply, the log names the error, serving and the
    idle watcher are not left waiting."""
    from missiondesk.services.settings import SettingsStore

    store = SettingsStore(tmp_path / "settings")
    secret = "disk gone at Team site Kilo"

    def broken() -> None:
        raise OSError(secret)

    monkeypatch.setattr(store, "load", broken)
    flow = AppFlow(closed_vault, tasks, settings_store=store)
    try:
        flow.start()
        window = unlock_with(qtbot, flow, PASSPHRASE)
        qtbot.waitUntil(lambda: flow.idle is not None and flow.idle.timeout_ms == 600_000)
        assert window.settings.auto_lock_minutes == 10
        assert "settings not read (OSError): defaults used" in caplog.text
        assert secret not in caplog.text
    finally:
        flow.shutdown()


def test_the_loaded_settings_correct_the_early_theme(
    qtbot, tasks: TaskRunner, closed_vault: Path, tmp_path: Path
):
    """settings.json names a theme but holds a value the model refuses: the first dialog was
    drawn dark (the early read), the session gets the defaults once the first screen is up
    (the settings are read then), and the theme and its menu follow them."""
    from missiondesk.services.settings import SettingsStore, Theme
    from missiondesk.ui.window_options import WindowOptions

    store = SettingsStore(tmp_path / "settings")
    store.path.parent.mkdir()
    store.path.write_text('{"version": 1, "theme": "dark", "auto_lock_minutes": 0}')
    assert store.peek_theme() is Theme.DARK
    applied: list[Theme] = []
    flow = AppFlow(
        closed_vault, tasks, settings_store=store, options=WindowOptions(apply_theme=applied.append)
    )
    try:
        flow.start()
        window = unlock_with(qtbot, flow, PASSPHRASE)
        qtbot.waitUntil(lambda: applied == [Theme.SYSTEM], timeout=10_000)
        assert window.theme_actions[Theme.SYSTEM].isChecked()
        assert not window.theme_actions[Theme.DARK].isChecked()
        assert flow.settings.theme is Theme.SYSTEM
        assert window.settings.auto_lock_minutes == 10
        assert store.problem
    finally:
        flow.shutdown()


def test_the_tray_is_asked_for_once_the_first_dialog_has_painted(
    qtbot, tasks: TaskRunner, closed_vault: Path, monkeypatch
):
    """The desktop's tray (D-Bus calls on Linux desktops) waits for the first window's paint."""
    from missiondesk.ui import application

    monkeypatch.setattr(application, "TRAY_LATEST_MS", 60_000)  # only the paint can start it
    flow = AppFlow(closed_vault, tasks)
    try:
        assert not flow.tray.started  # nothing asked of the desktop before a window is up
        flow.start()
        assert isinstance(flow.dialog, UnlockDialog)
        assert not flow.tray.started  # shown, not yet painted
        qtbot.waitUntil(lambda: flow.tray.started, timeout=5_000)
        window = unlock_with(qtbot, flow, PASSPHRASE)
        assert window.isVisible()
    finally:
        flow.shutdown()


def test_a_vault_whose_key_file_is_lost_gets_the_unlock_and_says_so(
    qtbot, tasks: TaskRunner, closed_vault: Path
):
    """Not the first run (which would only be refused): the unlock, and a plain error."""
    (closed_vault / "vault.key").rename(closed_vault.parent / "vault.key.saved")
    flow = AppFlow(closed_vault, tasks)
    try:
        flow.start()
        dialog = flow.dialog
        assert isinstance(dialog, UnlockDialog)
        qtbot.keyClicks(dialog.passphrase_edit, PASSPHRASE)
        qtbot.keyClick(dialog.passphrase_edit, Qt.Key.Key_Return)
        qtbot.waitUntil(dialog.error.isVisible, timeout=10_000)
        assert "not its key file" in dialog.error.text()
        assert flow.window is None
    finally:
        flow.shutdown()
        (closed_vault.parent / "vault.key.saved").rename(closed_vault / "vault.key")


def test_a_lock_keeps_the_message_being_written_in_the_vault(
    qtbot, flow: AppFlow, tasks: TaskRunner, closed_vault: Path
):
    """Auto-lock in the middle of a report: after the unlock it is back in the box, in the
    vault meanwhile (encrypted, never synced) and nowhere else."""
    flow.start()
    first = unlock_with(qtbot, flow, PASSPHRASE)
    compose = first.messages_page.compose
    report = "SITREP 021500Z: OP North quiet, fuel at 60 %, next convoy 0600"
    qtbot.keyClicks(compose.text_edit, report)
    compose.set_precedence(Precedence.PRIORITY)
    with qtbot.waitSignal(first.locked, timeout=2000):
        first.lock()  # as the idle timer does
    assert tasks.wait_for_done(5000)
    stored = unlock_vault(closed_vault, PASSPHRASE)  # while locked: it is inside the vault
    try:
        assert "OP North quiet" in (stored.vault.get_meta("draft.message") or "")
    finally:
        stored.close()
    second = unlock_with(qtbot, flow, PASSPHRASE)
    box = second.messages_page.compose
    qtbot.waitUntil(lambda: box.text_edit.toPlainText() == report, timeout=5000)
    assert box.precedence is Precedence.PRIORITY
    assert "kept while MissionDesk was locked" in second.messages_page.status.text()
    session = second._session
    assert on_vault(tasks, lambda: session.vault.get_meta("draft.message")) is None  # taken
