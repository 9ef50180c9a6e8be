"""The shell's watch ticker over real vaults: a missed check-in of this laptop's own officer is
notified step by step as the clock is driven (warning to the traveller, alarm, FLASH), each
once; an alert from a peer meant for the whole mission is notified when it arrives, one meant
for another traveller is not; a checklist of this officer that turns late is notified. Nothing
sleeps: the wall clock is moved and the ticker asked to tick."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from missiondesk.services.vault_access import create_vault
from missiondesk.ui.changes import ChangeRelay
from missiondesk.ui.shell.tray import Tray
from missiondesk.ui.shell.watch_ticker import WatchTicker
from tests.driven_clock import DrivenWall
from tests.opfactory import share

from .conftest import FAST_KDF, PASSPHRASE, on_vault

START = (datetime.now(UTC) - timedelta(days=1)).replace(minute=0, second=0, microsecond=0)


def test_escalation_steps_peer_alerts_and_late_checklists_are_notified(qtbot, tasks, tmp_path):
    wall = DrivenWall(START)
    me = create_vault(
        tmp_path / "me", PASSPHRASE, name="Anna", callsign="ALPHA-1", kdf=FAST_KDF, wall=wall
    )
    peer = create_vault(
        tmp_path / "peer", PASSPHRASE, name="Ben", callsign="BRAVO-2", kdf=FAST_KDF, wall=wall
    )
    relay = ChangeRelay(me.changes)
    tray = Tray()
    window = None
    ticker = WatchTicker(me, relay, tasks, tray, window, tick_ms=0)  # type: ignore[arg-type]
    try:
        qtbot.waitUntil(lambda: tasks.wait_for_done(100), timeout=5000)  # the first tick
        on_vault(
            tasks,
            lambda: me.movements.plan(
                "Resupply OP North", ["ALPHA-1"], ["Camp Alpha", "OP North"],
                depart=START, eta=START + timedelta(hours=4), interval=60,
            ),
        )  # fmt: skip
        on_vault(tasks, me.checklists.templates.install_library)
        on_vault(
            tasks,
            lambda: me.checklists.start(
                "radio-check", assignee="ALPHA-1", due=START + timedelta(minutes=75),
                started=START,
            ),
        )  # fmt: skip
        titles: list[str] = []
        for minutes in (30, 60, 90, 120, 121):
            wall.at(minutes)
            with qtbot.waitSignal(ticker.ticked, timeout=5000):
                ticker.tick()
            titles.append(" | ".join(t for t, _ in tray.shown))
        shown = [t for t, _ in tray.shown]
        assert shown == [
            "PRIORITY alert: warning for ALPHA-1",  # at 60 minutes
            "IMMEDIATE alert: alarm for ALPHA-1",  # at 90
            "Checklist late: Radio check",  # due at 75, found by the tick at 90
            "FLASH alert: flash for ALPHA-1",  # at 120
        ]
        assert titles[0] == ""  # nothing due at 30 minutes
        assert titles[-1] == titles[-2]  # nothing notified twice

        # From a peer: a panic for the whole mission is notified; a warning to its own
        # traveller is not.
        before = len(tray.shown)
        peer.roster.add("Carla", callsign="CHARLIE-3")
        peer.movements.plan(
            "Patrol", ["CHARLIE-3"], ["Camp Alpha", "OP East"], depart=START,
            eta=START + timedelta(hours=4), interval=60,
        )  # fmt: skip
        wall.at(61)
        peer.watch.tick()
        peer.alerts.panic(note="vehicle ambushed")
        with qtbot.waitSignal(ticker.alerted, timeout=5000) as got:
            on_vault(tasks, lambda: share(peer, me))
        assert got.args[0].alert.step.value == "panic"
        assert tasks.wait_for_done(5000)
        new = [t for t, _ in tray.shown[before:]]
        assert new == ["FLASH alert: panic for BRAVO-2"]
        assert all("ambushed" not in t + b for t, b in tray.shown)
    finally:
        ticker.stop()
        relay.stop()
        assert tasks.wait_for_done(10_000)
        me.close()
        peer.close()
