"""The first-run dialog creates a real vault from what is typed into it (default Argon2id)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from missiondesk.services.vault_access import unlock_vault, vault_exists
from missiondesk.ui.first_run import FirstRunDialog
from missiondesk.ui.tasks import TaskRunner

from .conftest import PASSPHRASE, show_and_activate


def make_dialog(qtbot, vault_path: Path, tasks: TaskRunner) -> FirstRunDialog:
    dialog = FirstRunDialog(vault_path, tasks)
    qtbot.addWidget(dialog)
    show_and_activate(qtbot, dialog)
    qtbot.waitUntil(dialog.name_edit.hasFocus, timeout=5000)
    return dialog


def test_typed_fields_create_a_vault_and_a_mismatch_is_refused(
    qtbot, vault_path: Path, tasks: TaskRunner
):
    dialog = make_dialog(qtbot, vault_path, tasks)
    assert str(vault_path) in dialog.folder_label.text()
    qtbot.keyClicks(dialog.name_edit, "Anna Berg")
    qtbot.keyClicks(dialog.callsign_edit, "ALPHA-1")
    qtbot.keyClicks(dialog.passphrase_edit, PASSPHRASE)
    qtbot.keyClicks(dialog.confirm_edit, PASSPHRASE + "x")
    qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)

    assert dialog.error.isVisible()
    assert "do not match" in dialog.error.text()
    assert not dialog.is_busy
    assert dialog.confirm_edit.text() == ""
    assert dialog.confirm_edit.hasFocus()
    assert not vault_exists(vault_path)

    qtbot.keyClicks(dialog.confirm_edit, PASSPHRASE)
    with qtbot.waitSignal(dialog.created, timeout=20_000) as blocker:
        qtbot.keyClick(dialog.confirm_edit, Qt.Key.Key_Return)  # Enter submits
        assert dialog.is_busy
        assert dialog.busy.isVisible()
        assert not dialog.create_button.isEnabled()
        assert not dialog.error.isVisible()
    session = blocker.args[0]
    try:
        me = session.people.me()
        assert (me.name, me.callsign) == ("Anna Berg", "ALPHA-1")
        assert vault_exists(vault_path)
        assert dialog.result() == FirstRunDialog.DialogCode.Accepted
        assert dialog.passphrase_edit.text() == dialog.confirm_edit.text() == ""
    finally:
        session.close()
    unlock_vault(vault_path, PASSPHRASE).close()  # the typed passphrase opens it


def test_strength_hint_follows_typing(qtbot, vault_path: Path, tasks: TaskRunner):
    dialog = make_dialog(qtbot, vault_path, tasks)
    assert "at least 8 characters" in dialog.strength_label.text()
    qtbot.keyClicks(dialog.passphrase_edit, "abc")
    assert dialog.strength_label.text().startswith("Too short.")
    qtbot.keyClicks(dialog.passphrase_edit, "defgh")
    assert dialog.strength_label.text().startswith("Weak.")
    dialog.passphrase_edit.clear()
    qtbot.keyClicks(dialog.passphrase_edit, "Walnut-Harbour-Ledger-Quartz-9")
    assert dialog.strength_label.text().startswith(("Strong.", "Very strong."))


def test_missing_name_and_short_passphrase_are_refused_inline(
    qtbot, vault_path: Path, tasks: TaskRunner
):
    dialog = make_dialog(qtbot, vault_path, tasks)
    qtbot.keyClick(dialog.name_edit, Qt.Key.Key_Return)
    assert dialog.error.text() == "Enter your full name."
    assert dialog.name_edit.hasFocus()
    qtbot.keyClicks(dialog.name_edit, "Anna Berg")
    qtbot.keyClicks(dialog.passphrase_edit, "short")
    qtbot.keyClicks(dialog.confirm_edit, "short")
    qtbot.keyClick(dialog.confirm_edit, Qt.Key.Key_Return)
    assert "too short" in dialog.error.text()
    assert dialog.passphrase_edit.hasFocus()
    assert not dialog.is_busy
    assert not vault_exists(vault_path)


def test_tab_order_and_escape(qtbot, vault_path: Path, tasks: TaskRunner):
    dialog = make_dialog(qtbot, vault_path, tasks)
    assert dialog.name_edit.hasFocus()
    order = [dialog.name_edit]
    for _ in range(4):
        order.append(order[-1].nextInFocusChain())
        while not (order[-1].focusPolicy() & Qt.FocusPolicy.TabFocus):
            order[-1] = order[-1].nextInFocusChain()
    assert order == [
        dialog.name_edit,
        dialog.callsign_edit,
        dialog.passphrase_edit,
        dialog.confirm_edit,
        dialog.create_button,
    ]
    with qtbot.waitSignal(dialog.rejected, timeout=2000):
        qtbot.keyClick(dialog.name_edit, Qt.Key.Key_Escape)
    assert not dialog.isVisible()
    assert not vault_exists(vault_path)


def test_an_existing_vault_is_not_overwritten(qtbot, closed_vault: Path, tasks: TaskRunner):
    dialog = make_dialog(qtbot, closed_vault, tasks)
    qtbot.keyClicks(dialog.name_edit, "Someone Else")
    qtbot.keyClicks(dialog.passphrase_edit, "another long passphrase")
    qtbot.keyClicks(dialog.confirm_edit, "another long passphrase")
    qtbot.keyClick(dialog.confirm_edit, Qt.Key.Key_Return)
    assert dialog.is_busy
    qtbot.waitUntil(lambda: not dialog.is_busy, timeout=10_000)
    assert dialog.error.text().startswith("A vault already exists at")
    assert dialog.isVisible()
    unlock_vault(closed_vault, PASSPHRASE).close()  # the old passphrase still opens it
