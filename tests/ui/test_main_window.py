"""The main window over an unlocked vault: sections, menus and shortcuts, live refresh, the
FLASH banner, status bar, and Lock that closes the vault and drops every view."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent, Qt
from PySide6.QtGui import QColor, QFontInfo, QPalette
from PySide6.QtWidgets import QLabel, QTableView

from missiondesk.domain.ids import fingerprint
from missiondesk.domain.markings import Precedence
from missiondesk.services.session import Session
from missiondesk.services.settings import SettingsStore, Theme
from missiondesk.store.errors import VaultCorrupt
from missiondesk.ui.incidents.page import IncidentRowsModel
from missiondesk.ui.main_window import SECTIONS, MainWindow, WindowOptions
from missiondesk.ui.messages.message_model import MessageListModel
from missiondesk.ui.tasks import TaskRunner
from missiondesk.ui.theme import ERROR, PRECEDENCE_COLOURS, apply_theme
from tests.opfactory import share

from .conftest import CALLSIGN, NAME, on_vault, show_and_activate

M = MessageListModel


@pytest.fixture
def window(qtbot, open_session: Session, tasks: TaskRunner, tmp_path: Path) -> MainWindow:
    options = WindowOptions(settings_store=SettingsStore(tmp_path / "settings"))
    window = MainWindow(open_session, tasks, options)
    qtbot.addWidget(window)
    show_and_activate(qtbot, window)
    qtbot.waitUntil(lambda: window.messages_page.current_channel is not None, timeout=5000)
    return window


def cell(model, row: int, column: int, role=Qt.ItemDataRole.DisplayRole):
    return model.data(model.index(row, column), role)


def test_header_sections_and_menus(window: MainWindow, open_session: Session):
    assert window.header.name_label.text() == NAME
    assert window.header.callsign_label.text() == CALLSIGN
    assert window.header.fingerprint_label.text() == fingerprint(open_session.device_id)
    shown = QFontInfo(window.header.fingerprint_label.font())  # read aloud: groups line up
    assert shown.fixedPitch()
    assert shown.pointSizeF() == QFontInfo(window.header.font()).pointSizeF()
    assert [window.nav.item(i).text().split()[0] for i in range(window.nav.count())] == list(
        SECTIONS
    )
    assert window.current_section() == "Messages"
    menus = [a.text().replace("&", "") for a in window.menuBar().actions()]
    assert menus == ["File", "Edit", "Message", "Safety", "Go", "View", "Help"]
    shortcuts = {a.text().replace("&", ""): a.shortcut().toString() for a in window.actions()}
    assert shortcuts["Lock"] == "Ctrl+L"
    assert shortcuts["Panic lock"] == "Ctrl+Shift+L"
    assert shortcuts["Find in messages…"] == "Ctrl+F"
    assert shortcuts["Acknowledge"] == "Ctrl+K"


def test_sections_switch_from_the_keyboard(qtbot, window: MainWindow):
    qtbot.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert window.current_section() == "Incidents"
    qtbot.keyClick(window, Qt.Key.Key_6, Qt.KeyboardModifier.ControlModifier)
    assert window.current_section() == "Sync"
    qtbot.keyClick(window, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert window.current_section() == "Messages"


def test_flash_from_a_worker_thread_appears_styled_without_reload(
    qtbot, window: MainWindow, open_session: Session, tasks: TaskRunner
):
    page = window.messages_page
    model = page.model
    assert model.rowCount() == 0
    assert page.empty_note.isVisible()
    sent_on: list[int] = []

    def send() -> None:
        sent_on.append(threading.get_ident())
        open_session.messaging.send(
            "general", "Contact at checkpoint 4, request QRF", Precedence.FLASH
        )

    on_vault(tasks, send)
    assert sent_on != [threading.get_ident()]
    qtbot.waitUntil(lambda: model.rowCount() == 1, timeout=5000)
    assert cell(model, 0, M.PRECEDENCE) == "FLASH"
    assert cell(model, 0, M.TEXT) == "Contact at checkpoint 4, request QRF"
    assert cell(model, 0, M.AUTHOR) == CALLSIGN
    assert re.fullmatch(r"\d{6}Z [A-Z]{3} \d{2}", cell(model, 0, M.DTG))
    colour = cell(model, 0, M.PRECEDENCE, Qt.ItemDataRole.ForegroundRole)
    assert QColor(colour) == PRECEDENCE_COLOURS[Precedence.FLASH]
    assert cell(model, 0, M.TEXT, Qt.ItemDataRole.FontRole).bold()
    assert cell(model, 0, M.TEXT, Qt.ItemDataRole.BackgroundRole) is not None  # a red band
    assert cell(model, 0, M.STATUS) == "Queued"  # on this laptop only
    qtbot.waitUntil(lambda: page.table.isVisible() and not page.empty_note.isVisible())


def test_routine_is_plain_and_priority_blue(
    qtbot, window: MainWindow, open_session: Session, tasks: TaskRunner
):
    model = window.messages_page.model
    on_vault(tasks, lambda: open_session.messaging.send("general", "routine traffic"))
    on_vault(tasks, lambda: open_session.messaging.send("general", "priority", Precedence.PRIORITY))
    qtbot.waitUntil(lambda: model.rowCount() == 2, timeout=5000)
    assert cell(model, 0, M.PRECEDENCE) == "PRIORITY"  # newest on top
    assert (
        QColor(cell(model, 0, M.PRECEDENCE, Qt.ItemDataRole.ForegroundRole))
        == (PRECEDENCE_COLOURS[Precedence.PRIORITY])
    )
    assert cell(model, 1, M.PRECEDENCE, Qt.ItemDataRole.ForegroundRole) is None
    assert cell(model, 1, M.TEXT, Qt.ItemDataRole.BackgroundRole) is None
    assert cell(model, 1, M.TEXT, Qt.ItemDataRole.FontRole) is None


def test_incidents_are_listed_and_follow_changes(
    qtbot, window: MainWindow, open_session: Session, tasks: TaskRunner
):
    window.show_section("Incidents")
    model = window.incidents_page.model
    assert model.rowCount() == 0
    on_vault(
        tasks,
        lambda: open_session.incidents.add(
            title="Roadblock on MSR Tampa",
            category="movement_restriction",
            severity=4,
            location="38S MB 44600 87200",
            place="Km 42",
        ),
    )
    qtbot.waitUntil(lambda: model.rowCount() == 1, timeout=5000)
    m = IncidentRowsModel
    assert cell(model, 0, m.TITLE) == "Roadblock on MSR Tampa"
    assert cell(model, 0, m.CATEGORY) == "Movement restriction / checkpoint denial"
    assert cell(model, 0, m.SEVERITY) == "4"
    assert QColor(cell(model, 0, m.SEVERITY, Qt.ItemDataRole.ForegroundRole)) == ERROR
    assert re.fullmatch(r"38S MB \d{5} \d{5}", cell(model, 0, m.MGRS))
    assert cell(model, 0, m.STATUS) == "Draft"


def test_a_marker_clicked_on_the_map_opens_its_incident(
    qtbot, window: MainWindow, open_session: Session, tasks: TaskRunner
):
    from missiondesk.ui.map.page import MapPage

    incident = on_vault(
        tasks,
        lambda: open_session.incidents.add(
            title="Roadblock at Km 42", category="crime", severity=3, location="9.5468, 31.6990"
        ),
    )
    window.show_section("Map")
    page = window.stack.currentWidget()
    assert isinstance(page, MapPage) and page is window.map_page
    with qtbot.waitSignal(window.incidents_page.incident_opened, timeout=5000) as opened:
        page.incident_opened.emit(incident)  # what a click on its marker emits
    assert opened.args[0].isVisible()
    window.lock()
    assert not opened.args[0].isVisible()


def test_checklists_section_is_built_when_shown_and_emptied_at_lock(
    qtbot, window: MainWindow, open_session: Session, tasks: TaskRunner
):
    from missiondesk.ui.checklists.page import ChecklistsPage

    on_vault(tasks, open_session.checklists.templates.install_library)
    assert not window.stack.findChildren(ChecklistsPage)
    window.show_section("Checklists")
    page = window.stack.currentWidget()
    assert isinstance(page, ChecklistsPage) and page is window.checklists_page
    qtbot.waitUntil(lambda: page.view is not None and bool(page.view.templates), timeout=5000)
    window.lock()
    assert page.view is None and page.list.rowCount() == 0


def test_personnel_section_owns_its_keys_and_the_panic_alarm_asks_first(
    qtbot, window: MainWindow, open_session: Session
):
    from PySide6.QtWidgets import QDialog

    from missiondesk.ui.protection.alerts_tab import PanicDialog
    from missiondesk.ui.protection.movement_dialog import PlanMovementDialog
    from missiondesk.ui.protection.page import PersonnelPage

    def shown(kind: type[QDialog]) -> list[QDialog]:
        return [w for w in window.findChildren(kind) if w.isVisible()]

    show_and_activate(qtbot, window)
    window.show_section("Personnel")
    page = window.stack.currentWidget()
    assert isinstance(page, PersonnelPage) and page is window.personnel_page
    assert window.new_message_action.shortcut().isEmpty()  # Ctrl+N plans a movement here
    page.movements.setFocus()
    qtbot.keyClick(page.movements, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: bool(shown(PlanMovementDialog)), timeout=5000)
    shown(PlanMovementDialog)[0].close()
    window.show_section("Messages")
    assert window.new_message_action.shortcut().toString() == "Ctrl+N"

    window.panic_alarm_action.trigger()  # from any section: the Alerts tab, and a confirmation
    assert window.current_section() == "Personnel" and page.tabs.currentWidget() is page.alerts
    qtbot.waitUntil(lambda: bool(shown(PanicDialog)), timeout=5000)
    assert open_session.alerts.list() == []  # nothing is sent before the officer confirms
    window.lock()
    assert not shown(PanicDialog)


def test_status_bar_shows_what_waits_to_go_out(qtbot, window: MainWindow, open_session: Session):
    panel = window.status_panel
    qtbot.waitUntil(lambda: panel.summary is not None, timeout=5000)
    assert panel.peers.text() == "Not in a mission"
    assert panel.sync_state.text() == "Sync: off"
    assert panel.lock_button.defaultAction() is window.lock_action
    # a long phrase (a refusal's reason) is cut, whole in the tooltip, and widens nothing
    reason = ("failed: refused the laptop at 192.168.100.200:51234: its certificate has "
              "expired; it must be enrolled again (certificate has expired)")  # fmt: skip
    panel.set_sync_state(reason)
    assert panel.sync_state.text() == f"Sync: {reason}"  # whole, as the Sync section has it
    assert window.minimumSizeHint().width() <= 853
    window.resize(853, 700)
    qtbot.waitUntil(lambda: window.width() == 853, timeout=5000)
    qtbot.waitUntil(lambda: panel.sync_state.toolTip() == f"Sync: {reason}", timeout=5000)
    assert panel.mapTo(window, panel.rect().topRight()).x() <= window.width()  # all on screen
    panel.set_sync_state("off")
    assert (panel.sync_state.text(), panel.sync_state.toolTip()) == ("Sync: off", "")


def test_banner_shows_flash_waiting_for_my_acknowledgement(
    qtbot, window: MainWindow, make_session, tasks: TaskRunner
):
    other = make_session()
    me = window._session
    assert me is not None
    # the other officer's laptop learns the mission-wide channel, then sends a FLASH to it
    on_vault(tasks, lambda: share(me, other))
    other.messaging.send("general", "Shots fired at OP North", Precedence.FLASH)
    banner = window.banner
    assert not banner.isVisible()
    on_vault(tasks, lambda: share(other, me))
    qtbot.waitUntil(banner.isVisible, timeout=5000)
    assert "FLASH" in banner.text.text() and "Shots fired at OP North" in banner.text.text()
    assert "BRAVO-2" in banner.text.text()
    qtbot.mouseClick(banner.ack_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not banner.isVisible(), timeout=5000)
    flash = on_vault(tasks, lambda: me.messaging.list()[-1])
    assert flash.acked_by_me


def test_theme_from_the_view_menu_is_saved(qtbot, window: MainWindow, tmp_path: Path):
    chosen: list[Theme] = []
    window._options.apply_theme = chosen.append
    window.theme_actions[Theme.DARK].trigger()
    assert chosen == [Theme.DARK]
    assert SettingsStore(tmp_path / "settings").load().theme is Theme.DARK


def test_a_theme_change_reaches_widgets_with_style_sheets_of_their_own(qtbot, qapp):
    """There is no application style sheet (with one, Qt draws every widget through its
    style-sheet style: a slower start); a widget whose own sheet names palette colours still
    takes the new theme's colours."""
    saved = QPalette(qapp.palette())
    label = QLabel("Sync: off")
    label.setStyleSheet("QLabel { color: palette(mid); }")
    qtbot.addWidget(label)
    label.show()
    try:
        apply_theme(qapp, Theme.LIGHT)
        light = label.palette().color(QPalette.ColorRole.WindowText)
        assert light == qapp.palette().color(QPalette.ColorRole.Mid)
        apply_theme(qapp, Theme.DARK)
        dark = label.palette().color(QPalette.ColorRole.WindowText)
        assert dark == qapp.palette().color(QPalette.ColorRole.Mid) and dark != light
        assert qapp.styleSheet() == ""
    finally:
        qapp.setPalette(saved)


