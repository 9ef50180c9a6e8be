"""Render the desktop app's screens to docs/screenshots/*.png on a real X server.

    .venv/bin/python scripts/screenshots.py [--out DIR]

With no DISPLAY the script re-runs itself under `xvfb-run` (Debian: xvfb xauth and Qt's xcb
libraries, see docs). It builds a demo mission in a temporary folder: this officer's vault (the
mission authority) plus three other officers enrolled by file, whose operations are applied as
if they had arrived by sync, with messages of every precedence, incidents located in MGRS, peers
met and one conflicting edit. Nothing outside the temporary folder and the output folder is touched.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import random
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
    def at(self, moment: datetime) -> Iterator[None]:
        """Stamp what happens in the block at `moment`, then go on where the clock was."""
        now, self.now = self.now, moment
        try:
            yield
        finally:
            self.now = now

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


def sketch_png() -> bytes:
    """A small sketch map, drawn with Qt (a QApplication exists when the demo is built)."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, QRectF, Qt
    from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPen

    image = QImage(640, 400, QImage.Format.Format_RGB32)
    image.fill(QColor("#f3efe2"))
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(QPen(QColor("#5b8fc9"), 26, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
    painter.drawLine(QPointF(40, 330), QPointF(600, 90))  # the river
    painter.setPen(QPen(QColor("#6b4f2a"), 10))
    painter.drawLine(QPointF(320, 20), QPointF(320, 380))  # the MSR
    painter.setPen(QPen(QColor("#c62828"), 6, Qt.PenStyle.DashLine))
    painter.drawLine(QPointF(320, 60), QPointF(520, 60))
    painter.drawLine(QPointF(520, 60), QPointF(560, 340))
    painter.drawLine(QPointF(560, 340), QPointF(320, 340))  # the detour
    painter.setPen(QPen(QColor("#c62828"), 5))
    painter.drawLine(QPointF(300, 190), QPointF(340, 230))
    painter.drawLine(QPointF(340, 190), QPointF(300, 230))  # the washed-out bridge
    painter.setPen(QColor("#202124"))
    font = QFont()
    font.setPointSize(16)
    font.setBold(True)
    painter.setFont(font)
    painter.drawText(QRectF(60, 150, 240, 40), "Km 42 bridge: closed")
    painter.drawText(QRectF(380, 14, 230, 40), "Detour +14 km")
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(data.data())


def record_peers_met(me: object, clock: ScriptedClock) -> None:
    """Peers met: when, where, and how the last session went (as sync records them)."""
    from missiondesk.services.session import Session

    assert isinstance(me, Session)
    trust = me.vault.trust
    met = (
        ("BRAVO-2", 12, "192.168.8.21:7447", "received 14, sent 3", 3, 14),
        ("OPS-JOC", 95, "10.20.0.5:7447", "already in step", 0, 0),
        ("MEDIC-4", 26 * 60, "", "bundle imported", 0, 9),
    )
    for callsign, minutes_ago, address, result, sent, received in met:
        device = next(
            m.membership.device for m in me.mission.members() if m.membership.callsign == callsign
        )
        with clock.at(clock.now - timedelta(minutes=minutes_ago)), me.vault.transaction():
            trust.record_peer(
                device, address=address, heads={}, result=result, sent=sent, received=received
            )


def enroll(me: object, peer: object, role: object) -> None:
    """By file, as 'enroll request / approve / accept' would."""
    from missiondesk.domain.records.people import Role
    from missiondesk.services.session import Session

    assert isinstance(me, Session) and isinstance(peer, Session) and isinstance(role, Role)
    request, _code = peer.mission.request_enrollment()
    approval, _membership = me.mission.approve(request, role=role)
    peer.mission.accept(approval)


def edit_apart(me: object, other: object, clock: ScriptedClock, incident: str) -> None:
    """The same field edited on two laptops that had not synced: a conflict to review."""
    from missiondesk.domain.records.incidents import Incident
    from missiondesk.services.session import Session

    assert isinstance(me, Session) and isinstance(other, Session)
    clock.advance(3)
    other.records.update(
        Incident, incident, {"narrative": "Pump broken; bowser requested for tomorrow."}
    )
    clock.advance(2)
    me.records.update(Incident, incident, {"narrative": "Pump repaired by the engineers at 1100Z."})


def build_demo_mission(root: Path) -> Path:
    """Create the demo vault (closed again on return) and return its folder."""
    from missiondesk.crypto.keywrap import KdfParams
    from missiondesk.domain.records.messaging import ChannelKind
    from missiondesk.domain.records.messaging import Precedence as P
    from missiondesk.domain.records.people import Role
    from missiondesk.services.vault_access import create_vault

    kdf = KdfParams(memory_kib=16 * 1024, iterations=2, lanes=1)
    clock = ScriptedClock(datetime.now(UTC).replace(second=0, microsecond=0) - timedelta(hours=5))
    vault_dir = root / "MissionDesk" / "vault"
    with clock.installed():
        me = create_vault(
            vault_dir, PASSPHRASE, name="Ingrid Halvorsen", callsign="TANGO-1", kdf=kdf
        )
        me.mission.create("Sector North", role=Role.COMMANDER)  # verifies and closes reports
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
        for name, callsign, role in (
            ("Samuel Mensah", "BRAVO-2", Role.OFFICER),
            ("Priya Raman", "OPS-JOC", Role.DUTY_OFFICER),
            ("Tomás Ruiz", "MEDIC-4", Role.OFFICER),
        ):
            clock.advance(1)
            peer = create_vault(
                root / "peers" / callsign, PASSPHRASE, name=name, callsign=callsign, kdf=kdf
            )
            enroll(me, peer, role)
            share(me, peer)  # the peer knows the mission's channels
            peers[callsign] = peer
        # One field edited on two laptops while apart: a conflict to review.
        water = me.incidents.add(
            title="Water point at Km 8 dry",
            category="other",
            severity=2,
            location="9.3010, 32.1902",
            place="Km 8, MSR Amber",
        )
        share(me, peers["BRAVO-2"])

        def say(
            who: str, channel: str, text: str, precedence: P, after: float, files: tuple = ()
        ) -> str:
            clock.advance(after)
            session = me if who == "TANGO-1" else peers[who]
            return session.messaging.send(
                channels.get(channel, channel), text, precedence, attachments=files
            )

        def incident(
            who: str, after: float, hours_ago: float, location: str, place: str, **fields: object
        ) -> None:
            clock.advance(after)
            session = me if who == "TANGO-1" else peers[who]
            status = str(fields.pop("status", "draft"))
            incident_id = session.incidents.add(
                occurred=clock.now - timedelta(hours=hours_ago),
                location=location,
                place=place,
                **fields,  # type: ignore[arg-type]
            )
            walk(session, incident_id, status)

        def walk(session: object, incident_id: str, status: str) -> None:
            """The reporter submits; the commander (this officer) verifies and closes."""
            if status == "draft":
                return
            session.incidents.submit(incident_id)  # type: ignore[attr-defined]
            if status in ("verified", "closed"):
                if session is not me:
                    share(session, me)
                clock.advance(0.5)
                me.incidents.verify(incident_id)
            if status == "closed":
                clock.advance(0.5)
                me.incidents.close(incident_id)

        # Six weeks of the sector's log before today, for the list and its chart.
        rng = random.Random(26)
        history = (
            ("movement_restriction", "Patrol denied passage at", 2),
            ("armed_clash", "Exchange of fire near", 4),
            ("ied_mine_uxo", "Suspected device reported on the road to", 4),
            ("crime", "Robbery of traders near", 2),
            ("threat", "Threats against aid workers at", 3),
            ("civil_unrest", "Demonstration at", 2),
            ("traffic_accident", "Vehicle accident near", 1),
        )
        places = ("Leer", "Mayom", "Rubkona", "Guit", "Koch", "Bentiu market", "Km 8, MSR Amber")
        for day in range(42, 0, -1):
            for _ in range(rng.choice((0, 1, 1, 2, 2, 3))):
                category, words, severity = rng.choice(history)
                place = rng.choice(places)
                occurred = clock.now - timedelta(days=day, hours=rng.uniform(0, 20))
                old = me.incidents.add(
                    occurred=occurred,
                    title=f"{words} {place}",
                    category=category,
                    severity=max(1, min(5, severity + rng.choice((-1, 0, 0, 1)))),
                    location=f"{9.2 + rng.uniform(0, 0.4):.4f}, {31.6 + rng.uniform(0, 0.6):.4f}",
                    place=place,
                    casualties={"injured": {"civilians": rng.choice((0, 0, 0, 1, 2))}},
                    description="Reported by the team site; details in the patrol report.",
                )
                walk(me, old, "closed" if day > 7 else rng.choice(("submitted", "verified")))

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
        from missiondesk.services.attachments import NewAttachment

        say(
            "BRAVO-2",
            "ops-north",
            "Photo of the culvert bridge at Km 42 after the rain: west abutment washed out, "
            "passable on foot only. Sketch of the detour attached.",
            P.PRIORITY,
            8,
            (
                NewAttachment.of("km42-bridge-sketch.png", sketch_png()),
                NewAttachment.of(
                    "detour.txt",
                    b"Detour via the Kodok track: +14 km, dry weather only. Checked 0900Z.",
                ),
            ),
        )
        for peer in peers.values():  # the medic's laptop learns who everyone is
            share(peer, peers["MEDIC-4"])
        share(me, peers["MEDIC-4"])
        dm = peers["MEDIC-4"].channels.direct(me.people.person_id)
        say(
            "MEDIC-4",
            dm,
            "Ingrid, the CASEVAC patient is stable; I will stay at the helipad until 1500Z.",
            P.ROUTINE,
            4,
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
        edit_apart(me, peers["BRAVO-2"], clock, water)
        add_checklists(me, clock)
        for peer in peers.values():
            share(peer, me)
            peer.close()
        add_protection(me, clock)  # the roster needs the peers' people
        add_layers(me, root)
        record_peers_met(me, clock)
        me.close()
    return vault_dir


def add_checklists(me: object, clock: ScriptedClock) -> None:
    """The default library and five checklists at three outposts: one done, one done late, one
    late and half done, one under way, one not started."""
    from missiondesk.services.attachments import NewAttachment
    from missiondesk.services.session import Session

    assert isinstance(me, Session)
    lists = me.checklists
    end = datetime.now(UTC).replace(second=0, microsecond=0)  # when the shots are taken
    began = end - timedelta(hours=5)

    def start(
        template: str,
        assignee: str,
        outpost: str,
        due: timedelta,
        title: str | None = None,
        started: datetime = began,
    ) -> str:
        return lists.start(template, assignee=assignee, outpost=outpost, due=end + due,
                           started=started, title=title)  # fmt: skip

    with clock.at(began):
        lists.templates.install_library()
        kit = start("medical-kit", "MEDIC-4", "Sector North HQ", timedelta(hours=-3))
        home = start("residential-security", "BRAVO-2", "OP North", timedelta(hours=-4))
        radio = start("radio-check", "TANGO-1", "Team Site Tango", timedelta(minutes=-50))
        convoy = start("convoy-predeparture", "BRAVO-2", "OP North", timedelta(hours=2),
                       title="Convoy to OP North, Km 42")  # fmt: skip
        # Its first item is due half an hour after the start (the staff list): just started.
        start("relocation-readiness", "OP North", "OP North", timedelta(days=1),
              started=end - timedelta(minutes=10))  # fmt: skip
    with clock.at(end - timedelta(hours=3, minutes=30)):  # before its due time
        for key, value in (("dressings", None), ("tourniquets", "6"), ("expiry", "151200ZMAR27"),
                           ("gloves", None), ("haemostatic", None), ("stretcher", None),
                           ("aed", "ready")):  # fmt: skip
            lists.tick(kit, key, value=value)
        lists.tick(kit, "kit-photo", photo=NewAttachment.of("medical-kit-open.png", sketch_png()))
        lists.tick(kit, "medic", sign_off="Tomás Ruiz (MEDIC-4)")
    with clock.at(end - timedelta(hours=3)):  # an hour after its due time: Complete (late)
        lists.tick(home, "wall-fence", photo=NewAttachment.of("north-fence.png", sketch_png()))
        for key in ("gate", "lighting", "safe-room", "smoke", "grab-bag"):
            lists.tick(home, key)
        lists.tick(home, "guard", value="present and briefed")
        lists.tick(home, "safe-room-stock", note="Water for 3 days; torch batteries replaced")
        lists.tick(home, "extinguisher", value="301200ZJUN27")
        lists.tick(home, "warden-list", value="7")
        lists.tick(home, "warden", sign_off="Samuel Mensah (BRAVO-2)")
    with clock.at(end - timedelta(hours=2)):
        lists.tick(radio, "hf", value="5 by 5")
        lists.tick(radio, "vhf")
    with clock.at(end - timedelta(minutes=40)):
        for key, value in (("clearance", "Cleared by S3, ref. SN/0412"), ("fuel", "85"),
                           ("tyres-spare", None), ("recovery", None)):  # fmt: skip
            lists.tick(convoy, key, value=value)
        lists.tick(convoy, "route-brief", note="Alternate route via Km 38 ford briefed")
        lists.tick(convoy, "radio", note="VHF 5/5 with OPS-JOC at 0640")


def add_protection(me: object, clock: ScriptedClock) -> None:
    """Outposts on the roster, three movements (one with its check-in missed: the watch raises
    its steps when the window opens; one checking in past its ETA), and a headcount under
    way."""
    from missiondesk.services.session import Session

    assert isinstance(me, Session)
    end = datetime.now(UTC).replace(second=0, microsecond=0)
    ids = {}
    for callsign, outpost, unit in (
        ("TANGO-1", "Team Site Tango", "Sector North HQ"),
        ("BRAVO-2", "OP North", "NORBAT 2nd Coy"),
        ("OPS-JOC", "Sector North HQ", "JOC"),
        ("MEDIC-4", "Sector North HQ", "Level 1 hospital"),
    ):
        person = me.roster.resolve(callsign)
        me.roster.update(person, {"outpost": outpost, "unit": unit})
        ids[callsign] = person
    me.roster.set_emergency(
        ids["BRAVO-2"],
        {
            "next_of_kin": "A. Mensah",
            "next_of_kin_contact": "+233 20 000 0000",
            "blood_group": "O+",
        },
    )
    with clock.at(end - timedelta(hours=2)):
        me.movements.plan(
            "Convoy to OP North, Km 42", ["BRAVO-2", "MEDIC-4"],
            ["Camp Alpha=9.5312, 31.6605", "Km 38 ford", "OP North=9.5468, 31.6990"],
            depart=end - timedelta(minutes=95), eta=end + timedelta(hours=2), interval=60,
            vehicles=["UN-1042", "UN-1077"],
        )  # fmt: skip
        patrol = me.movements.plan(
            "Night patrol, Team Site Tango", ["TANGO-1"], ["Team Site Tango", "Village market"],
            depart=end - timedelta(minutes=40), eta=end + timedelta(hours=1), interval=30,
        )  # fmt: skip
    with clock.at(end - timedelta(hours=4)):
        resupply = me.movements.plan(
            "Water resupply, Team Site Tango", ["OPS-JOC"], ["Sector North HQ", "Team Site Tango"],
            depart=end - timedelta(hours=3), eta=end - timedelta(minutes=30), interval=60,
        )  # fmt: skip
    with clock.at(end - timedelta(minutes=20)):
        me.movements.check_in(resupply, position="9.3804, 31.6422")
    with clock.at(end - timedelta(minutes=12)):
        me.movements.check_in(patrol, position="9.3610, 31.6215")
    with clock.at(end - timedelta(minutes=25)):
        count = me.headcount.start("Shelling reported near Km 42")
    for callsign, status, minutes, note in (
        ("TANGO-1", "safe", 22, ""),
        ("MEDIC-4", "safe", 18, "With the convoy, unhurt"),
        ("BRAVO-2", "needs_help", 15, "Vehicle hit by debris; minor injuries"),
    ):
        with clock.at(end - timedelta(minutes=minutes)):
            me.headcount.mark(count, callsign, status, note=note)


SECTOR = (31.45, 9.25, 31.95, 9.70)  # west, south, east, north of the demo's Sector North


def demo_mbtiles(target: Path, zooms: range = range(8, 12)) -> Path:
    """A small MBTiles package of Sector North (PNG tiles drawn here: terrain tint, a river
    and a road continuous across tiles), written the way packages are: TMS rows."""
    import math
    import sqlite3

    from PySide6.QtCore import QBuffer, QIODevice, QPointF
    from PySide6.QtGui import QColor, QImage, QPainter, QPen

    from missiondesk.domain.web_mercator import project, tile_rect, tiles_covering, tms_row

    def river(t: float) -> tuple[float, float]:  # (lat, lon) for t in 0..1, west to east
        return 9.58 - 0.22 * t + 0.03 * math.sin(t * 9.0), 31.45 + 0.5 * t

    def road(t: float) -> tuple[float, float]:
        return 9.30 + 0.36 * t, 31.55 + 0.20 * t + 0.02 * math.sin(t * 5.0)

    lines = [
        ([project(*river(i / 400)) for i in range(401)], QColor("#5b8fc9"), 5.0),
        ([project(*road(i / 400)) for i in range(401)], QColor("#b0723a"), 3.0),
    ]
    conn = sqlite3.connect(target)
    conn.execute("CREATE TABLE metadata (name TEXT, value TEXT)")
    conn.execute(
        "CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER,"
        " tile_data BLOB)"
    )
    for key, value in (("name", "Sector North 1:50k (demo)"), ("format", "png"),
                       ("bounds", ",".join(map(str, SECTOR))), ("type", "baselayer")):  # fmt: skip
        conn.execute("INSERT INTO metadata VALUES (?, ?)", (key, value))
    west, south, east, north = SECTOR
    (left, bottom), (right, top) = project(south, west), project(north, east)
    for z in zooms:
        for tile in tiles_covering(left, bottom, right, top, z):
            x0, y0, x1, y1 = tile_rect(tile)
            image = QImage(256, 256, QImage.Format.Format_RGB32)
            shade = 226 + (tile.x * 7 + tile.y * 13) % 9  # a faint terrain tint
            image.fill(QColor(shade, shade - 6, shade - 24))
            painter = QPainter(image)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            for points, colour, width in lines:
                painter.setPen(QPen(colour, width))
                pixels = [QPointF((px - x0) / (x1 - x0) * 256, (y1 - py) / (y1 - y0) * 256)
                          for px, py in points]  # fmt: skip
                painter.drawPolyline(pixels)
            painter.end()
            buffer = QBuffer()
            buffer.open(QIODevice.OpenModeFlag.WriteOnly)
            image.save(buffer, "PNG")
            conn.execute(
                "INSERT INTO tiles VALUES (?, ?, ?, ?)",
                (z, tile.x, tms_row(tile.y, z), bytes(buffer.data())),
            )
    conn.commit()
    conn.close()
    return target


def add_layers(me: object, root: Path) -> None:
    """An MBTiles package, a GeoJSON route and perimeter, a KML no-go area, a GPX track."""
    import json

    from missiondesk.services.session import Session

    assert isinstance(me, Session)
    folder = root / "layers"
    folder.mkdir()
    geojson = folder / "msr-amber.geojson"
    geojson.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"name": "MSR Amber"}, "geometry": {
            "type": "LineString",
            "coordinates": [[31.52, 9.33], [31.60, 9.42], [31.66, 9.50], [31.70, 9.55]]}},
        {"type": "Feature", "properties": {"name": "OP North perimeter"}, "geometry": {
            "type": "Polygon", "coordinates": [[[31.69, 9.54], [31.71, 9.54], [31.71, 9.556],
                                                [31.69, 9.556], [31.69, 9.54]]]}},
    ]}))  # fmt: skip
    kml = folder / "no-go-km40.kml"
    kml.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<kml xmlns="http://www.opengis.net/kml/2.2">'
        "<Document><Placemark><name>No-go: minefield near Km 40</name><Polygon><outerBoundaryIs>"
        "<LinearRing><coordinates>31.74,9.44 31.80,9.44 31.80,9.49 31.74,9.49 31.74,9.44"
        "</coordinates></LinearRing></outerBoundaryIs></Polygon></Placemark></Document></kml>"
    )
    gpx = folder / "patrol-track.gpx"
    points = "".join(
        f'<trkpt lat="{9.33 + 0.004 * i}" lon="{31.58 + 0.006 * i}"/>' for i in range(25)
    )
    gpx.write_text(
        '<?xml version="1.0"?><gpx version="1.1" creator="demo"'
        ' xmlns="http://www.topografix.com/GPX/1/1"><trk><name>Patrol track 30 Nov</name>'
        f"<trkseg>{points}</trkseg></trk></gpx>"
    )
    package = demo_mbtiles(folder / "sector-north-50k.mbtiles")
    for path in (package, geojson, kml, gpx):
        me.layers.import_file(path)
    # Drawn on the map: the outposts, a no-go zone and a patrol route (records that sync).
    features = me.features
    for name, where in (("OP North", (9.5468, 31.6990)), ("Sector North HQ", (9.5312, 31.6605)),
                        ("Team Site Tango", (9.3320, 31.5902))):  # fmt: skip
        features.create(name, "outpost", [where])
    features.create(
        "No-go: shelling, Km 42 ridge", "no_go",
        [(9.49, 31.62), (9.515, 31.66), (9.50, 31.70), (9.475, 31.665)],
        notes="Reported 0400Z; until further notice",
    )  # fmt: skip
    features.create("Patrol route Tango 3", "route", [(9.315, 31.60), (9.30, 31.66), (9.31, 31.72)])


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


