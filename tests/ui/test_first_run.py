"""The first-run dialog creates a real vault from what is typed into it (default Argon2id), and
to join a mission writes the join request and shows the code to compare."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPoint, Qt

from missiondesk.services.mission import MissionService
from missiondesk.services.vault_access import unlock_vault
from missiondesk.services.vault_paths import vault_exists
from missiondesk.ui.first_run import FirstRunDialog
from missiondesk.ui.tasks import TaskRunner

from .conftest import FAST_KDF, PASSPHRASE, show_and_activate


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
    assert dialog.strength_label.text().startswith("Not accepted. The passphrase is a run")
    dialog.passphrase_edit.clear()
    qtbot.keyClicks(dialog.passphrase_edit, "kitchens")
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


def test_a_passphrase_guessed_first_is_said_as_typed_and_refused(
    qtbot, vault_path: Path, tasks: TaskRunner
):
    dialog = make_dialog(qtbot, vault_path, tasks)
    qtbot.keyClicks(dialog.name_edit, "Anna Berg")
    qtbot.keyClicks(dialog.passphrase_edit, " " * 10)
    assert dialog.strength_label.text() == "Not accepted. The passphrase is only spaces: use words."
    qtbot.keyClicks(dialog.confirm_edit, " " * 10)
    qtbot.keyClick(dialog.confirm_edit, Qt.Key.Key_Return)
    assert dialog.error.text() == "The passphrase is only spaces: use words."
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


def fill(qtbot, dialog: FirstRunDialog, name: str = "Ben Okafor", callsign: str = "BRAVO-2"):
    qtbot.keyClicks(dialog.name_edit, name)
    qtbot.keyClicks(dialog.callsign_edit, callsign)
    qtbot.keyClicks(dialog.passphrase_edit, PASSPHRASE)
    qtbot.keyClicks(dialog.confirm_edit, PASSPHRASE)


def join_dialog(qtbot, vault_path: Path, tasks: TaskRunner, answer: str, asked: list):
    def choose(_parent, caption: str, suggestion: str, _filter: str) -> str:
        asked.append((caption, suggestion))
        return answer

    dialog = FirstRunDialog(vault_path, tasks, kdf=FAST_KDF, choose_save_path=choose)
    qtbot.addWidget(dialog)
    show_and_activate(qtbot, dialog)
    assert dialog.start_radio.isChecked() and dialog.create_button.text() == "Create vault"
    at_its_label = QPoint(12, dialog.join_radio.height() // 2)
    qtbot.mouseClick(dialog.join_radio, Qt.MouseButton.LeftButton, pos=at_its_label)
    assert dialog.joining
    assert dialog.create_button.text() == "Create vault and join request…"
    fill(qtbot, dialog)
    return dialog


def test_joining_creates_the_vault_writes_the_request_and_shows_the_code(
    qtbot, vault_path: Path, tasks: TaskRunner, tmp_path: Path
):
    asked: list = []
    out = tmp_path / "join-BRAVO-2.json"
    dialog = join_dialog(qtbot, vault_path, tasks, str(out), asked)
    qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.pages.currentWidget() is dialog.join_page, timeout=20_000)
    assert asked == [("Save the join request", "join-BRAVO-2.json")]
    assert vault_exists(vault_path)
    request = MissionService.read_request(out.read_bytes())
    assert (request.name, request.callsign) == ("Ben Okafor", "BRAVO-2")
    assert dialog.join_code.text() == f"Your code: {request.code}"
    assert dialog.join_saved.text() == f"Join request saved to {out}."
    assert "mission authority" in dialog.join_next.text()
    assert "Accept approval file" in dialog.join_next.text()
    assert dialog.isVisible()  # the officer reads the code before the app opens
    with qtbot.waitSignal(dialog.created, timeout=5000) as blocker:
        qtbot.mouseClick(dialog.open_button, Qt.MouseButton.LeftButton)
    session = blocker.args[0]
    try:
        assert session.mission.info() is None  # not in the mission until the approval
        assert session.people.me().callsign == "BRAVO-2"
    finally:
        session.close()


def test_joining_without_saving_the_request_says_how_to_write_it_later(
    qtbot, vault_path: Path, tasks: TaskRunner, vault_is_free
):
    asked: list = []
    dialog = join_dialog(qtbot, vault_path, tasks, "", asked)  # the save dialog is cancelled
    qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.pages.currentWidget() is dialog.join_page, timeout=20_000)
    assert dialog.join_saved.text() == "The join request was not saved."
    assert not dialog.join_code.isVisible()
    assert "Join a mission" in dialog.join_next.text()
    with qtbot.waitSignal(dialog.rejected, timeout=2000):  # closed here: the vault closes too
        qtbot.keyClick(dialog.open_button, Qt.Key.Key_Escape)
    assert tasks.wait_for_done(5000)
    assert vault_is_free(vault_path)


def authority_package(folder: Path) -> Path:
    """A mission package made on a real mission authority's vault."""
    from missiondesk.domain.records.messaging import ChannelKind
    from missiondesk.services.vault_access import create_vault

    hq = create_vault(folder / "hq", PASSPHRASE, name="Anna Berg", callsign="HQ-1", kdf=FAST_KDF)
    try:
        hq.mission.create("Sector North")
        hq.channels.create("Ops North", ChannelKind.OUTPOST)
        hq.checklists.templates.install_library()
        return hq.packages.export(folder / "north.mission").package.path
    finally:
        hq.close()


