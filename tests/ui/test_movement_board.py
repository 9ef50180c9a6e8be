"""The movement board on real widgets over a real vault: a movement is planned from the
keyboard in Plan movement… (a refused field says why under it and keeps what was typed), its
check-in is missed, and each escalation step shows on the board in order as the clock is
driven (the test moves the wall clock and ticks the watch on the vault thread, as the shell
does; nothing sleeps); Check in (from the keyboard) puts it back on time and Arrived takes it
off the board; Revise… gives a held-up movement a new ETA and interval (a wrong ETA is refused
under its field); Cancel movement… asks first, and a cancelled movement raises no alert."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from missiondesk.domain.dtg import format_dtg
from missiondesk.domain.records.alerts import AlertStep
from missiondesk.services.session import Session
from missiondesk.services.vault_access import create_vault
from missiondesk.ui.changes import ChangeRelay
from missiondesk.ui.protection.movement_board import MovementBoard
from missiondesk.ui.protection.movement_dialog import PlanMovementDialog
from missiondesk.ui.tasks import TaskRunner
from tests.driven_clock import DrivenWall

from .conftest import FAST_KDF, PASSPHRASE, on_vault, show_and_activate

START = (datetime.now(UTC) - timedelta(days=1)).replace(minute=0, second=0, microsecond=0)


@pytest.fixture
def wall() -> DrivenWall:
    return DrivenWall(START)


@pytest.fixture
def session(tmp_path: Path, wall: DrivenWall) -> Iterator[Session]:
    s = create_vault(
        tmp_path / "vault", PASSPHRASE, name="Anna", callsign="ALPHA-1", kdf=FAST_KDF, wall=wall
    )
    try:
        yield s
    finally:
        s.close()


@pytest.fixture
def board(qtbot, tasks: TaskRunner, session: Session) -> Iterator[MovementBoard]:
    relay = ChangeRelay(session.changes)
    widget = MovementBoard(session, tasks, relay, refresh_ms=0)
    qtbot.addWidget(widget)
    widget.resize(1100, 700)
    try:
        yield widget
    finally:
        widget.close_page()
        relay.stop()
        assert tasks.wait_for_done(10_000)


def state(board: MovementBoard) -> str:
    return str(board.model.data(board.model.index(0, 0))) if board.model.rowCount() else ""


def plan_for_bravo(tasks: TaskRunner, session: Session, title: str, route: list[str]) -> str:
    """BRAVO-2 on the roster and on a movement leaving at START, due to check in hourly."""
    on_vault(tasks, lambda: session.roster.add("Ben", callsign="BRAVO-2"))
    return on_vault(
        tasks,
        lambda: session.movements.plan(
            title, ["BRAVO-2"], route, depart=START, eta=START + timedelta(hours=4), interval=60
        ),
    )


def open_plan_dialog(qtbot, board: MovementBoard) -> PlanMovementDialog:
    qtbot.keyClick(board, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: bool(board.dialogs), timeout=5000)
    dialog = board.dialogs[0]
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog, timeout=5000)
    return dialog


def test_a_movement_is_planned_from_the_keyboard_and_a_refusal_keeps_the_text(
    qtbot, tasks, session, board
):
    on_vault(tasks, lambda: session.roster.add("Ben Okafor", callsign="BRAVO-2"))
    on_vault(tasks, lambda: session.roster.add("Chen Li", callsign="CHARLIE-3"))
    show_and_activate(qtbot, board)
    qtbot.waitUntil(lambda: board.body.currentWidget() is board.empty_note, timeout=5000)

    dialog = open_plan_dialog(qtbot, board)
    assert dialog.depart_edit.text() == format_dtg(START)  # the session's clock, not the PC's
    assert dialog.people_list.count() == 3  # Anna (this laptop's officer), Ben and Chen
    qtbot.keyClicks(dialog.title_edit, "Resupply OP North")
    qtbot.keyClick(dialog.title_edit, Qt.Key.Key_Tab)
    assert dialog.people_list.hasFocus()
    labels = [dialog.people_list.item(i).text() for i in range(dialog.people_list.count())]
    dialog.people_list.setCurrentRow(next(i for i, t in enumerate(labels) if "BRAVO-2" in t))
    qtbot.keyClick(dialog.people_list, Qt.Key.Key_Space)  # ticks BRAVO-2
    qtbot.keyClick(dialog.people_list, Qt.Key.Key_Tab)
    qtbot.keyClicks(dialog.vehicles_edit, "UN-1234 Land Cruiser")
    qtbot.keyClick(dialog.vehicles_edit, Qt.Key.Key_Tab)
    assert dialog.route_edit.hasFocus()
    qtbot.keyClicks(dialog.route_edit, "Camp Alpha=38S MB 44845 36965")
    qtbot.keyClick(dialog.route_edit, Qt.Key.Key_Return)
    qtbot.keyClicks(dialog.route_edit, "Checkpoint 4=behind the hill")
    qtbot.keyClick(dialog.route_edit, Qt.Key.Key_Return)
    qtbot.keyClicks(dialog.route_edit, "33.31, 44.36")
    qtbot.keyClick(dialog.route_edit, Qt.Key.Key_Tab)
    assert dialog.depart_edit.hasFocus()
    qtbot.keyClick(dialog.depart_edit, Qt.Key.Key_Tab)
    assert dialog.eta_edit.hasFocus()
    qtbot.keyClick(dialog.eta_edit, Qt.Key.Key_Tab)
    assert dialog.interval_spin.hasFocus()
    qtbot.keyClick(dialog.interval_spin, Qt.Key.Key_Tab, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClicks(dialog.eta_edit, "tomorrow-ish")
    qtbot.keyClick(dialog.eta_edit, Qt.Key.Key_Return)  # Enter: the default button

    qtbot.waitUntil(lambda: bool(dialog.rows.error_text("eta")), timeout=5000)
    assert "not a date-time group" in dialog.rows.error_text("eta")
    assert dialog.isVisible() and dialog.eta_edit.text() == "tomorrow-ish"
    assert dialog.eta_edit.hasFocus()
    eta = format_dtg(START + timedelta(hours=4))
    dialog.eta_edit.clear()
    qtbot.keyClicks(dialog.eta_edit, eta)
    qtbot.keyClick(dialog.eta_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: bool(dialog.rows.error_text("route")), timeout=5000)
    assert dialog.rows.error_text("route").startswith("Line 2: ")
    assert "not a location" in dialog.rows.error_text("route")
    assert dialog.rows.error_text("eta") == ""
    assert dialog.title_edit.text() == "Resupply OP North"  # nothing typed is lost
    assert dialog.route_edit.toPlainText().splitlines()[1] == "Checkpoint 4=behind the hill"

    # line 2 becomes a plain name; Ctrl+Enter plans from anywhere in the dialog
    dialog.route_edit.setFocus()
    text = dialog.route_edit.toPlainText().replace("=behind the hill", "")
    dialog.route_edit.setPlainText(text)
    qtbot.keyClick(dialog.route_edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: not board.dialogs, timeout=5000)
    qtbot.waitUntil(lambda: state(board) == "ON TIME", timeout=5000)
    assert board.model.data(board.model.index(0, 4)) == "Resupply OP North"
    assert board.model.data(board.model.index(0, 1)) == "in 1 h 00 min"
    details = board.details.toPlainText()
    assert "Route: Camp Alpha (38S MB 44845 36965) → Checkpoint 4 → 33.31, 44.36" in details
    assert "Vehicles: UN-1234 Land Cruiser" in details and "People: BRAVO-2" in details
    assert "check in every 60 min" in details
    movement = on_vault(tasks, lambda: session.movements.active()[0].movement)
    assert movement.route[2].location is not None  # a bare location is a located waypoint
    assert movement.eta == START + timedelta(hours=4)


def test_a_missed_check_in_shows_each_step_in_order(qtbot, tasks, session, board, wall):
    movement = plan_for_bravo(tasks, session, "Resupply OP North", ["Camp Alpha", "OP North"])
    show_and_activate(qtbot, board)
    qtbot.waitUntil(lambda: state(board) == "ON TIME", timeout=5000)
    assert board.model.data(board.model.index(0, 4)) == "Resupply OP North"
    seen = []
    for minutes, expected in ((60, "WARNING"), (90, "ALARM"), (120, "FLASH")):
        now = wall.at(minutes)
        on_vault(tasks, lambda n=now: session.watch.tick(n))  # the shell's tick
        qtbot.waitUntil(lambda e=expected: state(board) == e, timeout=5000)
        seen.append(state(board))
    assert seen == ["WARNING", "ALARM", "FLASH"]
    steps = on_vault(tasks, lambda: [a.alert.step for a in session.alerts.list()])
    assert steps == [AlertStep.FLASH, AlertStep.ALARM, AlertStep.WARNING]
    assert "1 not on time" in board.summary.text()
    assert board.model.data(board.model.index(0, 1)) == "overdue 1 h 00 min"
    details = board.details.toPlainText()
    assert "Alerts raised (3):" in details
    assert details.index("WARNING") < details.index("ALARM") < details.index("FLASH  FLASH")

    # the display timer's read (no ChangeSet): "due in" follows the clock
    wall.at(130)
    board.refresh()
    qtbot.waitUntil(
        lambda: board.model.data(board.model.index(0, 1)) == "overdue 1 h 10 min", timeout=5000
    )

    qtbot.keyClicks(board.position_edit, "38S MB 44845 36965")
    qtbot.keyClick(board, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)  # check in
    qtbot.waitUntil(lambda: state(board) == "ON TIME", timeout=5000)
    assert on_vault(tasks, lambda: session.movements.get(movement).last_checkin) is not None
    assert board.position_edit.text() == ""
    assert "38S MB 44845 36965 · by ALPHA-1" in board.details.toPlainText()
    qtbot.mouseClick(board.arrived_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: board.model.rowCount() == 0, timeout=5000)
    assert board.body.currentWidget() is board.empty_note
    assert board.details.toPlainText() == ""


def test_a_refused_check_in_position_keeps_the_text(qtbot, tasks, session, board):
    on_vault(tasks, lambda: session.roster.add("Ben", callsign="BRAVO-2"))
    on_vault(
        tasks,
        lambda: session.movements.plan(
            "Patrol", ["BRAVO-2"], ["A", "B"], depart=START, eta=START + timedelta(hours=2),
            interval=30,
        ),
    )  # fmt: skip
    show_and_activate(qtbot, board)
    qtbot.waitUntil(lambda: state(board) == "ON TIME", timeout=5000)
    qtbot.keyClicks(board.position_edit, "near the river")
    qtbot.keyClick(board.position_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "not a location" in board.summary.text(), timeout=5000)
    assert board.position_edit.text() == "near the river"


def test_a_called_off_movement_is_cancelled_after_a_question_and_raises_no_alert(
    qtbot, tasks, session, wall
):
    """Cancel movement… asks first; No keeps the movement, Yes takes it off the board, and its
    missed check-ins then raise nothing."""
    asked: list[str] = []
    answers = [False, True]

    def confirm(_parent: object, question: str) -> bool:
        asked.append(question)
        return answers.pop(0)

    relay = ChangeRelay(session.changes)
    board = MovementBoard(session, tasks, relay, refresh_ms=0, confirm=confirm)
    qtbot.addWidget(board)
    board.resize(1100, 700)
    try:
        movement = plan_for_bravo(
            tasks, session, "Convoy to Sector East", ["Camp Alpha", "Sector East"]
        )
        show_and_activate(qtbot, board)
        qtbot.waitUntil(lambda: state(board) == "ON TIME", timeout=5000)
        board.table.selectRow(0)
        qtbot.mouseClick(board.cancel_button, Qt.MouseButton.LeftButton)  # answered No
        assert len(asked) == 1 and "“Convoy to Sector East”" in asked[0]
        assert tasks.wait_for_done(5000)
        assert on_vault(tasks, lambda: session.movements.get(movement).state.value) == "on time"
        assert board.model.rowCount() == 1

        qtbot.mouseClick(board.cancel_button, Qt.MouseButton.LeftButton)  # answered Yes
        qtbot.waitUntil(lambda: board.model.rowCount() == 0, timeout=5000)
        assert len(asked) == 2
        assert on_vault(tasks, lambda: session.movements.get(movement).state.value) == "cancelled"
        on_vault(tasks, lambda: session.watch.tick(wall.at(180)))  # three check-ins missed
        assert on_vault(tasks, lambda: [a.id for a in session.alerts.list()]) == []
    finally:
        board.close_page()
        relay.stop()
        assert tasks.wait_for_done(10_000)


def test_a_held_up_movement_is_revised_from_the_keyboard_and_its_missed_check_in_clears(
    qtbot, tasks, session, board, wall
):
    """Revise… (Alt+I) opens on the selected movement with its ETA and interval; a wrong ETA
    is refused under its field and keeps the text; a later ETA and a longer interval put the
    movement back on time, with the next check-in an interval after the departure."""
    movement = plan_for_bravo(tasks, session, "Patrol to the river", ["Camp Alpha", "Ford"])
    wall.at(70)  # the check-in due at 60 was missed
    show_and_activate(qtbot, board)
    qtbot.waitUntil(lambda: state(board) == "CHECK-IN DUE", timeout=5000)
    board.table.selectRow(0)
    board.table.setFocus()
    qtbot.keyClick(board, Qt.Key.Key_I, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: bool(board.revisions), timeout=5000)
    dialog = board.revisions[0]
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog, timeout=5000)
    assert dialog.eta_edit.text() == format_dtg(START + timedelta(hours=4))
    assert dialog.interval_spin.value() == 60
    assert dialog.eta_edit.hasFocus() and dialog.eta_edit.selectedText() == dialog.eta_edit.text()

    qtbot.keyClicks(dialog.eta_edit, "next tuesday")  # replaces the selected text
    qtbot.keyClick(dialog.eta_edit, Qt.Key.Key_Return)
    error = dialog.rows.errors["eta"]
    qtbot.waitUntil(error.isVisible, timeout=5000)
    assert error.text().startswith("Is not a date-time group: write it like")
    assert dialog.eta_edit.text() == "next tuesday" and dialog.isVisible()

    dialog.eta_edit.setText(format_dtg(START + timedelta(hours=6)))
    dialog.interval_spin.setValue(90)
    qtbot.mouseClick(dialog.submit_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not board.revisions, timeout=5000)
    qtbot.waitUntil(lambda: state(board) == "ON TIME", timeout=5000)
    view = on_vault(tasks, lambda: session.movements.get(movement))
    assert view.movement.interval == 90 and view.next_due == START + timedelta(minutes=90)
    assert view.movement.eta == START + timedelta(hours=6)