def shoot_join_and_no_mission(out: Path, workdir: Path, tasks: object) -> list[Path]:
    from missiondesk.crypto.keywrap import KdfParams
    from missiondesk.services.vault_access import create_vault
    from missiondesk.ui.first_run import FirstRunDialog
    from missiondesk.ui.main_window import MainWindow
    from missiondesk.ui.tasks import TaskRunner

    assert isinstance(tasks, TaskRunner)
    shots: list[Path] = []
    # 2-3. First run, joining a mission: the choice, then the code to compare.
    joining = FirstRunDialog(
        workdir / "joining" / "vault",
        tasks,
        kdf=KdfParams(memory_kib=16 * 1024, iterations=2, lanes=1),
        choose_save_path=lambda _parent, _caption, name, _filter: str(workdir / name),
    )
    joining.show()
    joining.join_radio.setChecked(True)
    type_into(joining.name_edit, "Samuel Mensah")
    type_into(joining.callsign_edit, "BRAVO-2")
    type_into(joining.passphrase_edit, PASSPHRASE)
    type_into(joining.confirm_edit, PASSPHRASE)
    shots.append(save(joining, out, "02-first-run-join"))
    joining.create_button.click()
    wait_until(lambda: joining.pages.currentWidget() is joining.join_page)
    shots.append(save(joining, out, "03-first-run-join-code"))
    joining.reject()
    tasks.wait_for_done()

    # 4. The Sync section of a vault that is in no mission yet.
    loner = create_vault(
        workdir / "loner" / "vault",
        PASSPHRASE,
        name="Amina Diallo",
        callsign="DELTA-7",
        kdf=KdfParams(memory_kib=16 * 1024, iterations=2, lanes=1),
    )
    alone = MainWindow(loner, tasks)
    alone.show()
    alone.show_section("Sync")
    wait_until(lambda: alone.sync_page.overview is not None)
    wait_until(lambda: alone.status_panel.summary is not None)  # read after the first paint
    shots.append(save(alone, out, "04-sync-no-mission"))
    alone.close()
    tasks.wait_for_done()
    return shots