def test_lock_closes_the_vault_and_hides_every_record(
    qtbot,
    window: MainWindow,
    open_session: Session,
    tasks: TaskRunner,
    vault_path: Path,
    vault_is_free: Callable[[Path], bool],
):
    on_vault(
        tasks,
        lambda: open_session.messaging.send("general", "Convoy departs 0600", Precedence.IMMEDIATE),
    )
    qtbot.waitUntil(lambda: window.messages_page.model.rowCount() == 1, timeout=5000)
    assert not vault_is_free(vault_path)  # the window's session holds the vault
    model = window.messages_page.model
    table, header = window.messages_page.table, window.header

    with qtbot.waitSignal(window.locked, timeout=2000):
        qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)

    assert window.is_locked
    assert not window.isVisible()
    assert model.rowCount() == 0  # no record is left in a model
    assert window.windowTitle() == "MissionDesk: locked"
    assert tasks.wait_for_done(5000)  # the vault closes on its own thread
    with pytest.raises(VaultCorrupt):
        open_session.vault.conn  # noqa: B018 - the connection is gone
    labels = [w.text() for w in window.findChildren(QLabel)]
    assert NAME not in labels and CALLSIGN not in labels
    assert not any("Convoy" in text for text in labels)
    assert not window.findChildren(QTableView)
    assert window.menuBar().actions() == []
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)  # as the event loop does
    assert not shiboken6.isValid(table) and not shiboken6.isValid(header)
    assert vault_is_free(vault_path)  # another unlock now succeeds
    assert not window.lock_action.isEnabled()
    window.lock()  # a second lock is harmless


