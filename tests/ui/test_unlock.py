"""The unlock dialog over a real vault: wrong then right passphrase, throttling, vault in use."""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from missiondesk.services import unlock_throttle
from missiondesk.services.session import Session
from missiondesk.store.layout import VaultLayout
from missiondesk.ui.tasks import TaskRunner
from missiondesk.ui.unlock import Prefetch, UnlockDialog

from .conftest import CALLSIGN, PASSPHRASE, on_vault, show_and_activate


def make_dialog(qtbot, root: Path, tasks: TaskRunner) -> UnlockDialog:
    dialog = UnlockDialog(root, tasks)
    qtbot.addWidget(dialog)
    show_and_activate(qtbot, dialog)
    return dialog


def attempt(qtbot, dialog: UnlockDialog, passphrase: str) -> None:
    qtbot.keyClicks(dialog.passphrase_edit, passphrase)
    qtbot.keyClick(dialog.passphrase_edit, Qt.Key.Key_Return)
    assert dialog.is_busy
    assert dialog.busy.isVisible()
    assert not dialog.passphrase_edit.isEnabled()
    qtbot.waitUntil(lambda: not dialog.is_busy, timeout=10_000)


def test_wrong_then_right_passphrase(qtbot, closed_vault: Path, tasks: TaskRunner):
    dialog = make_dialog(qtbot, closed_vault, tasks)
    opened: list[Session] = []
    dialog.unlocked.connect(opened.append)

    attempt(qtbot, dialog, "not the passphrase")
    assert dialog.error.isVisible()
    assert dialog.error.text() == "Wrong passphrase."
    assert dialog.passphrase_edit.text() == ""  # cleared for the next try
    assert dialog.passphrase_edit.isEnabled()
    assert dialog.isVisible()
    assert opened == []

    with qtbot.waitSignal(dialog.unlocked, timeout=10_000):
        attempt(qtbot, dialog, PASSPHRASE)
    try:
        assert len(opened) == 1
        assert opened[0].people.me().callsign == CALLSIGN
        assert dialog.result() == UnlockDialog.DialogCode.Accepted
        assert not dialog.isVisible()
        assert dialog.passphrase_edit.text() == ""
    finally:
        opened[0].close()


def test_the_passphrase_is_checked_while_the_vault_thread_is_still_busy(
    qtbot, closed_vault: Path, tasks: TaskRunner
):
    """Enter pressed while the vault's thread still loads the session's code: Argon2id does not
    wait for it (it runs on a thread of its own), so a wrong passphrase is already counted
    while the vault's thread is busy, and said once the unlock gets its turn."""
    dialog = make_dialog(qtbot, closed_vault, tasks)
    release = threading.Event()
    tasks.run("hold the vault thread", lambda: release.wait(10))
    failures = VaultLayout(closed_vault).failures_file
    try:
        qtbot.keyClicks(dialog.passphrase_edit, "not the passphrase")
        qtbot.keyClick(dialog.passphrase_edit, Qt.Key.Key_Return)
        qtbot.waitUntil(failures.exists, timeout=10_000)
        assert dialog.is_busy  # the unlock itself still waits for the vault's thread
    finally:
        release.set()
    qtbot.waitUntil(lambda: not dialog.is_busy, timeout=10_000)
    assert dialog.error.text() == "Wrong passphrase."


def test_the_vault_folder_and_an_error_can_be_selected_for_copying(
    qtbot, closed_vault: Path, tasks: TaskRunner
):
    """Made selectable once on screen (the first selectable label costs Qt ~11 ms, which the
    dialog does not pay before its first paint), but selectable all the same."""
    dialog = make_dialog(qtbot, closed_vault, tasks)
    folder = next(
        label for label in dialog.findChildren(QLabel) if label.accessibleName() == "Vault folder"
    )
    selectable = Qt.TextInteractionFlag.TextSelectableByMouse
    qtbot.waitUntil(lambda: bool(folder.textInteractionFlags() & selectable), timeout=5_000)
    assert str(closed_vault) in folder.text()
    attempt(qtbot, dialog, "not the passphrase")
    assert dialog.error.textInteractionFlags() & selectable


def test_empty_passphrase_asks_for_one(qtbot, closed_vault: Path, tasks: TaskRunner):
    dialog = make_dialog(qtbot, closed_vault, tasks)
    qtbot.keyClick(dialog.passphrase_edit, Qt.Key.Key_Return)
    assert dialog.error.text() == "Enter your passphrase."
    assert not dialog.is_busy
    assert not tasks.busy


