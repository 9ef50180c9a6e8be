"""Render the desktop app's screens to docs/screenshots/*.png on a real X server.

    .venv/bin/python scripts/screenshots.py [--out DIR]

With no DISPLAY the script re-runs itself under `xvfb-run` (Debian: xvfb xauth and Qt's xcb
libraries, see docs). It builds a demo mission in a temporary folder: this officer's vault plus
three other officers whose operations are applied as if they had arrived by sync, with messages
of every precedence and incidents located in MGRS. Nothing outside the temporary folder and the
output folder is touched.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SCREEN = "-screen 0 1440x900x24"
XVFB_MARK = "MISSIONDESK_SCREENSHOTS_UNDER_XVFB"
PASSPHRASE = "harbour lantern quartz meadow"
X_PACKAGES = (
    "xvfb xauth libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 "
    "libxcb-render-util0 libxcb-shape0 libxkbcommon-x11-0"
)


def ensure_display() -> None:
    """Re-execute this script under xvfb-run when there is no X display."""
    if os.environ.get("DISPLAY"):
        return
    if os.environ.get(XVFB_MARK):
        sys.exit("screenshots: xvfb-run started, but DISPLAY is still unset")
    xvfb_run = shutil.which("xvfb-run")
    if xvfb_run is None:
        sys.exit(
            f"screenshots: no DISPLAY and no xvfb-run; install: apt-get install -y {X_PACKAGES}"
        )
    env = {**os.environ, XVFB_MARK: "1"}
    argv = [
        xvfb_run,
        "-a",
        "-s",
        SCREEN,
        sys.executable,
        str(Path(__file__).resolve()),
        *sys.argv[1:],
    ]
    os.execvpe(xvfb_run, argv, env)


# -- demo data ---------------------------------------------------------------------------------


class ScriptedClock:
    """Moves the wall clock the operations are stamped with, so the demo spans a few hours.

    HLC timestamps come from time.time_ns(); while populating, it answers the scripted time.
    """

    def __init__(self, start: datetime) -> None:
        self.now = start

    def advance(self, minutes: float) -> None:
        self.now += timedelta(minutes=minutes)

    @contextlib.contextmanager
    def installed(self) -> Iterator[None]:
        real = time.time_ns
        time.time_ns = lambda: int(self.now.timestamp() * 1e9)
        try:
            yield
        finally:
            time.time_ns = real


def share(source: object, target: object) -> None:
    """Apply every operation of `source`'s vault to `target`'s, as sync would."""
    from missiondesk.domain.changeset import Origin
    from missiondesk.domain.operation import SignedOperation
    from missiondesk.services.session import Session

    assert isinstance(source, Session) and isinstance(target, Session)
    ops = [
        SignedOperation.from_parts(s.payload, s.signature) for s in source.vault.oplog.iter_ops()
    ]
    target.vault.apply(ops, Origin.PEER)


def build_demo_mission(root: Path) -> Path:
    """Create the demo vault (closed again on return) and return its folder."""
    from missiondesk.crypto.keywrap import KdfParams
    from missiondesk.domain.records.messaging import ChannelKind
    from missiondesk.domain.records.messaging import Precedence as P
    from missiondesk.services.vault_access import create_vault

    kdf = KdfParams(memory_kib=16 * 1024, iterations=2, lanes=1)
    clock = ScriptedClock(datetime.now(UTC).replace(second=0, microsecond=0) - timedelta(hours=5))
    vault_dir = root / "MissionDesk" / "vault"
    with clock.installed():
        me = create_vault(
            vault_dir, PASSPHRASE, name="Ingrid Halvorsen", callsign="TANGO-1", kdf=kdf
        )
        channels = {
            "general": me.messaging.require_channel("general")[0],
            "ops-north": me.messaging.create_channel(
                "ops-north", ChannelKind.OUTPOST, "Team sites and outposts of Sector North"
            ),
            "logistics": me.messaging.create_channel(
                "logistics", ChannelKind.ROLE, "Fuel, rations, vehicles"
            ),
        }
        peers = {}
        for name, callsign in (
            ("Samuel Mensah", "BRAVO-2"),
            ("Priya Raman", "OPS-JOC"),
            ("Tomás Ruiz", "MEDIC-4"),
        ):
            clock.advance(1)
            peer = create_vault(
                root / "peers" / callsign, PASSPHRASE, name=name, callsign=callsign, kdf=kdf
            )
            share(me, peer)  # the peer knows the mission's channels
            peers[callsign] = peer

        def say(who: str, channel: str, text: str, precedence: P, after: float) -> None:
            clock.advance(after)
            session = me if who == "TANGO-1" else peers[who]
            session.messaging.send(channels[channel], text, precedence)

        def incident(
            who: str, after: float, hours_ago: float, location: str, place: str, **fields: object
        ) -> None:
            clock.advance(after)
            session = me if who == "TANGO-1" else peers[who]
            session.incidents.add(
                occurred=clock.now - timedelta(hours=hours_ago),
                location=location,
                place=place,
                **fields,  # type: ignore[arg-type]
            )

        say(
            "OPS-JOC", "general", "Radio check complete: all stations loud and clear.", P.ROUTINE, 3
        )
        say(
            "TANGO-1",
            "logistics",
            "Fuel delivery for Team Site Tango confirmed for tomorrow 0800Z: 2,000 L diesel.",
            P.ROUTINE,
            22,
        )
        incident(
            "TANGO-1",
            5,
            14,
            "9.2760, 32.1840",
            "Team Site Tango access road",
            title="Access road flooded after heavy rain",
            category="natural_hazard",
            severity=1,
            status="closed",
            description="Road passable again by 4x4 since 0600Z.",
        )
        say(
            "OPS-JOC",
            "general",
            "Situation reports are due at 1800Z from all team sites. Use the daily SITREP format.",
            P.PRIORITY,
            40,
        )
        incident(
            "BRAVO-2",
            12,
            0.5,
            "9.5341, 31.6605",
            "Km 42, MSR Amber",
            title="Checkpoint denied passage to patrol N-2",
            category="movement_restriction",
            severity=3,
            status="submitted",
            description="Armed men at a new checkpoint refused passage; patrol returned to base.",
        )
        say(
            "OPS-JOC",
            "ops-north",
            "MSR Amber closed between Km 30 and Km 45 until further notice. "
            "All patrols hold at their team sites.",
            P.IMMEDIATE,
            18,
        )
        say(
            "TANGO-1",
            "ops-north",
            "Patrol T-3 held at Checkpoint 7 as ordered; ETA Team Site Tango 1600Z.",
            P.PRIORITY,
            25,
        )
        incident(
            "TANGO-1",
            20,
            1,
            "9.3105, 32.2210",
            "Team Site Tango gate",
            title="Mission vehicle in a road traffic accident",
            category="traffic_accident",
            severity=2,
            status="verified",
            description="One national staff member lightly injured; vehicle towed to the base.",
        )
        say(
            "MEDIC-4",
            "general",
            "CASEVAC request: 1 national staff, road traffic accident, stable. "
            "Pick-up at Team Site Tango helipad, ETA 1430Z.",
            P.IMMEDIATE,
            6,
        )
        incident(
            "BRAVO-2",
            30,
            2,
            "9.6012, 31.7124",
            "Kodok market",
            title="Demonstration at the county headquarters",
            category="civil_unrest",
            severity=2,
            status="draft",
            description="About 200 people, peaceful; monitored from a distance.",
        )
        incident(
            "BRAVO-2",
            25,
            0.3,
            "9.5870, 31.7402",
            "Farm tracks east of OP North",
            title="Unexploded mortar round reported by farmers",
            category="ied_mine_uxo",
            severity=3,
            status="submitted",
            description="Area marked; mine action team requested.",
        )
        say(
            "BRAVO-2",
            "ops-north",
            "Small-arms fire 2 km east of OP North. All personnel in bunkers, no casualties so "
            "far. Request QRF on standby.",
            P.FLASH,
            35,
        )
        incident(
            "BRAVO-2",
            3,
            0.05,
            "9.5468, 31.6990",
            "OP North",
            title="Small-arms fire near OP North",
            category="small_arms_fire",
            severity=4,
            status="submitted",
            description="Bursts of automatic fire 2 km east; no mission casualties.",
        )
        say(
            "OPS-JOC",
            "ops-north",
            "QRF on standby at Sector North HQ. Report every 15 minutes.",
            P.FLASH,
            4,
        )
        say(
            "TANGO-1",
            "general",
            "Generator maintenance at Team Site Tango completed; back on mains power.",
            P.ROUTINE,
            9,
        )
        for peer in peers.values():
            share(peer, me)
            peer.close()
        me.close()
    return vault_dir


# -- capture -------------------------------------------------------------------------------------


def wait_until(condition: Callable[[], bool], timeout_s: float = 20.0) -> None:
    from PySide6.QtCore import QCoreApplication, QEventLoop

    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the screen did not reach the expected state")
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)


def settle() -> None:
    """Let layouts, paints and the window manager-less X server catch up."""
    from PySide6.QtCore import QCoreApplication, QEventLoop

    end = time.monotonic() + 0.4
    while time.monotonic() < end:
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)


def save(widget: object, out: Path, name: str) -> Path:
    from PySide6.QtWidgets import QWidget

    assert isinstance(widget, QWidget)
    settle()
    path = out / f"{name}.png"
    if not widget.grab().save(str(path), "PNG"):
        raise OSError(f"could not write {path}")
    print(f"wrote {path.relative_to(REPO) if path.is_relative_to(REPO) else path}")
    return path


def type_into(widget: object, text: str) -> None:
    from PySide6.QtTest import QTest

    QTest.keyClicks(widget, text)  # type: ignore[arg-type]


def shoot(out: Path, workdir: Path) -> list[Path]:
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from missiondesk.ui.application import AppFlow
    from missiondesk.ui.first_run import FirstRunDialog
    from missiondesk.ui.tasks import TaskRunner
    from missiondesk.ui.unlock import UnlockDialog

    app = QApplication([sys.argv[0]])
    app.setApplicationName("MissionDesk")
    tasks = TaskRunner()
    shots: list[Path] = []

    # 1. First run, filled in: the folder shown is the platform default a newcomer would see.
    first = FirstRunDialog(Path.home() / ".local/share/MissionDesk/vault", tasks)
    first.show()
    type_into(first.name_edit, "Ingrid Halvorsen")
    type_into(first.callsign_edit, "TANGO-1")
    type_into(first.passphrase_edit, PASSPHRASE)
    type_into(first.confirm_edit, PASSPHRASE)
    shots.append(save(first, out, "01-first-run"))
    first.close()

    # 2. Unlock with a wrong passphrase, through the real flow over the demo vault.
    vault_dir = build_demo_mission(workdir)
    flow = AppFlow(vault_dir, tasks)
    flow.start()
    dialog = flow.dialog
    assert isinstance(dialog, UnlockDialog)
    type_into(dialog.passphrase_edit, "harbour lantern quarts meadow")
    QTest.keyClick(dialog.passphrase_edit, Qt.Key.Key_Return)
    wait_until(lambda: not dialog.is_busy and dialog.error.isVisible())
    shots.append(save(dialog, out, "02-unlock-wrong-passphrase"))

    # 3-5. The right passphrase opens the main window.
    type_into(dialog.passphrase_edit, PASSPHRASE)
    QTest.keyClick(dialog.passphrase_edit, Qt.Key.Key_Return)
    wait_until(lambda: flow.window is not None)
    window = flow.window
    assert window is not None
    shots.append(save(window, out, "03-messages"))
    window.show_section("Incidents")
    shots.append(save(window, out, "04-incidents"))
    window.show_section("Map")
    shots.append(save(window, out, "05-later-release"))

    flow.shutdown()
    tasks.wait_for_done()
    return shots


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "screenshots")
    args = parser.parse_args()
    ensure_display()
    os.environ["QT_QPA_PLATFORM"] = "xcb"  # a real X server, not the offscreen renderer
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="missiondesk-demo-") as tmp:
        shoot(args.out.resolve(), Path(tmp))
    return 0


if __name__ == "__main__":
    sys.exit(main())