def shoot_package(out: Path, workdir: Path, tasks: object) -> list[Path]:
    """29-30. First run set up from the mission authority's package."""
    from missiondesk.crypto.keywrap import KdfParams
    from missiondesk.domain.records.messaging import ChannelKind
    from missiondesk.services.vault_access import create_vault
    from missiondesk.ui.first_run import FirstRunDialog

    kdf = KdfParams(memory_kib=16 * 1024, iterations=2, lanes=1)
    hq = create_vault(
        workdir / "package-hq" / "vault", PASSPHRASE, name="Anna Berg", callsign="HQ-1", kdf=kdf
    )
    try:
        hq.mission.create("Sector North")
        for name in ("Ops North", "Camp Alpha"):
            hq.channels.create(name, ChannelKind.OUTPOST)
        hq.checklists.templates.install_library()
        hq.layers.import_file(demo_mbtiles(workdir / "package-tiles.mbtiles", range(8, 10)))
        package = hq.packages.export(workdir / "sector-north.mission").package.path
    finally:
        hq.close()
    dialog = FirstRunDialog(
        workdir / "packaged" / "vault",
        tasks,
        kdf=kdf,
        choose_save_path=lambda _parent, _caption, name, _filter: str(workdir / name),
        choose_open_path=lambda *_: str(package),
    )
    dialog.show()
    dialog.package_button.click()
    wait_until(lambda: dialog.package is not None)
    type_into(dialog.name_edit, "Samuel Mensah")
    type_into(dialog.callsign_edit, "BRAVO-2")
    type_into(dialog.passphrase_edit, PASSPHRASE)
    type_into(dialog.confirm_edit, PASSPHRASE)
    shots = [save(dialog, out, "29-first-run-mission-package")]
    dialog.create_button.click()
    wait_until(lambda: dialog.pages.currentWidget() is dialog.join_page)
    shots.append(save(dialog, out, "30-first-run-package-ready"))
    dialog.reject()
    tasks.wait_for_done()  # type: ignore[attr-defined]
    return shots