def test_panic_lock_locks_from_any_window(qtbot, window: MainWindow):
    emitted: list[str] = []
    window.panic.connect(lambda: emitted.append("panic"))
    window.locked.connect(lambda: emitted.append("locked"))
    window.open_search()
    assert window.search_dialog is not None
    dialog = window.search_dialog
    show_and_activate(qtbot, dialog)
    both = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(dialog.query, Qt.Key.Key_L, both)
    assert emitted == ["panic", "locked"]
    assert window.is_locked and not dialog.isVisible()


def test_closing_the_window_closes_the_vault(
    qtbot,
    window: MainWindow,
    tasks: TaskRunner,
    vault_path: Path,
    vault_is_free: Callable[[Path], bool],
):
    with qtbot.waitSignal(window.closed, timeout=2000):
        window.close()
    assert window.is_locked
    assert tasks.wait_for_done(5000)
    assert vault_is_free(vault_path)


def test_a_failed_read_is_shown_on_the_page_and_logged(
    qtbot, window: MainWindow, open_session: Session, tasks: TaskRunner, caplog
):
    on_vault(tasks, open_session.vault.close)  # the database goes away under the page
    window.messages_page.refresh_channels()
    status = window.messages_page.status
    qtbot.waitUntil(status.isVisible, timeout=5000)
    assert status.text().startswith("Something unexpected went wrong (")
    assert "task 'list channels' failed" in caplog.text


