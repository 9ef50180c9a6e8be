"""The main window over an unlocked vault: live messages, incidents, pages to come, and Lock."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication, QLabel, QTableView

from missiondesk.domain.ids import fingerprint
from missiondesk.domain.records.messaging import Precedence
from missiondesk.services.session import Session
from missiondesk.store.errors import VaultCorrupt
from missiondesk.ui.incidents_page import IncidentsModel
from missiondesk.ui.main_window import SECTIONS, MainWindow
from missiondesk.ui.messages_page import MessagesModel
from missiondesk.ui.pages import LaterPage
from missiondesk.ui.theme import ERROR, PRECEDENCE_COLOURS

from .conftest import CALLSIGN, NAME, show_and_activate


@pytest.fixture
def window(qtbot, open_session: Session) -> MainWindow:
    window = MainWindow(open_session)
    qtbot.addWidget(window)
    show_and_activate(qtbot, window)
    return window


def cell(model, row: int, column: int, role=Qt.ItemDataRole.DisplayRole):
    return model.data(model.index(row, column), role)


def test_header_shows_officer_and_device(window: MainWindow, open_session: Session):
    assert window.header.name_label.text() == NAME
    assert window.header.callsign_label.text() == CALLSIGN
    assert window.header.fingerprint_label.text() == fingerprint(open_session.device_id)
    assert [window.nav.item(i).text().split()[0] for i in range(window.nav.count())] == list(
        SECTIONS
    )
    assert window.current_section() == "Messages"


def test_flash_message_appears_without_reload(qtbot, window: MainWindow, open_session: Session):
    model = window.messages_page.model
    assert model.rowCount() == 0
    assert window.messages_page.body.currentWidget() is window.messages_page.empty_note

    open_session.messaging.send("general", "Contact at checkpoint 4, request QRF", Precedence.FLASH)
    qtbot.waitUntil(lambda: model.rowCount() == 1, timeout=5000)

    assert cell(model, 0, MessagesModel.PRECEDENCE) == "FLASH"
    assert cell(model, 0, MessagesModel.TEXT) == "Contact at checkpoint 4, request QRF"
    assert cell(model, 0, MessagesModel.CHANNEL) == "#general"
    assert cell(model, 0, MessagesModel.AUTHOR) == CALLSIGN
    assert re.fullmatch(r"\d{6}Z [A-Z]{3} \d{2}", cell(model, 0, MessagesModel.DTG))
    colour = cell(model, 0, MessagesModel.PRECEDENCE, Qt.ItemDataRole.ForegroundRole)
    assert QColor(colour) == PRECEDENCE_COLOURS[Precedence.FLASH]
    assert cell(model, 0, MessagesModel.PRECEDENCE, Qt.ItemDataRole.FontRole).bold()
    assert window.messages_page.body.currentWidget() is window.messages_page.table
    assert "1 message" in window.messages_page.summary.text()


def test_newest_message_on_top_and_precedences_coloured(
    qtbot, window: MainWindow, open_session: Session
):
    model = window.messages_page.model
    for precedence in (Precedence.ROUTINE, Precedence.PRIORITY, Precedence.IMMEDIATE):
        open_session.messaging.send("general", f"{precedence.value} traffic", precedence)
    qtbot.waitUntil(lambda: model.rowCount() == 3, timeout=5000)
    assert [cell(model, r, MessagesModel.PRECEDENCE) for r in range(3)] == [
        "IMMEDIATE",
        "PRIORITY",
        "ROUTINE",
    ]
    colours = [
        cell(model, r, MessagesModel.PRECEDENCE, Qt.ItemDataRole.ForegroundRole) for r in range(3)
    ]
    assert QColor(colours[0]) == PRECEDENCE_COLOURS[Precedence.IMMEDIATE]
    assert QColor(colours[1]) == PRECEDENCE_COLOURS[Precedence.PRIORITY]
    assert colours[2] is None  # ROUTINE keeps the palette's colour
    assert cell(model, 0, MessagesModel.PRECEDENCE, Qt.ItemDataRole.FontRole) is None


def test_change_from_another_thread_refreshes_on_the_gui_thread(
    qtbot, window: MainWindow, open_session: Session
):
    gui = QApplication.instance().thread()
    refreshed_on: list[bool] = []
    original = window.messages_page.refresh

    def spy() -> None:
        from PySide6.QtCore import QThread

        refreshed_on.append(QThread.currentThread() is gui)
        original()

    window.messages_page.refresh = spy  # instance attribute: the page's slot calls it
    sender = threading.Thread(
        target=lambda: open_session.messaging.send("general", "From a worker", Precedence.PRIORITY)
    )
    sender.start()
    sender.join()
    qtbot.waitUntil(lambda: window.messages_page.model.rowCount() == 1, timeout=5000)
    assert refreshed_on == [True]


def test_incidents_are_listed_and_follow_changes(qtbot, window: MainWindow, open_session: Session):
    window.show_section("Incidents")
    assert window.current_section() == "Incidents"
    model = window.incidents_page.model
    assert model.rowCount() == 0
    open_session.incidents.add(
        title="Roadblock on MSR Tampa",
        category="movement_restriction",
        severity=4,
        location="38S MB 44600 87200",
        place="Km 42",
    )
    qtbot.waitUntil(lambda: model.rowCount() == 1, timeout=5000)
    m = IncidentsModel
    assert cell(model, 0, m.TITLE) == "Roadblock on MSR Tampa"
    assert cell(model, 0, m.CATEGORY) == "Movement restriction / checkpoint denial"
    assert cell(model, 0, m.SEVERITY) == "4 of 5"
    assert QColor(cell(model, 0, m.SEVERITY, Qt.ItemDataRole.ForegroundRole)) == ERROR
    assert re.fullmatch(r"38S MB \d{5} \d{5}", cell(model, 0, m.MGRS))
    assert cell(model, 0, m.PLACE) == "Km 42"
    assert cell(model, 0, m.STATUS) == "Draft"
    assert cell(model, 0, m.OFFICER) == CALLSIGN


@pytest.mark.parametrize("section", ["Checklists", "Personnel", "Map", "Sync"])
def test_sections_to_come_say_so(window: MainWindow, section: str):
    window.show_section(section)
    page = window.stack.currentWidget()
    assert isinstance(page, LaterPage)
    texts = [label.text() for label in page.findChildren(QLabel)]
    assert section in texts
    assert "Coming in a later release" in texts


def test_lock_closes_the_vault_and_hides_every_record(
    qtbot,
    window: MainWindow,
    open_session: Session,
    vault_path: Path,
    vault_is_free: Callable[[Path], bool],
):
    open_session.messaging.send("general", "Convoy departs 0600", Precedence.IMMEDIATE)
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
    with pytest.raises(VaultCorrupt):
        open_session.vault.conn  # noqa: B018 - the connection is gone
    labels = [w.text() for w in window.findChildren(QLabel)]
    assert NAME not in labels and CALLSIGN not in labels
    assert not window.findChildren(QTableView)
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)  # as the event loop does
    assert not shiboken6.isValid(table) and not shiboken6.isValid(header)
    assert vault_is_free(vault_path)  # another unlock now succeeds
    assert not window.lock_action.isEnabled()
    window.lock()  # a second lock is harmless


def test_closing_the_window_closes_the_vault(
    qtbot, window: MainWindow, vault_path: Path, vault_is_free: Callable[[Path], bool]
):
    with qtbot.waitSignal(window.closed, timeout=2000):
        window.close()
    assert window.is_locked
    assert vault_is_free(vault_path)


def test_a_failed_refresh_is_shown_on_the_page_and_logged(
    window: MainWindow, open_session: Session, caplog
):
    open_session.vault.close()  # the database goes away under the page
    window.messages_page.refresh()
    shown = window.messages_page.summary.text()
    assert shown.startswith("Something unexpected went wrong (")
    assert "task 'refresh Messages' failed" in caplog.text