def shoot_sync(window: object, out: Path) -> list[Path]:
    from missiondesk.sync.session import SessionReport
    from missiondesk.ui.main_window import MainWindow
    from missiondesk.ui.sync.controller import PeerReport

    assert isinstance(window, MainWindow)
    shots: list[Path] = []
    # 15-16. The Sync section of the mission authority, serving, after a sync; conflict review.
    window.show_section("Sync")
    page = window.sync_page
    wait_until(lambda: page.overview is not None and page.overview.in_mission)
    controller = window.sync_controller
    controller._announce = False  # no mDNS from a screenshot run
    page.peers.listen_edit.setText("127.0.0.1:7447")
    page.peers.serve_button.click()
    wait_until(lambda: bool(controller.serving_address) or page.peers.result.failed)
    bravo = page.overview.peers[0]
    page.peers.result.success(
        PeerReport(
            SessionReport(peer=bravo.device, received=14, sent=3), "BRAVO-2", "", bravo.last_seen_ms
        ).sentence()
    )
    page.peers.peer_edit.setEditText(bravo.address)
    shots.append(save(window, out, "15-sync"))
    page.open_review()
    assert page.review_dialog is not None
    shots.append(save(page.review_dialog, out, "16-conflict-review"))
    page.review_dialog.close()
    return shots


