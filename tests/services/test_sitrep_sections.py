"""The SITREP's sections from personnel protection and sync, on real vaults with a driven clock:
operations and movements of the period (in the area when their positions allow, missed
check-ins), personnel and headcount, the officer's paragraphs and the last syncs, each with
data and with none; the marking counts movements, their alerts, the roster and the headcount;
the PDF shows the sections, long cells wrapped rather than cut."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime, timedelta

import pypdf
import pytest

from missiondesk.domain.incident_filter import BoundingBox
from missiondesk.domain.markings import Sensitivity
from missiondesk.domain.records.alerts import AlertStep
from missiondesk.domain.records.headcount import HeadcountMark
from missiondesk.domain.records.movements import Movement
from missiondesk.domain.records.people import Role
from missiondesk.reports.text import render_text
from missiondesk.services.headcount import mark_id
from missiondesk.services.movements import alert_id
from missiondesk.services.reports import ReportFormat
from missiondesk.services.sitrep_sections import personnel_table
from missiondesk.services.vault_access import create_vault
from tests.conftest import FAST_KDF, PASSPHRASE
from tests.driven_clock import DrivenWall

BASE = datetime(2026, 11, 20, 6, 0, tzinfo=UTC)
START, END = BASE - timedelta(hours=1), BASE + timedelta(days=1)
MINUTE_MS = 60_000


@pytest.fixture(autouse=True)
def _qt_application(qapp):
    """The PDF renderer's fonts need a Qt application; the test process has pytest-qt's."""
    return qapp


@pytest.fixture
def wall():
    return DrivenWall(BASE)


@pytest.fixture
def desk(tmp_path, wall):
    s = create_vault(
        tmp_path / "desk", PASSPHRASE, name="Anna Berg", callsign="ALPHA-1", kdf=FAST_KDF, wall=wall
    )
    yield s
    s.close()


def t(minutes: float) -> datetime:
    return BASE + timedelta(minutes=minutes)


def text_of(session, **options) -> tuple[str, object]:
    document, figures = session.reports.sitrep(
        options.pop("start", START), options.pop("end", END), **options
    )
    return session.reports.render(document, ReportFormat.TEXT).decode(), figures


def section(text: str, number: int) -> str:
    """The lines of numbered line `number` up to the next numbered line."""
    found = re.search(rf"^{number}\. .*?(?=^\d+\. |\n\n)", text, re.MULTILINE | re.DOTALL)
    assert found, text
    return found.group(0)


def roster_of(session) -> None:
    session.roster.add("Ben Okafor", callsign="BRAVO-2", outpost="OP North")
    session.roster.add("Chen Li", callsign="CHARLIE-3", outpost="OP North")
    session.roster.add("Dana Moss", callsign="DELTA-4", outpost="Camp Alpha")


def plan(session, title, people, route, depart, eta, **more):
    return session.movements.plan(
        title, people, route, depart=t(depart), eta=t(eta), interval=more.pop("interval", 60),
        **more,
    )  # fmt: skip


@pytest.fixture
def movements(desk, wall):
    """Movements around the period [BASE - 1 h, BASE + 1 d), the clock at BASE + 100 min."""
    roster_of(desk)
    wall.at(-3 * 24 * 60 + 90)
    old = plan(desk, "Old convoy", ["DELTA-4"], ["Camp Alpha", "Juba"], -3 * 24 * 60, -3 * 24 * 60
               + 120)  # fmt: skip
    desk.movements.arrive(old, at=t(-3 * 24 * 60 + 60))  # closed before the period
    wall.at(30)
    medical = plan(desk, "Medical run", ["DELTA-4"], ["Juba=36N UL 44753 36243",
                   "Juba Teaching Hospital=36N UL 45000 36500"], -120, 240)  # fmt: skip
    desk.movements.check_in(medical, "33.31, 44.36", at=t(10))  # in sector 38S MB
    desk.movements.arrive(medical, at=t(30))
    wall.at(0)
    resupply = plan(desk, "Resupply run to OP North via Checkpoint 4 and the Leer road",
                    ["BRAVO-2", "charlie-3"],
                    ["Camp Alpha=38S MB 44845 36965", "Checkpoint 4", "OP North=33.31, 44.36"],
                    0, 240, vehicles=["UN-1234"])  # fmt: skip
    recce = plan(desk, "Recce of the ford", ["BRAVO-2"], ["Gate", "Ford"], 60, 180)
    desk.movements.cancel(recce)
    patrol = plan(desk, "Night patrol", ["DELTA-4"], ["Gate", "Hill 402"], 120, 300)
    plan(desk, "Leer road patrol", ["CHARLIE-3"], ["Leer=36N UL 40000 30000", "Adok"], 10, 200)
    plan(desk, "Next week's rotation", ["BRAVO-2"], ["Camp Alpha", "Juba"], 7 * 24 * 60,
         7 * 24 * 60 + 300)  # fmt: skip
    desk.watch.tick(wall.at(100))  # resupply's check-in due at 60: warning and alarm raised
    desk.movements.check_in(resupply, "38S MB 45000 37000")
    return {"resupply": resupply, "recce": recce, "patrol": patrol, "medical": medical}


def test_movements_under_way_or_planned_in_the_period_with_their_missed_check_ins(desk, movements):
    text, figures = text_of(desk)
    assert [m.view.movement.title for m in figures.movements] == [
        "Medical run",
        "Resupply run to OP North via Checkpoint 4 and the Leer road",
        "Leer road patrol",
        "Recce of the ford",
        "Night patrol",
    ]  # by departure; the old convoy (arrived before) and next week's rotation are left out
    lines = section(text, 8)
    assert lines.startswith("8. OPERATIONS AND MOVEMENTS:\n")
    assert re.search(r"MOVEMENT\s+CALLSIGNS\s+ROUTE\s+DEPARTS\s+ETA / ARRIVED\s+STATUS\s+MISSED",
                     lines)  # fmt: skip
    assert re.search(
        r"Resupply run to OP North via Checkpoint 4 and the Leer road\s+BRAVO-2, CHARLIE-3\s+"
        r"Camp Alpha - OP North\s+200600Z NOV 26\s+ETA 201000Z NOV 26\s+on time\s+1 \(ALARM\)",
        lines,
    )
    assert re.search(r"Medical run\s+DELTA-4\s+Juba - Juba Teaching Hospital\s+200400Z NOV 26"
                     r"\s+ARR 200630Z NOV 26\s+arrived\s+-", lines)  # fmt: skip
    assert re.search(r"Recce of the ford\s+BRAVO-2\s+Gate - Ford\s+200700Z NOV 26\s+"
                     r"ETA 200900Z NOV 26\s+cancelled", lines)  # fmt: skip
    assert re.search(r"Night patrol\s+DELTA-4\s+Gate - Hill 402\s+200800Z NOV 26\s+"
                     r"ETA 201100Z NOV 26\s+planned", lines)  # fmt: skip
    assert "*" not in lines  # no area: nothing is placed, so nothing is marked
    # a missed check-in counts in the period it was due in
    later, _ = text_of(desk, start=t(70), end=t(200))
    assert re.search(r"Resupply run to OP North .* on time\s+-\n", section(later, 8))
    assert re.search(r"Leer road patrol .* alarm\s+1 \(ALARM\)\n", section(later, 8))


def test_an_area_keeps_the_movements_it_holds_and_those_with_no_position(desk, movements):
    for options in ({"grid": "38SMB"}, {"area": BoundingBox.parse("33.0,44.0,33.5,44.6")}):
        text, figures = text_of(desk, **options)
        assert [m.view.movement.title for m in figures.movements] == [
            "Medical run",  # its route is elsewhere; it checked in from the area in the period
            "Resupply run to OP North via Checkpoint 4 and the Leer road",  # its route
            "Recce of the ford",  # no position at all: listed, marked
            "Night patrol",
        ], options  # the Leer road patrol is elsewhere
        assert figures.unplaced == {movements["recce"], movements["patrol"]}
        lines = section(text, 8)
        assert "Gate - Hill 402 *" in lines and "Gate - Ford *" in lines
        assert "Camp Alpha - OP North *" not in lines
        assert (
            "* No position known (route waypoints by name only, no check-in with a "
            "position): listed whatever the area."
        ) in " ".join(lines.split())
    text, figures = text_of(desk, grid="36N")
    assert [m.view.movement.title for m in figures.movements] == [
        "Medical run", "Leer road patrol", "Recce of the ford", "Night patrol",
    ]  # fmt: skip


def test_no_movement_in_the_period_is_nil(desk, movements):
    text, figures = text_of(desk, start=t(-2 * 24 * 60), end=t(-24 * 60))
    assert figures.movements == ()
    assert "8. OPERATIONS AND MOVEMENTS: NIL" in text.splitlines()


def test_personnel_by_outpost_and_the_latest_headcount(desk, wall):
    roster_of(desk)
    text, figures = text_of(desk)
    assert figures.roster == {"Camp Alpha": 1, "OP North": 2, "(no outpost)": 1}
    assert figures.headcount is None
    lines = section(text, 9)
    assert re.search(r"OUTPOST\s+PERSONS\n\s+Camp Alpha\s+1\n\s+OP North\s+2\n"
                     r"\s+\(no outpost\)\s+1\n\s+TOTAL\s+4\n", lines)  # fmt: skip
    assert "No headcount was started before the end of the period." in lines

    wall.at(130)
    headcount = desk.headcount.start("Shelling near OP North")
    desk.headcount.mark(headcount, "BRAVO-2", "safe")
    wall.at(140)
    desk.headcount.mark(headcount, "CHARLIE-3", "needs_help", note="leg")
    text, figures = text_of(desk)
    assert figures.headcount is not None and figures.headcount.id == headcount
    lines = section(text, 9)
    assert re.search(
        r"OUTPOST\s+ON ROSTER\s+SAFE\s+NEEDS HELP\s+UNACCOUNTED\n"
        r"\s+Camp Alpha\s+1\s+0\s+0\s+1\n\s+OP North\s+2\s+1\s+1\s+0\n"
        r"\s+\(no outpost\)\s+1\s+0\s+0\s+1\n\s+TOTAL\s+4\s+1\s+1\s+2\n",
        lines,
    ), lines
    note = " ".join(lines.split())
    assert ('Headcount "Shelling near OP North" of the whole mission, started 200810Z NOV 26 by '
            "ALPHA-1, still open: 2 of 4 still unaccounted; 1 needs help.") in note  # fmt: skip
    assert "whatever the area" not in note
    assert "whatever the area: the roster places people at outposts by name" in " ".join(
        section(text_of(desk, grid="38SMB")[0], 9).split()
    )

    wall.at(150)
    desk.headcount.mark(headcount, "DELTA-4", "safe")
    wall.at(155)
    desk.headcount.mark(headcount, "ALPHA-1", "safe")
    wall.at(160)
    desk.headcount.close(headcount)
    note = " ".join(section(text_of(desk)[0], 9).split())
    assert ("still open" not in note and "closed 200840Z NOV 26: everyone accounted for at "
            "200835Z NOV 26; 1 needs help.") in note  # fmt: skip

    # a headcount started after the period's end is not this period's
    wall.at(2 * 24 * 60)
    later = desk.headcount.start("Drill", ["OP North"])
    assert text_of(desk)[1].headcount.id == headcount
    text, figures = text_of(desk, end=t(3 * 24 * 60))
    assert figures.headcount.id == later
    lines = section(text, 9)
    assert re.search(r"Camp Alpha\s+1\s+-\s+-\s+-\n", lines)  # outside the drill's scope
    assert re.search(r"OP North\s+2\s+0\s+0\s+2\n", lines)
    assert 'Headcount "Drill" of OP North' in " ".join(lines.split())


def test_personnel_with_nobody_and_no_headcount_is_nil():
    table = personnel_table(9, {}, None, whole_mission_note=True)
    assert table.rows == () and render_text_of(table) == ["9. PERSONNEL AND HEADCOUNT: NIL"]


def render_text_of(table) -> list[str]:
    from missiondesk.reports.document import ReportDocument

    lines = render_text(ReportDocument("SITREP", "SITREP", "UNCLASSIFIED", (), (table,)))
    return lines.splitlines()[3:-2]


def test_the_officers_paragraphs_and_nil_when_empty(desk):
    text, _ = text_of(
        desk,
        logistics="Fuel for 3 days at OP North.\nWater resupply due 221200Z.",
        communications="HF net down 0600-0800Z.",
        assessment="Calm expected",
        next_steps="Resupply OP North at first light.",
    )
    lines = text.splitlines()
    numbered = [int(line.split(".")[0]) for line in lines if re.match(r"^\d+\. ", line)]
    assert numbered == list(range(1, 14))  # read over the radio in order
    assert "10. LOGISTICS:" in lines
    assert (
        "    Fuel for 3 days at OP North." in lines and "    Water resupply due 221200Z." in lines
    )
    assert "11. COMMUNICATIONS: HF net down 0600-0800Z." in lines  # no mission: no sync facts
    assert "12. ASSESSMENT: Calm expected" in lines
    assert "13. NEXT STEPS: Resupply OP North at first light." in lines
    empty, _ = text_of(desk)
    for line in ("10. LOGISTICS: NIL", "11. COMMUNICATIONS: NIL", "12. ASSESSMENT: NIL",
                 "13. NEXT STEPS: NIL"):  # fmt: skip
        assert line in empty.splitlines()


def met(session, peer, result: str) -> None:
    with session.vault.transaction():
        session.vault.trust.record_peer(peer.device_id, result=result)


def test_communications_say_when_this_laptop_last_synced_with_each_peer(make_session):
    hq = make_session("Ida Moreau", "HQ-1")
    hq.mission.create("Sector North", role=Role.COMMANDER)
    text, _ = text_of(hq, communications="VHF relay on Hill 402 restored.")
    lines = " ".join(section(text, 11).split())
    assert "VHF relay on Hill 402 restored." in lines
    assert "This laptop has not synced with a peer yet." in lines
    assert re.search(r"\d+ changes of this laptop waiting to go out\.", lines)
    bravo = make_session("Tomas Lind", "BRAVO-2")
    request, _ = bravo.mission.request_enrollment()
    approval, _ = hq.mission.approve(request, role=Role.OFFICER)
    bravo.mission.accept(approval)
    met(hq, bravo, "received 3, sent 2")  # as a sync session records it
    lines = " ".join(section(text_of(hq)[0], 11).split())
    assert re.search(r"^11\. COMMUNICATIONS: Last sync of this laptop with each peer: BRAVO-2 "
                     r"\d{6}Z [A-Z]{3} \d\d\.", lines), lines  # fmt: skip
    met(hq, bravo, "failed: the peer did not answer")
    assert "(failed)." in section(text_of(hq)[0], 11)


def test_the_marking_counts_movements_their_alerts_the_roster_and_the_headcount(desk, wall):
    early, period, later = (t(-60), t(20)), (t(-60), t(60)), (t(-60), t(120))

    def level(span, **options) -> Sensitivity:
        return desk.reports.sitrep(*span, **options)[1].sensitivity

    person = desk.roster.add("Ben Okafor", callsign="BRAVO-2", outpost="OP North")
    assert level(later) is Sensitivity.UNCLASSIFIED  # the roster's cards are unclassified
    movement = plan(desk, "Patrol", ["BRAVO-2"], ["Gate", "Ford"], 0, 180, interval=30)
    plan(desk, "Secret run", ["BRAVO-2"], ["Gate", "Ford"], 7 * 24 * 60, 7 * 24 * 60 + 60,
         sensitivity=Sensitivity.STRICTLY_CONFIDENTIAL)  # fmt: skip
    assert level(period) is Sensitivity.CONFIDENTIAL  # a movement is confidential by default
    desk.watch.tick(wall.at(50))  # the check-in due at 30 missed: its alerts are confidential
    desk.records.update(Movement, movement, {"sensitivity": "unclassified"})
    assert level(early) is Sensitivity.UNCLASSIFIED  # no step of this period; next week not
    assert level(early, floor=Sensitivity.CONFIDENTIAL) is Sensitivity.CONFIDENTIAL
    assert level(period) is Sensitivity.CONFIDENTIAL  # the alerts raised for it
    warning = alert_id(movement, int(t(30).timestamp() * 1000), AlertStep.WARNING)
    assert desk.vault.reads.get(warning).doc["sensitivity"] == "confidential"

    wall.at(90)
    headcount = desk.headcount.start("Drill")
    desk.headcount.mark(headcount, "BRAVO-2", "safe")
    assert level(period) is Sensitivity.CONFIDENTIAL  # started after this period
    assert level(later) is Sensitivity.CONFIDENTIAL
    desk.records.update(HeadcountMark, mark_id(headcount, person), {"sensitivity":
                        "strictly_confidential"})  # fmt: skip
    assert level(later) is Sensitivity.STRICTLY_CONFIDENTIAL  # a mark of its headcount
    assert level(period) is Sensitivity.CONFIDENTIAL
    desk.roster.update(person, {"sensitivity": "strictly_confidential"})
    document, figures = desk.reports.sitrep(*early)
    assert figures.sensitivity is Sensitivity.STRICTLY_CONFIDENTIAL  # a person it counts
    assert document.marking == "STRICTLY CONFIDENTIAL"


def test_the_pdf_shows_the_new_sections_with_long_cells_wrapped(desk, movements):
    headcount = desk.headcount.start("Shelling near OP North")
    desk.headcount.mark(headcount, "BRAVO-2", "safe")
    document, _ = desk.reports.sitrep(
        START, END, logistics="Fuel for 3 days", communications="HF net down",
        assessment="Calm expected", next_steps="Resupply OP North at first light",
    )  # fmt: skip
    assert document.marking == "CONFIDENTIAL"
    reader = pypdf.PdfReader(io.BytesIO(desk.reports.render(document, ReportFormat.PDF)))
    whole = " ".join(re.sub(r"\s+", " ", page.extract_text()) for page in reader.pages)
    for needle in (
        "8. OPERATIONS AND MOVEMENTS:",
        "9. PERSONNEL AND HEADCOUNT:",
        "10. LOGISTICS: Fuel for 3 days",
        "11. COMMUNICATIONS: HF net down",
        "12. ASSESSMENT: Calm expected",
        "13. NEXT STEPS: Resupply OP North at first light",
        'Headcount "Shelling near OP North" of the whole mission',
    ):
        assert needle in whole, needle
    compact = whole.replace(" ", "")  # monospaced table text may be split inside words
    for needle in ("ETA201000ZNOV26", "200600ZNOV26", "ARR200630ZNOV26", "1(ALARM)", "UNACCOUNTED",
                   "theLeerroad", "CHARLIE-3"):  # fmt: skip
        assert needle in compact, needle  # DTGs never wrap; the long title's end is there
    assert "…" not in whole.split("8. OPERATIONS")[1]  # wrapped, not cut
    assert all(page.extract_text().count("CONFIDENTIAL") >= 2 for page in reader.pages)