def package_dialog(qtbot, vault_path: Path, tasks: TaskRunner, package: Path, out: Path):
    dialog = FirstRunDialog(
        vault_path,
        tasks,
        kdf=FAST_KDF,
        choose_save_path=lambda *_: str(out),
        choose_open_path=lambda *_: str(package),
    )
    qtbot.addWidget(dialog)
    show_and_activate(qtbot, dialog)
    return dialog


def test_a_mission_package_sets_the_new_laptop_up_in_a_few_clicks(
    qtbot, vault_path: Path, tasks: TaskRunner, tmp_path: Path
):
    from missiondesk.services.mission_package import read_package

    package = authority_package(tmp_path)
    code = read_package(package).mission.code
    out = tmp_path / "join-BRAVO-2.json"
    dialog = package_dialog(qtbot, vault_path, tasks, package, out)
    assert dialog.start_radio.isChecked()
    qtbot.keyClick(dialog, Qt.Key.Key_M, Qt.KeyboardModifier.AltModifier)  # its mnemonic
    qtbot.waitUntil(lambda: dialog.package is not None, timeout=10_000)
    assert dialog.joining  # a package means joining that mission
    shown = dialog.package_label.text()
    assert f"Mission: Sector North\nMission code: {code}\n" in shown
    assert "Holds 2 channels, 6 checklist templates; marked UNCLASSIFIED." in shown
    fill(qtbot, dialog)
    qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.pages.currentWidget() is dialog.join_page, timeout=20_000)
    assert dialog.join_package.text() == (
        f"Set up for the mission Sector North (mission code {code}) from its package: "
        "2 channels, 6 checklist templates."
    )
    request = MissionService.read_request(out.read_bytes())
    assert dialog.join_code.text() == f"Your code: {request.code}"
    with qtbot.waitSignal(dialog.created, timeout=5000) as blocker:
        qtbot.mouseClick(dialog.open_button, Qt.MouseButton.LeftButton)
    session = blocker.args[0]
    try:
        assert {c.name for _, c in session.channels.all()} == {"general", "Ops North"}
        assert len(session.checklists.templates.list()) == 6
        pinned = session.mission.pinned()
        assert pinned is not None and pinned.code == code
    finally:
        session.close()


def test_a_tampered_mission_package_is_refused_before_any_vault_is_made(
    qtbot, vault_path: Path, tasks: TaskRunner, tmp_path: Path
):
    import zipfile

    good = authority_package(tmp_path)
    bad = tmp_path / "altered.mission"
    with zipfile.ZipFile(good) as zin, zipfile.ZipFile(bad, "w") as zout:
        for info in zin.infolist():
            zout.writestr(info, zin.read(info).replace(b"Ops North", b"Ops Trap"))
    dialog = package_dialog(qtbot, vault_path, tasks, bad, tmp_path / "join.json")
    qtbot.mouseClick(dialog.package_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.is_busy and dialog.error.text() != "", timeout=10_000)
    assert "altered.mission was not used: its signature does not match" in dialog.error.text()
    assert dialog.package is None
    assert "Ops Trap" not in dialog.package_label.text()
    assert not vault_exists(vault_path)