def shoot_messages(window: object, store: object, out: Path, tasks: object) -> list[Path]:
    from PySide6.QtCore import Qt

    from missiondesk.services.settings import SettingsStore, Theme
    from missiondesk.ui.main_window import MainWindow
    from missiondesk.ui.messages.channel_dialogs import NewChannelDialog
    from missiondesk.ui.messages.message_model import MessageListModel
    from missiondesk.ui.shell.settings_dialog import SettingsDialog
    from missiondesk.ui.tasks import TaskRunner

    assert isinstance(window, MainWindow) and isinstance(store, SettingsStore)
    assert isinstance(tasks, TaskRunner) and window._session is not None
    shots: list[Path] = []
    # 6. The main window on the mission-wide channel; the FLASH banner says what waits for an
    #    acknowledgement.
    page = window.messages_page
    wait_until(lambda: page.model.rowCount() > 0 and window.banner.isVisible())
    shots.append(save(window, out, "06-messages"))
    # 31. The same at 850 points wide (a 1280-pixel screen at 150 %): the compose box's Attach
    #     and Send drop to a row of their own.
    size = window.size()
    window.resize(850, size.height())
    wait_until(lambda: window.width() == 850 and page.compose.two_rows)
    shots.append(save(window, out, "31-messages-narrow"))
    window.resize(size)
    wait_until(lambda: window.size() == size and not page.compose.two_rows)

    # 7. The outpost channel: FLASH lines, a message with attachments in the reading pane.
    north = next(v for v in page.channel_model.channels if v.title == "ops-north")
    page.select_channel(north.id)
    wait_until(lambda: page.model.channel == north.id and page.model.rowCount() > 3)
    row = next(r for r in range(page.model.rowCount()) if page.model.message_at(r).attachments)
    page.table.setCurrentIndex(page.model.index(row, MessageListModel.TEXT))
    shots.append(save(window, out, "07-channel-flash-and-attachments"))

    # 8. A picture attachment previewed from memory.
    page.reading.attachment_buttons[0].click()
    wait_until(lambda: bool(page.viewers) and page.viewers[0].preview_kind == "image")
    shots.append(save(page.viewers[0], out, "08-attachment-preview"))
    page.viewers[0].close()

    # 9. Find in messages, results as one types.
    window.open_search()
    search = window.search_dialog
    assert search is not None
    type_into(search.query, "team site")
    search.run_query()
    wait_until(lambda: search.model.rowCount() > 0)
    shots.append(save(search, out, "09-search"))
    search.hide()

    # 10. A new channel with chosen members.
    session = window._session
    new_channel = NewChannelDialog(session.channels, session.people, tasks, window)
    new_channel.show()
    type_into(new_channel.name_edit, "medevac-north")
    type_into(new_channel.description_edit, "CASEVAC coordination for Sector North")
    new_channel.everyone.setChecked(False)
    wait_until(lambda: new_channel.members.count() > 0)
    for i in range(new_channel.members.count()):
        item = new_channel.members.item(i)
        if item.text().startswith(("MEDIC", "OPS")):
            item.setCheckState(Qt.CheckState.Checked)
    shots.append(save(new_channel, out, "10-new-channel"))
    new_channel.close()

    # 11. Settings.
    settings = SettingsDialog(window.settings, store, window)
    settings.show()
    shots.append(save(settings, out, "11-settings"))
    settings.close()

    # 12. The direct channel, in the dark theme.
    window.theme_actions[Theme.DARK].trigger()
    direct = next(v for v in page.channel_model.channels if v.is_direct)
    page.select_channel(direct.id)
    wait_until(lambda: page.model.channel == direct.id and page.model.rowCount() > 0)
    shots.append(save(window, out, "12-direct-dark-theme"))
    window.theme_actions[Theme.LIGHT].trigger()

    # 13-14. Incidents, and the map of the world with them.
    window.show_section("Incidents")
    incidents = window.incidents_page
    wait_until(lambda: incidents.model.rowCount() > 0)
    shots.append(save(window, out, "13-incidents"))
    shots += shoot_incident_windows(incidents, out)
    shots += shoot_map(window, out)
    shots += shoot_checklists(window, out)
    shots += shoot_personnel(window, out)
    return shots