def test_lock_closes_the_windows_dialogs_too(qtbot, window: MainWindow):
    window.open_settings()
    window.about_action.trigger()
    from PySide6.QtWidgets import QApplication, QDialog

    dialogs = [
        w for w in QApplication.topLevelWidgets() if isinstance(w, QDialog) and w.isVisible()
    ]
    assert len(dialogs) == 2
    window.lock()
    assert not any(d.isVisible() for d in dialogs if shiboken6.isValid(d))


def test_banner_shows_flash_already_waiting_when_the_window_opens(
    qtbot, open_session: Session, tasks: TaskRunner, make_session, tmp_path: Path
):
    other = make_session()
    share(open_session, other)
    other.messaging.send("general", "Convoy ambushed at checkpoint 4", Precedence.FLASH)
    share(other, open_session)
    options = WindowOptions(settings_store=SettingsStore(tmp_path / "settings"))
    window = MainWindow(open_session, tasks, options)
    qtbot.addWidget(window)
    show_and_activate(qtbot, window)
    qtbot.waitUntil(window.banner.isVisible, timeout=5000)  # after the first screen of messages
    assert "Convoy ambushed at checkpoint 4" in window.banner.text.text()
    assert window.messages_page.model.rowCount() == 1


def test_a_lock_keeps_what_was_typed_in_an_incident_window(
    qtbot, window: MainWindow, open_session: Session, tasks: TaskRunner, vault_path: Path
):
    """Typed, then locked before the draft's autosave pause: the window goes at once, and the
    draft is in the vault when it is opened again."""
    from missiondesk.domain.incident_filter import IncidentFilter
    from missiondesk.services.vault_access import unlock_vault

    from .conftest import PASSPHRASE

    window.show_section("Incidents")
    page = window.incidents_page
    with qtbot.waitSignal(page.incident_opened, timeout=5000) as opened:
        page.new_incident()
    dialog = opened.args[0]
    show_and_activate(qtbot, dialog)
    qtbot.keyClicks(dialog.form.title_edit, "Fuel theft at the depot")
    assert dialog.is_dirty
    with qtbot.waitSignal(window.panic, timeout=2000):
        qtbot.keyClick(
            dialog,
            Qt.Key.Key_L,
            Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
        )
    assert not dialog.isVisible()
    assert window.is_locked
    assert tasks.wait_for_done(5000)
    again = unlock_vault(vault_path, PASSPHRASE)
    try:
        rows = again.incidents.page(IncidentFilter()).rows
        assert [r.title for r in rows] == ["Fuel theft at the depot"]
        assert rows[0].status.value == "draft"
    finally:
        again.close()