def test_throttle_message_is_shown_as_given(qtbot, closed_vault: Path, tasks: TaskRunner):
    failures = VaultLayout(closed_vault).failures_file
    now = datetime.now(UTC)
    for _ in range(6):  # six recent failures: the next try must wait 16 s
        unlock_throttle.record_failure(failures, now)
    dialog = make_dialog(qtbot, closed_vault, tasks)
    attempt(qtbot, dialog, PASSPHRASE)  # even the right passphrase waits
    message = dialog.error.text()
    assert message.startswith("Too many wrong passphrases. Wait ")
    assert message.endswith(" s before trying again.")
    assert dialog.isVisible()


def test_vault_in_use_is_said(qtbot, open_session: Session, vault_path: Path, tasks: TaskRunner):
    dialog = make_dialog(qtbot, vault_path, tasks)
    attempt(qtbot, dialog, PASSPHRASE)
    assert dialog.error.text() == "This vault is open in another MissionDesk window or process."
    assert dialog.passphrase_edit.text() == PASSPHRASE  # not a wrong passphrase: kept
    open_session.close()
    with qtbot.waitSignal(dialog.unlocked, timeout=10_000) as blocker:
        qtbot.keyClick(dialog.passphrase_edit, Qt.Key.Key_Return)
    blocker.args[0].close()


def test_escape_quits_but_not_while_busy(qtbot, closed_vault: Path, tasks: TaskRunner):
    dialog = make_dialog(qtbot, closed_vault, tasks)
    qtbot.keyClicks(dialog.passphrase_edit, PASSPHRASE)
    with qtbot.waitSignal(dialog.unlocked, timeout=10_000) as blocker:
        qtbot.keyClick(dialog.passphrase_edit, Qt.Key.Key_Return)
        dialog.reject()  # ignored: an unlock is in flight
        assert dialog.isVisible()
    blocker.args[0].close()

    other = make_dialog(qtbot, closed_vault, tasks)
    with qtbot.waitSignal(other.rejected, timeout=2000):
        qtbot.keyClick(other.passphrase_edit, Qt.Key.Key_Escape)
    assert not other.isVisible()


def unlock_with_prefetch(
    qtbot, root: Path, tasks: TaskRunner, prefetch: Prefetch
) -> tuple[UnlockDialog, Session]:
    dialog = UnlockDialog(root, tasks, prefetch=prefetch)
    qtbot.addWidget(dialog)
    show_and_activate(qtbot, dialog)
    with qtbot.waitSignal(dialog.unlocked, timeout=10_000) as blocker:
        attempt(qtbot, dialog, PASSPHRASE)
    return dialog, blocker.args[0]


def test_unlock_reads_the_first_screen_and_the_window_shows_it_at_once(
    qtbot, closed_vault: Path, tasks: TaskRunner
):
    from missiondesk.ui.application import first_screen
    from missiondesk.ui.main_window import MainWindow

    dialog, session = unlock_with_prefetch(qtbot, closed_vault, tasks, first_screen)
    try:
        views, page = dialog.prefetched
        assert [v.title for v in views][:1] == ["general"] and page == []
        on_vault(tasks, lambda: session.messaging.send("general", "Hello"))
        window = MainWindow(
            session, tasks, first_screen=on_vault(tasks, lambda: first_screen(session))
        )
        qtbot.addWidget(window)
        # No trip to the vault: the rows are there as the window is built.
        assert [window.messages_page.model.message_at(0).text] == ["Hello"]
        assert window.messages_page.channel_title.text() == "# general"
        window.close()
    finally:
        session.close()


def test_a_failed_first_screen_read_still_unlocks_and_the_page_reads_it(
    qtbot, closed_vault: Path, tasks: TaskRunner
):
    from missiondesk.ui.main_window import MainWindow

    def broken(session: Session) -> object:
        raise RuntimeError("read failed")

    dialog, session = unlock_with_prefetch(qtbot, closed_vault, tasks, broken)
    try:
        assert dialog.prefetched is None and not dialog.error.isVisible()
        window = MainWindow(session, tasks, first_screen=dialog.prefetched)
        qtbot.addWidget(window)
        page = window.messages_page
        qtbot.waitUntil(lambda: page.channel_title.text() == "# general", timeout=5000)
        window.close()
    finally:
        session.close()


def test_the_busy_bar_moves_only_when_the_work_takes_a_while(qtbot):
    from missiondesk.ui.feedback import ANIMATE_AFTER_MS, BusyIndicator

    busy = BusyIndicator()
    qtbot.addWidget(busy)
    busy.start("Opening the vault…")
    assert busy.isVisible() and busy.text == "Opening the vault…"
    assert not busy.animating  # the sentence at once, a still bar
    qtbot.waitUntil(lambda: busy.animating, timeout=ANIMATE_AFTER_MS + 2000)
    busy.stop()
    assert not busy.isVisible() and not busy.animating
    busy.start("Again")
    assert not busy.animating  # each start waits again