def shoot_personnel(window: object, out: Path) -> list[Path]:
    """25. The movement board with a missed check-in escalated and one past its ETA; 32. its
    Revise… dialog; 26. the headcount board; 27. the alerts."""
    from missiondesk.ui.main_window import MainWindow

    assert isinstance(window, MainWindow)
    window.show_section("Personnel")
    page = window.personnel_page
    board = page.movements
    wait_until(lambda: board.model.rowCount() == 3)
    wait_until(lambda: page.alerts.model.rowCount() >= 2)  # the watch ticked at unlock
    board.table.selectRow(0)
    settle()
    shots = [save(window, out, "25-movement-board")]
    board.revise_movement()
    wait_until(lambda: bool(board.revisions))
    revise = board.revisions[0]
    shots.append(save(revise, out, "32-movement-revise"))
    revise.close()
    page.tabs.setCurrentWidget(page.headcount)
    wait_until(lambda: page.headcount.people.topLevelItemCount() > 0)
    page.headcount.people.expandAll()
    shots.append(save(window, out, "26-headcount"))
    page.tabs.setCurrentWidget(page.alerts)
    page.alerts.table.selectRow(0)
    settle()
    shots.append(save(window, out, "27-alerts"))
    page.tabs.setCurrentWidget(page.roster)
    wait_until(lambda: page.roster.model.rowCount() > 0)
    page.roster.table.selectRow(0)
    settle()
    shots.append(save(window, out, "36-roster"))
    return shots


