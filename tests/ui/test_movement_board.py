"""The movement board on real widgets over a real vault: a movement is planned, its check-in
is missed, and each escalation step shows on the board in order as the clock is driven (the
test moves the wall clock and asks the board to tick; nothing sleeps); Check in (from the
keyboard) puts it back on time and Arrived takes it off the board."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from PySide6.QtCore import Qt

from missiondesk.domain.records.alerts import AlertStep
from missiondesk.services.vault_access import create_vault
from missiondesk.ui.changes import ChangeRelay
from missiondesk.ui.protection.movement_board import MovementBoard

from .conftest import FAST_KDF, PASSPHRASE, on_vault, show_and_activate

START = (datetime.now(UTC) - timedelta(days=1)).replace(minute=0, second=0, microsecond=0)


class Wall:
    def __init__(self) -> None:
        self.ms = int(START.timestamp() * 1000)

    def __call__(self) -> int:
        return self.ms

    def at(self, minutes: int) -> None:
        self.ms = int(START.timestamp() * 1000) + minutes * 60_000


def test_a_missed_check_in_shows_each_step_in_order(qtbot, tasks, tmp_path):
    wall = Wall()
    session = create_vault(
        tmp_path / "vault", PASSPHRASE, name="Anna", callsign="ALPHA-1", kdf=FAST_KDF, wall=wall
    )
    relay = ChangeRelay(session.changes)
    board = MovementBoard(session, tasks, relay, tick_ms=0)
    qtbot.addWidget(board)
    try:
        show_and_activate(qtbot, board)
        on_vault(tasks, lambda: session.roster.add("Ben", callsign="BRAVO-2"))
        movement = on_vault(
            tasks,
            lambda: session.movements.plan(
                "Resupply OP North", ["BRAVO-2"], ["Camp Alpha", "OP North"],
                depart=START, eta=START + timedelta(hours=4), interval=60,
            ),
        )  # fmt: skip

        def state() -> str:
            return board.model.data(board.model.index(0, 0)) if board.model.rowCount() else ""

        qtbot.waitUntil(lambda: state() == "ON TIME", timeout=5000)
        assert board.model.data(board.model.index(0, 3)) == "Resupply OP North"
        seen = []
        for minutes, expected in ((60, "WARNING"), (90, "ALARM"), (120, "FLASH")):
            wall.at(minutes)
            board.tick()
            qtbot.waitUntil(lambda e=expected: state() == e, timeout=5000)
            seen.append(state())
        assert seen == ["WARNING", "ALARM", "FLASH"]
        steps = on_vault(tasks, lambda: [a.alert.step for a in session.alerts.list()])
        assert steps == [AlertStep.FLASH, AlertStep.ALARM, AlertStep.WARNING]
        assert "1 not on time" in board.summary.text()

        qtbot.keyClick(board, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)  # check in
        qtbot.waitUntil(lambda: state() == "ON TIME", timeout=5000)
        assert on_vault(tasks, lambda: session.movements.get(movement).last_checkin) is not None
        qtbot.mouseClick(board.arrived_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: board.model.rowCount() == 0, timeout=5000)
        assert board.body.currentWidget() is board.empty_note
    finally:
        board.close_page()
        relay.stop()
        assert tasks.wait_for_done(10_000)
        session.close()
