"""INCREP, SITREP and MEDEVAC with the right figures, as text and as PDF read back with pypdf;
CSV (with HXL) and GeoJSON exports read back; every file written is audited and marked."""

from __future__ import annotations

import csv
import io
import json
import re
import stat
import subprocess
import sys
from datetime import UTC, datetime, timedelta

import pypdf
import pytest

from missiondesk.domain.coordinates import parse_location
from missiondesk.domain.errors import InvalidInput
from missiondesk.domain.incident_filter import IncidentFilter
from missiondesk.domain.medevac import MedevacRequest
from missiondesk.domain.records.base import Sensitivity
from missiondesk.services.incident_exports import ExportFormat, ExportService
from missiondesk.services.reports import ReportFormat

BASE = datetime(2026, 11, 20, 6, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _qt_application(qapp):
    """The PDF renderer makes a QGuiApplication if none runs; in the test process the widgets'
    tests need a QApplication, so pytest-qt's is made first (the desktop app has its own)."""
    return qapp


START, END = BASE - timedelta(hours=1), BASE + timedelta(days=2)


def pdf_text(data: bytes) -> list[str]:
    """The text of each page, with whitespace runs made single spaces."""
    reader = pypdf.PdfReader(io.BytesIO(data))
    return [re.sub(r"\s+", " ", page.extract_text()) for page in reader.pages]


@pytest.fixture
def fixture_incidents(session):
    rows = [
        (
            "Convoy ambushed",
            "armed_clash",
            5,
            0,
            {"killed": {"un_personnel": 1, "civilians": 2}},
            Sensitivity.CONFIDENTIAL,
            "Abu Bakr's men",
            "submitted",
        ),
        (
            "Shelling of the camp",
            "indirect_fire",
            4,
            3,
            {"injured": {"civilians": 3}},
            Sensitivity.UNCLASSIFIED,
            "",
            "verified",
        ),
        (
            "Second ambush",
            "armed_clash",
            4,
            30,
            {"killed": {"national_forces": 1}, "missing": {"others": 2}},
            Sensitivity.UNCLASSIFIED,
            "",
            "submitted",
        ),
        ("Roadblock", "movement_restriction", 2, 31, {}, Sensitivity.UNCLASSIFIED, "", "draft"),
        ("Old robbery", "crime", 1, -100, {}, Sensitivity.UNCLASSIFIED, "", "submitted"),
    ]
    ids = {}
    for title, category, severity, hours, casualties, level, perpetrators, status in rows:
        incident = session.incidents.create(
            {
                "title": title,
                "category": category,
                "severity": severity,
                "occurred": BASE + timedelta(hours=hours),
                "location": "38S MB 44845 36965",
                "casualties": casualties,
                "sensitivity": level,
                "perpetrators": perpetrators,
                "narrative": f"{title}: the patrol saw it",
                "source": "Village elder Mr Haddad",
                "admiralty": "B2",
            }
        )
        if status != "draft":
            session.incidents.submit(incident)
        if status == "verified":
            session.incidents.verify(incident)
        ids[title] = incident
    return ids


def test_sitrep_figures_count_by_category_severity_and_casualties(session, fixture_incidents):
    figures = session.reports.sitrep_figures(START, END)
    assert figures.total == 3  # the draft and the incident before the period are left out
    assert figures.by_category == {"Armed clash": 2, "Indirect fire / shelling": 1}
    assert figures.by_severity == {5: 1, 4: 2}
    assert figures.casualties["killed"] == {
        "civilians": 2,
        "un_personnel": 1,
        "national_forces": 1,
        "others": 0,
        "total": 4,
    }
    assert figures.casualties["injured"]["total"] == 3
    assert figures.casualties["missing"] == {
        "civilians": 0,
        "un_personnel": 0,
        "national_forces": 0,
        "others": 2,
        "total": 2,
    }
    assert figures.sensitivity is Sensitivity.CONFIDENTIAL  # the highest it lists
    assert [r.title for r in figures.rows] == [
        "Convoy ambushed",
        "Shelling of the camp",
        "Second ambush",
    ]
    with_drafts = session.reports.sitrep_figures(START, END, statuses=())
    assert with_drafts.total == 4
    elsewhere = session.reports.sitrep_figures(START, END, grid="38S MC")
    assert elsewhere.total == 0


def test_sitrep_text_and_pdf_carry_the_figures_and_the_marking(session, fixture_incidents):
    document, _ = session.reports.sitrep(START, END, grid="38SMB", assessment="Calm expected")
    text = session.reports.render(document, ReportFormat.TEXT).decode()
    lines = text.splitlines()
    assert lines[0] == lines[-1] == "CONFIDENTIAL"
    assert "1. PERIOD: 200500Z NOV 26 TO 220600Z NOV 26" in lines
    assert "2. AREA: MGRS 38SMB" in lines
    assert "3. SITUATION: 3 INCIDENTS (2 submitted, 1 verified)" in lines
    assert re.search(r"Armed clash\s+2", text) and re.search(r"5 \(critical\)\s+1", text)
    assert re.search(r"KILLED\s+2\s+1\s+1\s+0\s+4", text)
    assert re.search(r"MISSING\s+0\s+0\s+0\s+2\s+2", text)
    assert "200600Z NOV 26  38S MB 44845 36965  Armed clash" in text
    assert "12. ASSESSMENT: Calm expected" in lines
    pages = pdf_text(session.reports.render(document, ReportFormat.PDF))
    whole = " ".join(pages)
    for needle in (
        "SITREP - SITUATION REPORT",
        "3 INCIDENTS",
        "Armed clash",
        "KILLED",
        "Convoy ambushed",
        "Calm expected",
        "38S MB 44845 36965",
    ):
        assert needle in whole, needle
    assert all(page.count("CONFIDENTIAL") >= 2 for page in pages)  # header and footer


def test_a_long_sitrep_pdf_has_the_marking_and_header_row_on_every_page(session):
    for i in range(150):
        session.incidents.create(
            {
                "title": f"Patrol contact {i}",
                "category": "small_arms_fire",
                "severity": 2,
                "occurred": BASE + timedelta(minutes=i),
                "sensitivity": "strictly_confidential",
            }
        )
    document, figures = session.reports.sitrep(START, END, statuses=())
    assert figures.total == 150
    pages = pdf_text(session.reports.render(document, ReportFormat.PDF))
    assert len(pages) >= 3
    for number, page in enumerate(pages, start=1):
        assert page.count("STRICTLY CONFIDENTIAL") >= 2
        assert f"page {number} of {len(pages)}" in page
    assert all("TITLE" in page for page in pages[1:])  # the table's header again
    # table rows are monospaced text, which pypdf may split inside words: compare without spaces
    assert "Patrolcontact149" in pages[-1].replace(" ", "")


def test_increp_lists_every_line(session, fixture_incidents):
    incident = fixture_incidents["Convoy ambushed"]
    document = session.reports.increp(incident)
    text = session.reports.render(document, ReportFormat.TEXT).decode()
    lines = text.splitlines()
    assert lines[0] == lines[-1] == "CONFIDENTIAL"
    for expected in (
        "1. DTG OF INCIDENT: 200600Z NOV 26",
        "3. REPORTING OFFICER: ALPHA-1",
        "4. INCIDENT: Convoy ambushed",
        "5. CATEGORY: Armed clash",
        "6. SEVERITY: 5 OF 5",
        "9. PERPETRATORS: Abu Bakr's men",
        "13. SOURCE: Village elder Mr Haddad B2",
        "14. STATUS: SUBMITTED",
    ):
        assert expected in lines, expected
    assert any(line.startswith("7. LOCATION: 38S MB 44845 36965") for line in lines)
    assert re.search(r"KILLED\s+2\s+1\s+0\s+0\s+3", text)
    pages = pdf_text(session.reports.render(document, ReportFormat.PDF))
    assert "INCREP - INCIDENT REPORT" in pages[0] and "Abu Bakr's men" in pages[0]
    assert pages[0].count("CONFIDENTIAL") >= 2
    draft = session.incidents.save_draft({"title": "not yet"})
    with pytest.raises(InvalidInput, match="not complete"):
        session.reports.increp(draft)


def test_medevac_readout(session):
    request = MedevacRequest(
        location=parse_location("38S MB 44845 36965"),
        frequency="45.500",
        callsign="MEDIC-4",
        patients={"A": 1, "C": 2},
        litter=1,
        ambulatory=2,
        security="P",
        marking="C",
        marking_detail="green smoke",
        nationality={"A": 1, "D": 2},
    )
    text = session.reports.render(session.reports.medevac(request), ReportFormat.TEXT).decode()
    lines = text.splitlines()
    assert lines[0] == lines[-1] == "UNCLASSIFIED"
    assert lines[1] == "9-LINE MEDEVAC REQUEST"
    assert "1. LOCATION OF PICKUP SITE: 38S MB 44845 36965" in lines
    assert "3. PATIENTS BY PRECEDENCE: 1 ALPHA (urgent), 2 CHARLIE (priority)" in lines
    assert "5. PATIENTS BY TYPE: 1 LIMA (litter), 2 ALPHA (ambulatory)" in lines
    assert "6. SECURITY AT PICKUP SITE: PAPA (possible enemy troops in area)" in lines
    assert "9. CBRN CONTAMINATION: NONE" in lines
    assert [line.split(".")[0] for line in lines if re.match(r"^\d\. ", line)] == [
        str(n) for n in range(1, 10)
    ]
    with pytest.raises(ValueError, match="peacetime: lines 6 and 9 are the wounds"):
        MedevacRequest.model_validate(
            {**request.model_dump(), "peacetime": True, "wounds": "1 GSW leg"}
        )  # security P given too: refused, not dropped unsaid
    with pytest.raises(ValueError, match="peacetime: the wounds and the terrain"):
        MedevacRequest.model_validate({**request.model_dump(), "terrain": "open field"})
    with pytest.raises(ValueError, match="litter"):
        MedevacRequest.model_validate({**request.model_dump(), "litter": 0})


def test_reports_written_to_disk_are_atomic_private_and_audited(
    session, fixture_incidents, tmp_path
):
    document = session.reports.increp(fixture_incidents["Convoy ambushed"])
    folder = tmp_path / "out"
    folder.mkdir()
    out = folder / "increp.pdf"
    written = session.reports.write(document, ReportFormat.PDF, out)
    assert out.read_bytes()[:5] == b"%PDF-" and written.size == out.stat().st_size
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert [p.name for p in folder.iterdir()] == ["increp.pdf"]  # no temp file left
    last = session.audit.entries()[-1]
    assert last.event == "data.exported"
    detail = json.loads(last.detail)
    assert detail == {
        "what": "report INCREP",
        "format": "pdf",
        "bytes": written.size,
        "sensitivity": "confidential",
    }
    with pytest.raises(InvalidInput, match="does not exist"):
        session.reports.write(document, ReportFormat.TEXT, tmp_path / "nowhere" / "x.txt")


def read_csv(data: bytes) -> tuple[str, list[str], list[dict[str, str]]]:
    text = data.decode()
    marking, rest = text.split("\n", 1)
    rows = list(csv.reader(io.StringIO(rest)))
    return marking, rows[0], [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]


def test_csv_export_round_trips_with_hxl_and_strips_personal_data(
    session, fixture_incidents, tmp_path
):
    out = tmp_path / "incidents.csv"
    result = session.exports.export(ExportFormat.CSV, IncidentFilter(), out, hxl=True)
    assert result.count == 5 and result.sensitivity is Sensitivity.CONFIDENTIAL
    marking, header, rows = read_csv(out.read_bytes())
    assert marking.startswith("# CONFIDENTIAL - MissionDesk incident export")
    hxl = rows.pop(0)
    assert hxl["occurred"] == "#date +occurred" and hxl["lat"] == "#geo +lat"
    assert (
        hxl["category"] == "#event +type +code"
        and hxl["killed_total"] == "#affected +killed +total"
    )
    convoy = next(r for r in rows if r["title"] == "Convoy ambushed")
    assert convoy["id"] == fixture_incidents["Convoy ambushed"]
    assert convoy["occurred_dtg"] == "200600Z NOV 26"
    assert (convoy["killed_civilians"], convoy["killed_un_personnel"], convoy["killed_total"]) == (
        "2",
        "1",
        "3",
    )
    assert convoy["mgrs"] == "38S MB 44845 36965" and float(convoy["lat"]) == pytest.approx(
        32.8694, abs=1e-3
    )
    assert convoy["perpetrators"] == "Abu Bakr's men" and convoy["admiralty"] == "B2"
    assert convoy["sensitivity"] == "confidential" and convoy["category_label"] == "Armed clash"
    stripped = tmp_path / "stripped.csv"
    session.exports.export(ExportFormat.CSV, IncidentFilter(), stripped, strip_personal=True)
    data = stripped.read_bytes()
    _, header, rows = read_csv(data)
    for personal in (
        "perpetrators",
        "narrative",
        "action_taken",
        "assessment",
        "source",
        "reporting_officer",
    ):
        assert personal not in header
    for word in (b"Haddad", b"Abu Bakr", b"ALPHA-1", b"patrol saw"):
        assert word not in data
    assert len(rows) == 5 and "personal data removed" in data.decode().splitlines()[0]
    audit = [json.loads(e.detail) for e in session.audit.entries() if e.event == "data.exported"]
    assert [(a["what"], a["count"], a["personal_data_removed"]) for a in audit] == [
        ("incidents csv", 5, False),
        ("incidents csv", 5, True),
    ]


def test_geojson_export_round_trips(session, fixture_incidents, tmp_path):
    session.incidents.save_draft({"title": "Nowhere yet"})
    out = tmp_path / "incidents.geojson"
    spec = IncidentFilter(categories=("armed_clash",))
    result = session.exports.export(ExportFormat.GEOJSON, spec, out, strip_personal=True)
    collection = json.loads(out.read_text())
    assert collection["type"] == "FeatureCollection" and result.count == 2
    assert collection["sensitivity"] == "CONFIDENTIAL" and collection["personal_data_removed"]
    feature = next(f for f in collection["features"] if f["properties"]["title"] == "Second ambush")
    lon, lat = feature["geometry"]["coordinates"]
    assert (round(lat, 3), round(lon, 3)) == (32.869, 44.41)
    assert feature["id"] == fixture_incidents["Second ambush"]
    assert feature["properties"]["missing_others"] == 2 and "source" not in feature["properties"]
    everything = json.loads(session.exports.render(ExportFormat.GEOJSON, IncidentFilter())[0])
    undated = next(f for f in everything["features"] if f["properties"]["title"] == "Nowhere yet")
    assert undated["geometry"] is None  # kept, with no point


def test_making_a_pdf_loads_no_widgets():
    script = (
        "import sys\n"
        "from missiondesk.reports.document import Line, ReportDocument\n"
        "from missiondesk.reports.pdf import render_pdf\n"
        "data = render_pdf(ReportDocument('X', 'X', 'UNCLASSIFIED', (), (Line(1, 'A', 'b'),)))\n"
        "assert data.startswith(b'%PDF-')\n"
        "import json\n"
        "qt = sorted(m for m in sys.modules if m.startswith(('PySide6.', 'pyqtgraph')))\n"
        "print(json.dumps(qt))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=60,
        env={"PATH": "/usr/bin:/bin", "HOME": "/nonexistent"},
    )
    assert done.returncode == 0, done.stderr
    loaded = json.loads(done.stdout)
    assert "PySide6.QtGui" in loaded and "PySide6.QtWidgets" not in loaded
    assert not any(m.startswith("pyqtgraph") for m in loaded)


def test_an_export_with_a_marking_this_app_does_not_know_is_marked_the_highest():
    """A peer's incident with a marking nobody validated here: the export is never marked
    lower than it might be (before, the unknown marking was skipped)."""
    docs = [("a", {"sensitivity": "confidential"}), ("b", {"sensitivity": "cosmic"})]
    assert ExportService._level(docs) is Sensitivity.STRICTLY_CONFIDENTIAL
    assert ExportService._level(docs[:1]) is Sensitivity.CONFIDENTIAL


def test_csv_cells_that_a_spreadsheet_would_run_are_kept_text(session, tmp_path):
    incident = session.incidents.create(
        {
            "title": '=HYPERLINK("http://example.invalid","Open")',
            "category": "crime",
            "severity": 2,
            "occurred": BASE,
            "location": "-1.95,30.06",
            "narrative": "+250 people gathered; @ the market",
        }
    )
    out = tmp_path / "incidents.csv"
    session.exports.export(ExportFormat.CSV, IncidentFilter(), out)
    _, _, rows = read_csv(out.read_bytes())
    row = next(r for r in rows if r["id"] == incident)
    assert row["title"] == "'" + '=HYPERLINK("http://example.invalid","Open")'
    assert row["narrative"] == "'+250 people gathered; @ the market"
    assert float(row["lat"]) == pytest.approx(-1.95)  # a number stays a number


def test_a_medevac_naming_an_incident_is_never_marked_below_it(session, fixture_incidents):
    convoy = fixture_incidents["Convoy ambushed"]  # confidential
    request = MedevacRequest(
        incident=convoy,
        sensitivity=Sensitivity.UNCLASSIFIED,  # asked for lower: the incident's level wins
        location=parse_location("38S MB 44845 36965"),
        frequency="45.500",
        callsign="MEDIC-4",
        patients={"A": 1},
        litter=1,
        security="N",
        nationality={"A": 1},
    )
    document = session.reports.medevac(request)
    assert document.marking == "CONFIDENTIAL"
    higher = request.model_copy(update={"sensitivity": Sensitivity.STRICTLY_CONFIDENTIAL})
    assert session.reports.medevac(higher).marking == "STRICTLY CONFIDENTIAL"
    assert session.reports.medevac(request.model_copy(update={"incident": ""})).marking == (
        "UNCLASSIFIED"
    )


def test_a_report_too_long_for_a_message_is_refused_and_nothing_is_sent(session):
    session.channels.create("ops")
    start, end = datetime(2026, 11, 1, tzinfo=UTC), datetime(2026, 11, 2, tzinfo=UTC)
    document, _ = session.reports.sitrep(start, end, assessment="calm. " * 4_000)
    with pytest.raises(InvalidInput, match="more than a message holds"):
        session.reports.send(document, "ops")
    assert session.messaging.list("ops") == []
    short, _ = session.reports.sitrep(start, end, assessment="calm")
    sent = session.reports.send(short, "ops")
    assert (sent.channel, sent.precedence.value) == ("ops", "routine")
    assert [m.text.splitlines()[1] for m in session.messaging.list("ops")] == [
        "SITREP - SITUATION REPORT"
    ]