def shoot_map(window: object, out: Path) -> list[Path]:
    """14. The Map section over the world; 28. zoomed on Sector North: the MBTiles package
    under the overlays and the incident markers, the layer panel beside it."""
    from missiondesk.ui.main_window import MainWindow

    assert isinstance(window, MainWindow)
    window.show_section("Map")
    page = window.map_page
    wait_until(lambda: page.view is not None and page.marker_count > 0)
    view = page.view
    assert view is not None
    view.fit_world()
    settle()
    shots = [save(window, out, "14-map")]
    view.show_place(9.46, 31.68, zoom=11)
    settle()
    time.sleep(0.3)  # the tiles are read 30 ms after the view stops, then drawn
    settle()
    shots.append(save(window, out, "28-map-layers"))
    return shots


def shoot_checklists(window: object, out: Path) -> list[Path]:
    """23. The Checklists section, the convoy checklist being worked; 24. compliance."""
    from missiondesk.ui.checklists.page import ChecklistsPage
    from missiondesk.ui.main_window import MainWindow

    assert isinstance(window, MainWindow)
    window.show_section("Checklists")
    page = window.checklists_page
    assert isinstance(page, ChecklistsPage)
    wait_until(lambda: page.view is not None and len(page.view.lines) >= 5)
    assert page.view is not None
    convoy = next(line for line in page.view.lines if line.title.startswith("Convoy"))
    page.show_checklist(convoy.id)
    wait_until(lambda: page.view is not None and page.view.detail is not None)
    shots = [save(window, out, "23-checklist")]
    page.tabs.setCurrentWidget(page.compliance)
    shots.append(save(window, out, "24-checklist-compliance"))
    return shots


def shoot_incident_windows(page: object, out: Path) -> list[Path]:
    """18-22: a new report with a refusal, an incident's window, its INCREP, the PDF's page,
    the 9-line MEDEVAC form."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    from missiondesk.domain.records.incidents import IncidentStatus
    from missiondesk.ui.incidents.medevac import MedevacDialog
    from missiondesk.ui.incidents.page import IncidentRowsModel, IncidentsPage

    assert isinstance(page, IncidentsPage)
    shots: list[Path] = []
    page.new_incident()
    wait_until(lambda: bool(page.dialogs))
    new = page.dialogs[-1]
    form = new.form
    type_into(form.title_edit, "Checkpoint closed at Km 12, MSR Amber")
    form.category_box.setCurrentIndex(form.category_box.findData("movement_restriction"))
    form.occurred_edit.clear()
    type_into(form.occurred_edit, "0112")
    type_into(form.location_edit, "36N UL 44753 36243")
    type_into(form.place_edit, "Km 12, MSR Amber")
    QTest.mouseClick(new.step_buttons[IncidentStatus.SUBMITTED], Qt.MouseButton.LeftButton)
    wait_until(lambda: form.error_text("occurred") != "")
    shots.append(save(new, out, "18-incident-new-refused"))
    new.close_for_lock()  # closed at once; what was typed is kept as a draft

    titles = [
        page.model.data(page.model.index(r, IncidentRowsModel.TITLE))
        for r in range(page.model.rowCount())
    ]
    page.table.selectRow(titles.index("Small-arms fire near OP North"))
    page.open_selected()
    wait_until(lambda: bool(page.dialogs) and page.dialogs[-1].detail is not None)
    shown = page.dialogs[-1]
    shots.append(save(shown, out, "19-incident-submitted"))
    assert shown.incident_id is not None
    page.increp(shown.incident_id)
    wait_until(lambda: bool(page.report_views))
    shots += shoot_report(page.report_views[-1], out, "20-increp", "21-increp-pdf", 700)
    # 22. The 9-line MEDEVAC form, opened from the incident (line 1 is its site).
    shown.medevac_requested.emit()
    wait_until(lambda: any(isinstance(v, MedevacDialog) for v in page.report_views))
    form9 = next(v for v in page.report_views if isinstance(v, MedevacDialog))
    type_into(form9.frequency_edit, "45.500")
    type_into(form9.callsign_edit, "BRAVO-2")
    form9.patients["B"].setValue(1)
    form9.litter_spin.setValue(1)
    form9.security_box.setCurrentIndex(form9.security_box.findData("P"))
    form9.marking_box.setCurrentIndex(form9.marking_box.findData("C"))
    type_into(form9.marking_detail, "green smoke")
    form9.nationality["A"].setValue(1)
    shots.append(save(form9, out, "22-medevac"))
    form9.close()
    shown.close()
    wait_until(lambda: not page.dialogs)
    shots += shoot_sitrep(page, out)
    return shots


def shoot_sitrep(page: object, out: Path) -> list[Path]:
    """33-35: the SITREP's form with the officer's paragraphs, the report, its PDF's page."""
    from missiondesk.ui.incidents.page import IncidentsPage
    from missiondesk.ui.incidents.sitrep_dialog import SitrepDialog

    assert isinstance(page, IncidentsPage)
    before = len(page.report_views)
    page.sitrep()
    wait_until(lambda: any(isinstance(v, SitrepDialog) for v in page.report_views))
    form = next(v for v in page.report_views if isinstance(v, SitrepDialog))
    paragraphs = {
        "logistics": "Fuel at OP North for 4 days; water resupply due 031200Z.",
        "communications": "HF net down 0400-0530Z; VHF relay at Checkpoint 4 restored.",
        "assessment": "Tension along MSR Amber after the checkpoint closure; no threat to "
        "UN personnel assessed at present.",
        "next_steps": "Joint patrol to Km 12 at first light; liaison meeting with the local "
        "commander requested.",
    }
    for field, text in paragraphs.items():
        form.paragraphs[field].setPlainText(text)
    shots = [save(form, out, "33-sitrep-form")]
    form.prepare()
    wait_until(lambda: len(page.report_views) > before + 1)
    view = page.report_views[-1]
    view.open_send()  # 37: Send as message…, the report's own precedence chosen
    wait_until(lambda: view.send_dialog is not None)
    send = view.send_dialog
    shots.append(save(send, out, "37-send-report"))
    send.reject()
    shots += shoot_report(view, out, "34-sitrep", "35-sitrep-pdf", 760)
    form.close()
    return shots