def test_the_first_reads_wait_for_the_first_paint(
    qtbot, open_session: Session, tasks: TaskRunner, monkeypatch
):
    """The banner's and the status bar's first reads (and the idle watcher, which the app
    starts on `first_screen_shown`) wait until the window has painted."""
    from missiondesk.ui import main_window

    monkeypatch.setattr(
        main_window, "FIRST_SCREEN_LATEST_MS", 60_000
    )  # only the paint can start them
    window = MainWindow(open_session, tasks)
    qtbot.addWidget(window)
    shown: list[bool] = []
    window.first_screen_shown.connect(lambda: shown.append(True))
    qtbot.wait(200)  # built, not shown: nothing yet
    assert shown == [] and window.status_panel.summary is None
    with qtbot.waitSignal(window.first_screen_shown, timeout=10_000):
        show_and_activate(qtbot, window)
    qtbot.waitUntil(lambda: window.status_panel.summary is not None, timeout=5000)
    assert shown == [True]
    window.close()


@pytest.mark.parametrize("box", ["about", "shortcuts"])
@pytest.mark.parametrize("keys", ["lock", "panic"])
def test_lock_and_panic_lock_work_while_a_help_box_is_open(qtbot, window: MainWindow, box, keys):
    from PySide6.QtWidgets import QApplication, QMessageBox

    (window.about_action if box == "about" else window.shortcuts_action).trigger()
    shown = next(
        w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()
    )
    show_and_activate(qtbot, shown)
    assert QApplication.activeModalWidget() is None  # nothing swallows the keys
    if keys == "lock":
        qtbot.keyClick(shown, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    else:
        qtbot.keyClick(shown, Qt.Key.Key_Pause)
    assert window.is_locked


def test_ctrl_l_locks_from_the_find_window(qtbot, window: MainWindow):
    window.open_search()
    dialog = window.search_dialog
    assert dialog is not None
    show_and_activate(qtbot, dialog)
    qtbot.keyClick(dialog.query, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert window.is_locked and not dialog.isVisible()


def test_a_section_s_own_keys_work_as_soon_as_it_is_chosen(qtbot, window: MainWindow):
    """Ctrl+2 then Ctrl+I (focus still in the section list): a new incident opens."""
    window.nav.setFocus()
    qtbot.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    page = window.incidents_page
    with qtbot.waitSignal(page.incident_opened, timeout=5000) as opened:
        qtbot.keyClick(window.nav, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    opened.args[0].close()
    qtbot.keyClick(window, Qt.Key.Key_5, Qt.KeyboardModifier.ControlModifier)
    window.nav.setFocus()
    qtbot.keyClick(window.nav, Qt.Key.Key_G, Qt.KeyboardModifier.ControlModifier)
    assert window.map_page.go_to_box.hasFocus()
    qtbot.keyClick(window, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    with qtbot.assertNotEmitted(page.incident_opened, wait=100):  # hidden: its keys are not
        qtbot.keyClick(window.nav, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)


def test_the_shortcut_list_names_every_key(qtbot, window: MainWindow):
    from PySide6.QtWidgets import QApplication, QMessageBox

    window.shortcuts_action.trigger()
    shown = next(
        w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()
    )
    text = shown.text()
    for keys in ("Ctrl+Shift+L or Pause", "Ctrl+I", "Ctrl+G", "Ctrl+Enter", "Ctrl+N", "Ctrl+K"):
        assert keys in text, keys
    shown.close()


def test_a_lock_before_the_first_paint_still_keeps_the_message_being_written(
    qtbot, open_session: Session, tasks: TaskRunner, vault_path: Path, monkeypatch
):
    """The draft service reaches the page with the first screen; a lock that comes sooner (a
    slow first paint, a quick Ctrl+Shift+L) keeps the typed message all the same."""
    from missiondesk.services.vault_access import unlock_vault
    from missiondesk.ui import main_window

    from .conftest import PASSPHRASE

    monkeypatch.setattr(main_window, "FIRST_SCREEN_LATEST_MS", 60_000)  # never painted here
    window = MainWindow(open_session, tasks)
    qtbot.addWidget(window)
    shown: list[bool] = []
    window.first_screen_shown.connect(lambda: shown.append(True))
    qtbot.waitUntil(lambda: window.messages_page.current_channel is not None, timeout=5000)
    window.messages_page.compose.text_edit.setPlainText("Patrol 3 back at 1840, all present")
    window.lock()
    assert shown == []  # the lock came before the first screen
    assert tasks.wait_for_done(5000)
    again = unlock_vault(vault_path, PASSPHRASE)
    try:
        assert "Patrol 3 back at 1840" in (again.vault.get_meta("draft.message") or "")
    finally:
        again.close()


def test_the_compose_box_and_reading_pane_come_after_the_first_paint_in_kept_room(
    qtbot, open_session: Session, tasks: TaskRunner, monkeypatch
):
    """The first paint shows the channels and the messages; the compose box and the reading
    pane are built right after it (docs/architecture.md), in room kept for them: the message
    table does not move or change size when they come, and the first message is read."""
    from missiondesk.ui import main_window
    from missiondesk.ui.first_paint import AfterFirstPaint

    monkeypatch.setattr(main_window, "FIRST_SCREEN_LATEST_MS", 60_000)  # only the paint
    on_vault(tasks, lambda: open_session.messaging.send(
        open_session.channels.require("general")[0], "Convoy at checkpoint 4"
    ))  # fmt: skip
    window = MainWindow(open_session, tasks)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    page = window.messages_page
    at_paint: list[tuple[object, ...]] = []

    def painted() -> None:
        table = page.table.geometry()
        at_paint.append((page._compose, page._reading, page.table.mapTo(window, table.topLeft())))
        at_paint.append((table.size(),))

    AfterFirstPaint(window, painted, latest_ms=60_000)  # runs before the window's own
    with qtbot.waitSignal(window.first_screen_shown, timeout=10_000):
        show_and_activate(qtbot, window)
    (compose, reading, place), (size,) = at_paint
    assert compose is None and reading is None  # not built before the first paint
    assert page._compose is not None and page._reading is not None  # built after it
    qtbot.waitUntil(lambda: page.compose.isVisible() and page.reading.isVisible(), timeout=5000)
    QCoreApplication.processEvents()
    assert page.table.mapTo(window, page.table.geometry().topLeft()) == place
    assert page.table.geometry().size() == size
    assert page.compose.text_edit.placeholderText().startswith("Message to #general")
    qtbot.waitUntil(lambda: page.reading.text.toPlainText() == "Convoy at checkpoint 4")
    window.close()


def test_asking_for_the_compose_box_before_the_first_paint_builds_it(
    qtbot, open_session: Session, tasks: TaskRunner
):
    window = MainWindow(open_session, tasks)
    qtbot.addWidget(window)
    page = window.messages_page
    qtbot.waitUntil(lambda: page.current_channel is not None, timeout=5000)
    assert page._compose is None
    window.new_message_action.trigger()  # Ctrl+N, before the window was ever shown
    assert page._compose is not None
    assert page.compose.text_edit.placeholderText().startswith("Message to #")
    show_and_activate(qtbot, window)
    qtbot.waitUntil(page.compose.text_edit.hasFocus, timeout=5000)
    window.close()
