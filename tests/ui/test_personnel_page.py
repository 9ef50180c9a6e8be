"""The Personnel section on real widgets over real vaults whose clock the test drives: a
headcount is started and worked from the keyboard (roll-up counts and the time the last
person was accounted for), an alert is acknowledged, the panic alarm raises a FLASH alert with
the last known position, a role that may not start a headcount is told why, the roster's
emergency details show only on request (and are withheld on a laptop not cleared for them),
and clear() leaves nothing of the vault in any widget."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QTableWidget,
    QTreeWidget,
    QWidget,
)

from missiondesk.domain.dtg import format_dtg
from missiondesk.domain.markings import Precedence, Sensitivity
from missiondesk.domain.records.alerts import AlertStep
from missiondesk.domain.records.headcount import PersonStatus
from missiondesk.domain.records.people import Role
from missiondesk.services.session import Session
from missiondesk.services.vault_access import create_vault
from missiondesk.ui.changes import ChangeRelay
from missiondesk.ui.protection.page import PersonnelPage
from missiondesk.ui.tasks import TaskRunner
from tests.opfactory import share

from .conftest import FAST_KDF, PASSPHRASE, on_vault, show_and_activate

START = (datetime.now(UTC) - timedelta(days=1)).replace(minute=0, second=0, microsecond=0)


def t(minutes: int) -> datetime:
    return START + timedelta(minutes=minutes)


class Wall:
    def __init__(self) -> None:
        self.ms = int(START.timestamp() * 1000)

    def __call__(self) -> int:
        return self.ms

    def at(self, minutes: int) -> datetime:
        self.ms = int(START.timestamp() * 1000) + minutes * 60_000
        return t(minutes)


@pytest.fixture
def wall() -> Wall:
    return Wall()


def make_vault(tmp_path: Path, wall: Wall, name: str, callsign: str) -> Session:
    return create_vault(
        tmp_path / callsign, PASSPHRASE, name=name, callsign=callsign, kdf=FAST_KDF, wall=wall
    )


@pytest.fixture
def session(tmp_path: Path, wall: Wall) -> Iterator[Session]:
    s = make_vault(tmp_path, wall, "Anna Berg", "ALPHA-1")
    try:
        yield s
    finally:
        s.close()


class Opened:
    """A PersonnelPage over a session, with its own vault thread and relay."""

    def __init__(self, qtbot, session: Session) -> None:
        self.tasks = TaskRunner()
        self.relay = ChangeRelay(session.changes)
        self.page = PersonnelPage(session, self.tasks, self.relay, refresh_ms=0)
        qtbot.addWidget(self.page)
        self.page.resize(1200, 800)
        show_and_activate(qtbot, self.page)

    def vault(self, fn):
        return on_vault(self.tasks, fn)

    def close(self) -> None:
        self.page.clear()
        self.relay.stop()
        assert self.tasks.wait_for_done(10_000)
        self.tasks.shutdown()
        # delete the runner now, not whenever the garbage collector meets its cycles (maybe
        # while one of its tasks is being deleted: a double delete)
        self.tasks.deleteLater()


@pytest.fixture
def opened(qtbot, session: Session) -> Iterator[Opened]:
    o = Opened(qtbot, session)
    try:
        yield o
    finally:
        o.close()


def roster_of(o: Opened, session: Session) -> None:
    o.vault(lambda: session.roster.add("Ben Okafor", callsign="BRAVO-2", outpost="OP North"))
    o.vault(lambda: session.roster.add("Chen Li", callsign="CHARLIE-3", outpost="OP North"))
    o.vault(lambda: session.roster.add("Dana Moss", callsign="DELTA-4", outpost="Camp Alpha"))


def active_dialog(qtbot, dialogs: list) -> QWidget:
    qtbot.waitUntil(lambda: bool(dialogs), timeout=5000)
    dialog = dialogs[0]
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog, timeout=5000)
    return dialog


def alt(qtbot, widget: QWidget, key: Qt.Key) -> None:
    qtbot.keyClick(widget, key, Qt.KeyboardModifier.AltModifier)


# -- headcount --


def test_a_headcount_is_started_and_worked_from_the_keyboard(qtbot, session, opened, wall):
    page, tab = opened.page, opened.page.headcount
    roster_of(opened, session)
    alt(qtbot, page, Qt.Key.Key_H)  # the Headcount tab
    assert page.tabs.currentWidget() is tab
    qtbot.waitUntil(lambda: tab.state is not None and tab.start_button.isEnabled(), timeout=5000)
    assert tab.summary.text() == "No headcount is open."
    assert tab.refusal.isHidden()

    wall.at(0)
    alt(qtbot, tab, Qt.Key.Key_S)  # Start headcount…
    dialog = active_dialog(qtbot, tab.dialogs)
    assert dialog.title_edit.hasFocus()
    qtbot.keyClicks(dialog.title_edit, "Shelling near OP North")  # replaces the selected default
    alt(qtbot, dialog, Qt.Key.Key_T)  # These outposts: (a mnemonic clicks as it animates)
    qtbot.waitUntil(dialog.outposts_radio.isChecked, timeout=5000)
    qtbot.keyClick(dialog, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: bool(dialog.rows.error_text("outposts")), timeout=5000)
    assert "Tick at least one outpost" in dialog.rows.error_text("outposts")
    assert dialog.title_edit.text() == "Shelling near OP North"
    names = [dialog.outpost_list.item(i).text() for i in range(dialog.outpost_list.count())]
    assert names == ["Camp Alpha", "OP North"]
    dialog.outpost_list.setFocus()
    dialog.outpost_list.setCurrentRow(1)
    qtbot.keyClick(dialog.outpost_list, Qt.Key.Key_Space)
    qtbot.keyClick(dialog.outpost_list, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: tab.body.currentWidget() is tab.open_view, timeout=5000)
    assert not tab.dialogs
    show_and_activate(qtbot, page)  # the offscreen platform does not give it back by itself
    assert "Shelling near OP North · OP North · started" in tab.heading.text()
    assert tab.statuses() == {"BRAVO-2": "Unaccounted", "CHARLIE-3": "Unaccounted"}
    assert tab.rollup_rows()[-1] == ("Mission", "0", "0", "2", "2", "not yet (2 unaccounted)")

    tab.people.setFocus()
    tab.select_person("BRAVO-2")
    wall.at(5)
    alt(qtbot, tab, Qt.Key.Key_F)  # Safe; the next person is selected after
    qtbot.waitUntil(lambda: tab.statuses()["BRAVO-2"] == "Safe", timeout=5000)
    qtbot.waitUntil(lambda: tab.people.currentItem().text(0) == "CHARLIE-3", timeout=5000)
    assert tab.rollup_rows()[-1][5] == "not yet (1 unaccounted)"
    wall.at(7)
    qtbot.keyClicks(tab.note_edit, "shrapnel, leg")
    alt(qtbot, tab, Qt.Key.Key_P)  # Needs help
    qtbot.waitUntil(lambda: tab.statuses()["CHARLIE-3"] == "NEEDS HELP", timeout=5000)
    assert tab.note_edit.text() == ""
    rows = tab.rollup_rows()
    assert rows[0] == ("OP North", "1", "1", "0", "2", format_dtg(t(7)))
    assert rows[-1] == ("Mission", "1", "1", "0", "2", format_dtg(t(7)))
    assert f"all accounted for at {format_dtg(t(7))}" in tab.summary.text()
    charlie = tab.people.topLevelItem(0).child(1)
    assert (charlie.text(2), charlie.text(3), charlie.text(4)) == (
        "shrapnel, leg", format_dtg(t(7)), "ALPHA-1",
    )  # fmt: skip
    assert (
        charlie.background(1).color() != tab.people.topLevelItem(0).child(0).background(1).color()
    )
    view = opened.vault(lambda: session.headcount.status(session.headcount.current()))
    assert [p.status for p in view.people] == [PersonStatus.SAFE, PersonStatus.NEEDS_HELP]

    # a refused mark says why and keeps what was typed
    tab.select_person("BRAVO-2")
    qtbot.keyClicks(tab.position_edit, "behind the hill")
    alt(qtbot, tab, Qt.Key.Key_U)
    qtbot.waitUntil(lambda: "not a location" in tab.mark_error.text(), timeout=5000)
    assert tab.position_edit.text() == "behind the hill"
    assert tab.statuses()["BRAVO-2"] == "Safe"

    alt(qtbot, tab, Qt.Key.Key_E)  # Close headcount
    qtbot.waitUntil(lambda: tab.body.currentWidget() is tab.idle, timeout=5000)
    assert tab.idle_note.text().startswith("The last headcount, Shelling near OP North, was closed")


def test_a_role_that_may_not_start_a_headcount_is_told_why(qtbot, tmp_path, wall):
    session = make_vault(tmp_path, wall, "Ben Okafor", "BRAVO-2")
    try:
        session.mission.create("Sector North", role=Role.OFFICER)
        session.roster.add("Chen Li", callsign="CHARLIE-3", outpost="OP North")
        o = Opened(qtbot, session)
        try:
            tab = o.page.headcount
            o.page.tabs.setCurrentWidget(tab)
            qtbot.waitUntil(lambda: tab.state is not None, timeout=5000)
            assert not tab.start_button.isEnabled()
            assert tab.refusal.isVisible()
            assert tab.refusal.text() == (
                "An officer cannot start a headcount; ask a commander, duty officer or "
                "security officer."
            )
        finally:
            o.close()
    finally:
        session.close()


# -- alerts --


def test_an_alert_is_acknowledged_and_flash_cannot_be_missed(qtbot, session, opened, wall):
    page, tab = opened.page, opened.page.alerts
    roster_of(opened, session)
    opened.vault(
        lambda: session.movements.plan(
            "Resupply OP North", ["BRAVO-2"], ["Camp Alpha", "OP North=33.31, 44.36"],
            depart=t(0), eta=t(240), interval=60,
        )
    )  # fmt: skip
    for minutes in (60, 90, 120):
        now = wall.at(minutes)
        opened.vault(lambda n=now: session.watch.tick(n))
    alt(qtbot, page, Qt.Key.Key_L)  # the Alerts tab
    assert page.tabs.currentWidget() is tab
    qtbot.waitUntil(lambda: tab.model.rowCount() == 3, timeout=5000)
    column = [tab.model.data(tab.model.index(r, 1)) for r in range(3)]
    assert column == ["FLASH", "ALARM", "WARNING"]  # newest first
    assert tab.model.data(tab.model.index(0, 0)) == "FLASH"
    assert tab.model.data(tab.model.index(0, 2)) == format_dtg(t(120))
    assert tab.model.data(tab.model.index(0, 3)) == "BRAVO-2"
    assert tab.flash_banner.isVisible() and "FLASH" in tab.flash_banner.text()
    assert tab.model.data(tab.model.index(0, 0), Qt.ItemDataRole.BackgroundRole) is not None
    assert "3 open, 0 acknowledged" in tab.summary.text()

    tab.table.setFocus()
    tab.table.selectRow(0)
    alt(qtbot, tab, Qt.Key.Key_K)  # Acknowledge
    qtbot.waitUntil(lambda: "2 open, 1 acknowledged" in tab.summary.text(), timeout=5000)
    assert tab.model.data(tab.model.index(0, 6)).startswith("acknowledged by ALPHA-1")
    assert not tab.flash_banner.isVisible()  # no FLASH left open
    assert not tab.acknowledge_button.isEnabled()
    alerts = opened.vault(session.alerts.list)
    assert alerts[0].alert.step is AlertStep.FLASH and alerts[0].alert.acknowledged == t(120)


def test_the_panic_alarm_asks_first_then_raises_a_flash_alert(qtbot, session, opened, wall):
    page, tab = opened.page, opened.page.alerts
    me = opened.vault(lambda: session.people.person_id)
    movement = opened.vault(
        lambda: session.movements.plan(
            "Patrol", [me], ["A", "B"], depart=t(0), eta=t(120), interval=60
        )
    )
    wall.at(10)
    opened.vault(lambda: session.movements.check_in(movement, position="33.31, 44.36"))
    page.raise_panic()  # as the shell's menu does
    assert page.tabs.currentWidget() is tab
    dialog = active_dialog(qtbot, tab.dialogs)
    assert "FLASH alert to every laptop of the mission that ALPHA-1 is in danger" in (
        dialog.explanation.text()
    )
    assert "Last known position: 38S MB" in dialog.explanation.text()
    assert opened.vault(session.alerts.list) == []  # nothing sent before confirming
    qtbot.keyClicks(dialog.position_edit, "in the river")
    qtbot.keyClick(dialog.position_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: bool(dialog.rows.error_text("position")), timeout=5000)
    assert "not a location" in dialog.rows.error_text("position")
    assert dialog.position_edit.text() == "in the river"
    dialog.position_edit.clear()
    qtbot.keyClicks(dialog.note_edit, "vehicle ambushed")
    qtbot.keyClick(dialog.note_edit, Qt.Key.Key_Return)  # Enter: Raise panic alarm
    qtbot.waitUntil(lambda: not tab.dialogs, timeout=5000)
    qtbot.waitUntil(lambda: tab.model.rowCount() == 1, timeout=5000)
    alerts = opened.vault(session.alerts.list)
    assert len(alerts) == 1
    panic = alerts[0].alert
    assert (panic.step, panic.precedence) == (AlertStep.PANIC, Precedence.FLASH)
    assert panic.text == "PANIC ALPHA-1: vehicle ambushed" and panic.position is not None
    assert tab.flash_banner.isVisible() and "PANIC ALPHA-1" in tab.flash_banner.text()
    assert tab.model.data(tab.model.index(0, 4)) == panic.position.mgrs


# -- roster --


def test_people_are_added_and_emergency_details_shown_only_on_request(qtbot, session, opened):
    page, tab = opened.page, opened.page.roster
    alt(qtbot, page, Qt.Key.Key_R)
    assert page.tabs.currentWidget() is tab
    qtbot.waitUntil(lambda: tab.model.rowCount() == 1, timeout=5000)  # this laptop's officer
    alt(qtbot, tab, Qt.Key.Key_D)  # Add person…
    dialog = active_dialog(qtbot, tab.dialogs)
    assert dialog.rows.required_note is not None and dialog.rows.required_note.isVisible()
    assert dialog.name_edit.accessibleName() == "Name (required)"  # the one field needed
    assert dialog.callsign_edit.accessibleName() == "Callsign"
    qtbot.keyClicks(dialog.name_edit, "Ben Okafor")
    qtbot.keyClick(dialog.name_edit, Qt.Key.Key_Tab)
    qtbot.keyClicks(dialog.callsign_edit, "ALPHA-1")  # already taken: refused
    qtbot.keyClick(dialog.callsign_edit, Qt.Key.Key_Tab)
    assert dialog.role_box.hasFocus()
    dialog.role_box.setCurrentIndex(dialog.role_box.findData(Role.DUTY_OFFICER))
    qtbot.keyClick(dialog.role_box, Qt.Key.Key_Tab)
    qtbot.keyClicks(dialog.unit_edit, "Team Kilo")
    qtbot.keyClick(dialog.unit_edit, Qt.Key.Key_Tab)
    qtbot.keyClicks(dialog.outpost_edit, "OP North")
    alt(qtbot, dialog, Qt.Key.Key_D)  # Add emergency details
    qtbot.waitUntil(dialog.emergency_fields.isVisible, timeout=5000)
    qtbot.keyClicks(dialog.kin_edit, "Ada Okafor")
    dialog.blood_box.setCurrentIndex(dialog.blood_box.findData("O+"))
    qtbot.keyClick(dialog.kin_edit, Qt.Key.Key_Return)  # Enter: Save
    qtbot.waitUntil(lambda: bool(dialog.rows.error_text("callsign")), timeout=5000)
    assert "already on the roster" in dialog.rows.error_text("callsign")
    assert dialog.kin_edit.text() == "Ada Okafor" and dialog.name_edit.text() == "Ben Okafor"
    dialog.callsign_edit.selectAll()
    qtbot.keyClicks(dialog.callsign_edit, "BRAVO-2")
    qtbot.keyClick(dialog.callsign_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not tab.dialogs, timeout=5000)
    qtbot.waitUntil(lambda: tab.model.rowCount() == 2, timeout=5000)
    cells = [tab.model.data(tab.model.index(r, 0)) for r in range(2)]
    row = cells.index("BRAVO-2")
    shown = tuple(tab.model.data(tab.model.index(row, c)) for c in range(6))
    assert shown == ("BRAVO-2", "Ben Okafor", "Duty officer", "Team Kilo", "OP North",
                     "none linked")  # fmt: skip
    assert "Ada" not in str(shown)

    tab.table.setFocus()
    tab.table.selectRow(row)
    qtbot.keyClick(tab.table, Qt.Key.Key_Return)  # Enter: Edit…
    dialog = active_dialog(qtbot, tab.dialogs)
    assert dialog.name_edit.text() == "Ben Okafor"
    assert not dialog.emergency_fields.isVisible() and dialog.kin_edit.text() == ""
    alt(qtbot, dialog, Qt.Key.Key_D)  # Show emergency details
    qtbot.waitUntil(dialog.emergency_fields.isVisible, timeout=5000)
    assert dialog.kin_edit.text() == "Ada Okafor" and dialog.blood_box.currentData() == "O+"
    qtbot.keyClicks(dialog.allergies_edit, "penicillin")
    qtbot.keyClick(dialog.allergies_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not tab.dialogs, timeout=5000)
    person = opened.vault(lambda: session.roster.resolve("BRAVO-2"))
    card = opened.vault(lambda: session.roster.card(person))
    assert card.emergency is not None
    assert (card.emergency.next_of_kin, card.emergency.allergies) == ("Ada Okafor", "penicillin")


def test_a_person_is_taken_off_the_roster_from_the_keyboard_once_confirmed(
    qtbot, session, opened, wall
):
    page, tab = opened.page, opened.page.roster
    roster_of(opened, session)
    movement = opened.vault(
        lambda: session.movements.plan(
            "Convoy ZEBRA", ["BRAVO-2"], ["Camp Alpha", "OP North"],
            depart=t(0), eta=t(240), interval=60,
        )
    )  # fmt: skip
    alt(qtbot, page, Qt.Key.Key_R)
    qtbot.waitUntil(lambda: tab.model.rowCount() == 4, timeout=5000)
    labels = [tab.model.data(tab.model.index(r, 0)) for r in range(4)]
    asked: list[str] = []
    answers = [False, True, True]
    tab.confirm = lambda _parent, question: asked.append(question) or answers.pop(0)
    tab.table.setFocus()
    tab.table.selectRow(labels.index("BRAVO-2"))
    qtbot.keyClick(tab.table, Qt.Key.Key_Delete)  # No: nothing happens
    assert asked and "Take BRAVO-2 (Ben Okafor) off the roster, for every laptop?" in asked[0]
    qtbot.keyClick(tab.table, Qt.Key.Key_Delete)  # Yes, but he is on a movement under way
    qtbot.waitUntil(lambda: "Convoy ZEBRA" in tab.note.text(), timeout=5000)
    assert "record its arrival or cancel it first" in tab.note.text()
    assert tab.model.rowCount() == 4
    opened.vault(lambda: session.movements.arrive(movement))
    alt(qtbot, tab, Qt.Key.Key_V)  # Remove…
    qtbot.waitUntil(lambda: tab.model.rowCount() == 3, timeout=5000)
    assert tab.note.text() == "BRAVO-2 is off the roster."
    assert "BRAVO-2" not in [tab.model.data(tab.model.index(r, 0)) for r in range(3)]
    assert len(asked) == 3 and not answers
    assert "BRAVO-2" not in [e.label for e in opened.vault(session.roster.entries)]


def test_emergency_details_are_withheld_where_the_clearance_does_not_cover_them(
    qtbot, tmp_path, wall
):
    hq = make_vault(tmp_path, wall, "Chief", "HQ-1")
    field = make_vault(tmp_path, wall, "Ops", "OPS-1")
    try:
        hq.mission.create("Sector North", role=Role.COMMANDER)
        request, _ = field.mission.request_enrollment()
        approval, _ = hq.mission.approve(
            request, role=Role.DUTY_OFFICER, clearance=Sensitivity.CONFIDENTIAL
        )
        field.mission.accept(approval)
        hq.roster.add("Ben Okafor", callsign="BRAVO-2", emergency={"next_of_kin": "Ada Okafor"})
        share(hq, field)
        o = Opened(qtbot, field)
        try:
            tab = o.page.roster
            o.page.tabs.setCurrentWidget(tab)
            qtbot.waitUntil(lambda: "BRAVO-2" in {
                tab.model.data(tab.model.index(r, 0)) for r in range(tab.model.rowCount())
            }, timeout=5000)  # fmt: skip
            labels = [tab.model.data(tab.model.index(r, 0)) for r in range(tab.model.rowCount())]
            tab.table.selectRow(labels.index("BRAVO-2"))
            tab.edit_person()
            dialog = active_dialog(qtbot, tab.dialogs)
            dialog.show_emergency()
            qtbot.waitUntil(dialog.withheld_note.isVisible, timeout=5000)
            text = dialog.withheld_note.text()
            assert text.startswith("Withheld: this person's emergency details are Strictly")
            assert "clearance (Confidential) does not cover" in text
            assert not dialog.emergency_fields.isVisible() and dialog.kin_edit.text() == ""
        finally:
            o.close()
    finally:
        field.close()
        hq.close()


# -- lock --


def texts_of(root: QWidget) -> list[str]:
    """Every string a widget under `root` (its dialogs included) shows or holds."""
    found: list[str] = []
    for widget in [root, *root.findChildren(QWidget)]:
        if isinstance(widget, (QLabel, QLineEdit)):
            found.append(widget.text())
        elif isinstance(widget, QPlainTextEdit):
            found.append(widget.toPlainText())
        elif isinstance(widget, QComboBox):
            found.extend(widget.itemText(i) for i in range(widget.count()))
        elif isinstance(widget, QTreeWidget):
            found.extend(widget.topLevelItem(i).text(0) for i in range(widget.topLevelItemCount()))
        elif isinstance(widget, QTableWidget):
            found.extend(
                widget.item(r, c).text()
                for r in range(widget.rowCount())
                for c in range(widget.columnCount())
                if widget.item(r, c) is not None
            )
        elif isinstance(widget, QListWidget):
            found.extend(widget.item(i).text() for i in range(widget.count()))
        elif isinstance(widget, QAbstractItemView) and widget.model() is not None:
            model = widget.model()
            found.extend(
                str(model.data(model.index(r, c)))
                for r in range(model.rowCount())
                for c in range(model.columnCount())
            )
    return found


def test_clear_leaves_no_data_in_any_widget(qtbot, session, opened, wall, drain_events):
    page = opened.page
    roster_of(opened, session)
    opened.vault(
        lambda: session.movements.plan(
            "Convoy ZEBRA", ["BRAVO-2"], ["Camp Alpha", "OP North"],
            depart=t(0), eta=t(240), interval=60,
        )
    )  # fmt: skip
    now = wall.at(60)
    opened.vault(lambda: session.watch.tick(now))
    headcount = opened.vault(lambda: session.headcount.start("Headcount KILO"))
    opened.vault(lambda: session.headcount.mark(headcount, "DELTA-4", "safe", note="at gate"))
    board, hc, alerts, roster = page.movements, page.headcount, page.alerts, page.roster
    qtbot.waitUntil(lambda: board.model.rowCount() == 1, timeout=5000)
    qtbot.waitUntil(lambda: alerts.model.rowCount() == 1, timeout=5000)
    qtbot.waitUntil(lambda: roster.model.rowCount() == 4, timeout=5000)
    qtbot.waitUntil(lambda: "DELTA-4" in hc.statuses(), timeout=5000)
    # dialogs open in every tab, with something typed
    board.plan_movement()
    plan = active_dialog(qtbot, board.dialogs)
    qtbot.keyClicks(plan.title_edit, "Convoy YANKEE")
    page.tabs.setCurrentWidget(roster)
    roster.table.selectRow(0)
    roster.edit_person()
    person = active_dialog(qtbot, roster.dialogs)
    page.raise_panic()
    panic = active_dialog(qtbot, alerts.dialogs)
    dialogs = [plan, person, panic]
    secrets = ("Convoy", "ZEBRA", "YANKEE", "BRAVO", "DELTA", "Okafor", "KILO", "at gate",
               "ALPHA-1", "Anna")  # fmt: skip
    assert any(s in text for text in texts_of(page) for s in secrets)

    page.clear()
    assert not board.dialogs and not roster.dialogs and not alerts.dialogs and not hc.dialogs
    assert not any(d.isVisible() for d in dialogs)
    assert not board.clock.isActive()
    assert not [w for w in QApplication.topLevelWidgets() if w.isVisible() and w is not page]
    # a change after the lock reaches no widget, and nothing is read again
    opened.vault(lambda: session.roster.add("Eve Ward", callsign="ECHO-5"))
    drain_events()
    assert opened.vault(lambda: True)  # the vault thread has nothing more queued
    drain_events()
    left = [text for text in texts_of(page) for s in secrets if s in text]
    assert left == []
    assert "ECHO" not in " ".join(texts_of(page))
    for model in (board.model, alerts.model, roster.model):
        assert model.rowCount() == 0
    assert hc.people.topLevelItemCount() == 0 and hc.rollup.rowCount() == 0
    assert board.details.toPlainText() == ""