def shoot_report(view: object, out: Path, name: str, pdf_name: str, height: int) -> list[Path]:
    """A report's window (as wide as it opened: its widest line) and its PDF's first page."""
    from missiondesk.ui.incidents.report_view import ReportView

    assert isinstance(view, ReportView)
    view.resize(view.width(), height)
    shots = [save(view, out, name)]
    pdf_page = render_pdf_page(view.document, out / f"{pdf_name}.png")
    if pdf_page is not None:
        shots.append(pdf_page)
    view.close()
    return shots


def render_pdf_page(document: object, target: Path) -> Path | None:
    """The report's first PDF page as the officer's PDF reader shows it (poppler's pdftoppm)."""
    import subprocess

    from missiondesk.services.reports import ReportFormat, ReportService

    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        print("pdftoppm not found (apt-get install poppler-utils): no PDF page rendered")
        return None
    data = ReportService.render(document, ReportFormat.PDF)  # type: ignore[arg-type]
    # Fed on stdin: the report's plaintext PDF is never written to a temp file.
    subprocess.run(
        [pdftoppm, "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", "-", str(target)[:-4]],
        input=data,
        check=True,
    )
    print(f"wrote {target.relative_to(REPO) if target.is_relative_to(REPO) else target}")
    return target


def shoot(out: Path, workdir: Path) -> list[Path]:
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from missiondesk.services.settings import SettingsStore, Theme
    from missiondesk.ui.application import AppFlow
    from missiondesk.ui.first_run import FirstRunDialog
    from missiondesk.ui.main_window import WindowOptions
    from missiondesk.ui.tasks import TaskRunner
    from missiondesk.ui.theme import apply_theme
    from missiondesk.ui.unlock import UnlockDialog

    app = QApplication([sys.argv[0]])
    app.setApplicationName("MissionDesk")
    apply_theme(app, Theme.LIGHT)
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

    shots += shoot_join_and_no_mission(out, workdir, tasks)
    shots += shoot_package(out, workdir, tasks)

    # 5. Unlock with a wrong passphrase, through the real flow over the demo vault.
    vault_dir = build_demo_mission(workdir)
    store = SettingsStore(workdir / "settings")
    options = WindowOptions(apply_theme=lambda theme: apply_theme(app, theme))
    flow = AppFlow(vault_dir, tasks, settings_store=store, options=options)
    flow.start()
    dialog = flow.dialog
    assert isinstance(dialog, UnlockDialog)
    type_into(dialog.passphrase_edit, "harbour lantern quarts meadow")
    QTest.keyClick(dialog.passphrase_edit, Qt.Key.Key_Return)
    wait_until(lambda: not dialog.is_busy and dialog.error.isVisible())
    shots.append(save(dialog, out, "05-unlock-wrong-passphrase"))

    # 6-16. The right passphrase opens the main window.
    type_into(dialog.passphrase_edit, PASSPHRASE)
    QTest.keyClick(dialog.passphrase_edit, Qt.Key.Key_Return)
    wait_until(lambda: flow.window is not None)
    window = flow.window
    assert window is not None
    shots += shoot_messages(window, store, out, tasks)
    shots += shoot_sync(window, out)

    # 17. Locked: nothing of the vault on screen until the passphrase is typed again.
    window.lock()
    wait_until(lambda: isinstance(flow.dialog, UnlockDialog) and flow.dialog.isVisible())
    assert flow.dialog is not None
    shots.append(save(flow.dialog, out, "17-locked"))

    flow.shutdown()
    tasks.wait_for_done()
    tasks.shutdown()
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
