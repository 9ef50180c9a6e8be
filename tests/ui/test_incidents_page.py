"""The Incidents section on real widgets over real vaults of one mission: an officer logs an
incident from the keyboard (refused values said under their fields, the draft saved as typed),
submits it, cannot verify it; the commander's laptop receives it and verifies and closes it;
filters redraw list and chart; exports and the INCREP are written where the officer chose."""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QPlainTextEdit

from missiondesk.domain.dtg import format_dtg
from missiondesk.domain.markings import Precedence
from missiondesk.domain.records.incidents import IncidentStatus
from missiondesk.domain.records.people import Role
from missiondesk.services.session import Session
from missiondesk.services.vault_access import create_vault
from missiondesk.ui.changes import ChangeRelay
from missiondesk.ui.incidents.editor import IncidentDialog
from missiondesk.ui.incidents.page import IncidentRowsModel, IncidentsPage
from missiondesk.ui.tasks import TaskRunner
from tests.opfactory import share

from .conftest import FAST_KDF, PASSPHRASE, on_vault, show_and_activate


@dataclass
class Laptop:
    session: Session
    tasks: TaskRunner
    relay: ChangeRelay
    page: IncidentsPage
    saved_paths: list[str]
    names: list[str]


@pytest.fixture
def mission(tmp_path: Path) -> Iterator[tuple[Session, Session]]:
    """HQ-1 (the authority, a commander) and BRAVO-2 (an officer enrolled by file)."""
    hq = create_vault(tmp_path / "hq", PASSPHRASE, name="Ida Moreau", callsign="HQ-1", kdf=FAST_KDF)
    hq.mission.create("Sector North", role=Role.COMMANDER)
    bravo = create_vault(
        tmp_path / "bravo", PASSPHRASE, name="Tomas Lind", callsign="BRAVO-2", kdf=FAST_KDF
    )
    request, _ = bravo.mission.request_enrollment()
    approval, _ = hq.mission.approve(request, role=Role.OFFICER)
    bravo.mission.accept(approval)
    try:
        yield hq, bravo
    finally:
        hq.close()
        bravo.close()


@pytest.fixture
def laptops(qtbot) -> Iterator[list[Laptop]]:
    made: list[Laptop] = []
    yield made
    for laptop in made:
        laptop.page.clear()
        laptop.relay.stop()
        assert laptop.tasks.wait_for_done(10_000)
        laptop.tasks.shutdown()


def open_page(qtbot, laptops: list[Laptop], session: Session, tmp_path: Path) -> Laptop:
    tasks = TaskRunner()
    relay = ChangeRelay(session.changes)
    saved: list[str] = []
    names: list[str] = []
    page = IncidentsPage(
        session,
        tasks,
        relay,
        choose_save_path=lambda _parent, suggestion: saved.pop(0) if saved else "",
        ask_name=lambda _parent, _question: names.pop(0) if names else None,
    )
    qtbot.addWidget(page)
    page.resize(1300, 820)
    show_and_activate(qtbot, page)
    qtbot.waitUntil(lambda: page.page is not None, timeout=10_000)
    laptop = Laptop(session, tasks, relay, page, saved, names)
    laptops.append(laptop)
    return laptop


def texts(page: IncidentsPage, column: int) -> list[str]:
    model = page.model
    return [model.data(model.index(r, column)) for r in range(model.rowCount())]


def new_dialog(qtbot, page: IncidentsPage) -> IncidentDialog:
    page.table.setFocus()
    with qtbot.waitSignal(page.incident_opened, timeout=5000) as opened:
        qtbot.keyClick(page.table, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    dialog = opened.args[0]
    assert isinstance(dialog, IncidentDialog)
    show_and_activate(qtbot, dialog)
    return dialog


def test_an_officer_logs_and_submits_an_incident_and_cannot_verify_it(
    qtbot, mission, laptops, tmp_path: Path
):
    _hq, bravo = mission
    laptop = open_page(qtbot, laptops, bravo, tmp_path)
    page = laptop.page
    assert page.summary.text().startswith("No incidents logged yet.")
    dialog = new_dialog(qtbot, page)
    form = dialog.form
    assert QApplication.focusWidget() is form.title_edit
    qtbot.keyClicks(form.title_edit, "Roadblock on MSR Tampa")
    qtbot.keyClick(form.title_edit, Qt.Key.Key_Tab)
    form.category_box.setCurrentIndex(form.category_box.findData("movement_restriction"))
    form.occurred_edit.clear()
    qtbot.keyClicks(form.occurred_edit, "yesterday")
    qtbot.keyClicks(form.location_edit, "36N UL 44753 36243")
    qtbot.mouseClick(dialog.step_buttons[IncidentStatus.SUBMITTED], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: form.error_text("occurred") != "", timeout=10_000)
    assert "is not a date-time group; write it like 221530Z NOV 26" in form.error_text("occurred")
    assert form.values()["title"] == "Roadblock on MSR Tampa"  # nothing typed is lost
    assert form.values()["location"] == "36N UL 44753 36243"
    assert dialog.status is IncidentStatus.DRAFT

    when = datetime.now(UTC) - timedelta(hours=2)
    form.occurred_edit.clear()
    qtbot.keyClicks(form.occurred_edit, format_dtg(when))
    qtbot.keyClick(form.occurred_edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: dialog.status is IncidentStatus.SUBMITTED, timeout=10_000)
    assert form.error_text("occurred") == ""
    assert dialog.history_list.item(0).text().endswith("draft → submitted by BRAVO-2")
    assert not dialog.step_buttons[IncidentStatus.VERIFIED].isVisible()  # not for an officer
    assert dialog.step_buttons[IncidentStatus.DRAFT].isVisible()  # a reporter may take it back

    dialog.step_now(IncidentStatus.VERIFIED)  # as if the button were there
    qtbot.waitUntil(dialog.error.isVisible, timeout=10_000)
    assert "An officer cannot verify an incident" in dialog.error.text()
    assert dialog.status is IncidentStatus.SUBMITTED
    qtbot.waitUntil(lambda: texts(page, IncidentRowsModel.STATUS) == ["Submitted"], timeout=5000)
    assert texts(page, IncidentRowsModel.TITLE) == ["Roadblock on MSR Tampa"]
    assert texts(page, IncidentRowsModel.OCCURRED) == [format_dtg(when)]
    dialog.close()


def test_the_commander_receives_verifies_and_closes_it(qtbot, mission, laptops, tmp_path: Path):
    hq, bravo = mission
    incident_id = bravo.incidents.create(
        {
            "title": "Shots heard near Leer",
            "category": "small_arms_fire",
            "severity": 3,
            "occurred": datetime.now(UTC) - timedelta(hours=5),
        }
    )
    bravo.incidents.submit(incident_id)
    laptop = open_page(qtbot, laptops, hq, tmp_path)
    page = laptop.page
    on_vault(laptop.tasks, lambda: share(bravo, hq))  # as sync would
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=10_000)
    page.table.selectRow(0)
    with qtbot.waitSignal(page.incident_opened, timeout=5000) as opened:
        qtbot.keyClick(page.table, Qt.Key.Key_Return)
    dialog: IncidentDialog = opened.args[0]
    assert dialog.status is IncidentStatus.SUBMITTED
    verify = dialog.step_buttons[IncidentStatus.VERIFIED]
    assert verify.isVisible()
    qtbot.mouseClick(verify, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.status is IncidentStatus.VERIFIED, timeout=10_000)
    assert not dialog.form.widget().isEnabled()  # verified: locked
    assert "locked" in dialog.state_line.text()
    qtbot.mouseClick(dialog.step_buttons[IncidentStatus.CLOSED], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.status is IncidentStatus.CLOSED, timeout=10_000)
    steps = [dialog.history_list.item(i).text() for i in range(dialog.history_list.count())]
    assert [s.split(" · ")[1] for s in steps] == [
        "draft → submitted by BRAVO-2",
        "submitted → verified by HQ-1",
        "verified → closed by HQ-1",
    ]
    qtbot.waitUntil(lambda: texts(page, IncidentRowsModel.STATUS) == ["Closed"], timeout=5000)
    dialog.close()


def test_a_draft_is_saved_as_it_is_typed_and_when_the_window_closes(
    qtbot, mission, laptops, tmp_path: Path
):
    _hq, bravo = mission
    laptop = open_page(qtbot, laptops, bravo, tmp_path)
    dialog = new_dialog(qtbot, laptop.page)
    qtbot.keyClicks(dialog.form.title_edit, "Generator fire at the camp")
    qtbot.waitUntil(lambda: dialog.incident_id is not None and not dialog.is_dirty, timeout=10_000)
    incident_id = dialog.incident_id
    assert incident_id is not None
    stored = on_vault(laptop.tasks, lambda: bravo.incidents.get(incident_id))
    assert stored.fields["title"] == "Generator fire at the camp"
    assert stored.status is IncidentStatus.DRAFT
    qtbot.keyClicks(dialog.form.text_edits["narrative"], "Put out by the duty section.")
    dialog.close()  # before the autosave's pause has passed: saved first, then closed
    qtbot.waitUntil(lambda: dialog not in laptop.page.dialogs, timeout=10_000)
    stored = on_vault(laptop.tasks, lambda: bravo.incidents.get(incident_id))
    assert stored.fields["narrative"] == "Put out by the duty section."


def test_filters_redraw_the_list_and_the_chart_and_can_be_saved(
    qtbot, mission, laptops, tmp_path: Path
):
    _hq, bravo = mission
    now = datetime.now(UTC)
    for title, category, severity, hours in (
        ("IED on the bridge", "ied_mine_uxo", 5, 3),
        ("Roadblock at KP-7", "movement_restriction", 2, 30),
        ("Market robbery", "crime", 1, 24 * 20),
        ("Second roadblock", "movement_restriction", 4, 50),
    ):
        bravo.incidents.create(
            {
                "title": title,
                "category": category,
                "severity": severity,
                "occurred": now - timedelta(hours=hours),
                "location": "36N UL 44753 36243" if "road" in title.lower() else "",
            }
        )
    laptop = open_page(qtbot, laptops, bravo, tmp_path)
    page = laptop.page
    qtbot.waitUntil(lambda: page.model.rowCount() == 4, timeout=10_000)
    assert page.chart.summary.text().startswith("4 incidents by day")
    bar = page.filters
    bar.severity.setCurrentIndex(bar.severity.findData(4))
    qtbot.waitUntil(lambda: page.model.rowCount() == 2, timeout=5000)
    assert texts(page, IncidentRowsModel.TITLE) == ["IED on the bridge", "Second roadblock"]
    assert page.chart.summary.text().startswith("2 incidents by day")
    assert page.summary.text() == "2 incidents match."
    page.chart_mode.button(1).setChecked(True)  # the severity series is read for the filter
    qtbot.waitUntil(
        lambda: [t for t, _ in page.chart.legend_entries] == ["Severity 4 (1)", "Severity 5 (1)"],
        timeout=5000,
    )
    assert page.page.counts.by_severity and not page.page.counts.by_category

    bar.severity.setCurrentIndex(0)
    bar.period.setCurrentText("Last 7 days")
    qtbot.keyClicks(bar.text, "roadblock")
    roadblocks = {"Roadblock at KP-7", "Second roadblock"}
    qtbot.waitUntil(lambda: set(texts(page, IncidentRowsModel.TITLE)) == roadblocks, timeout=5000)
    bar.grid.setText("no square")
    qtbot.waitUntil(page.filter_error.isVisible, timeout=5000)
    assert "not an MGRS grid square" in page.filter_error.text()
    assert page.model.rowCount() == 2  # the last good filter stays
    bar.grid.setText("36N UL")
    qtbot.waitUntil(lambda: not page.filter_error.isVisible(), timeout=5000)
    qtbot.waitUntil(lambda: page.spec.grid == "36N UL", timeout=5000)
    assert page.model.rowCount() == 2

    laptop.names.append("Roadblocks this week")
    page.save_filter()
    qtbot.waitUntil(lambda: "Roadblocks this week" in page.saved_filters, timeout=5000)
    page.clear_filter()
    qtbot.waitUntil(lambda: page.model.rowCount() == 4, timeout=5000)  # from 2: no race
    assert bar.text.text() == "" and bar.grid.text() == ""
    index = bar.saved.findData("Roadblocks this week")
    bar.saved.setCurrentIndex(index)
    bar.saved.activated.emit(index)
    qtbot.waitUntil(lambda: set(texts(page, IncidentRowsModel.TITLE)) == roadblocks, timeout=5000)
    assert bar.text.text() == "roadblock" and bar.grid.text() == "36N UL"

    header = page.table.horizontalHeader()
    header.setSortIndicator(IncidentRowsModel.SEVERITY, Qt.SortOrder.AscendingOrder)
    qtbot.waitUntil(
        lambda: texts(page, IncidentRowsModel.TITLE) == ["Roadblock at KP-7", "Second roadblock"],
        timeout=5000,
    )


def test_exports_and_the_increp_are_written_where_the_officer_chose(
    qtbot, mission, laptops, tmp_path: Path
):
    _hq, bravo = mission
    incident_id = bravo.incidents.create(
        {
            "title": "Ambush on MSR Tampa",
            "category": "armed_clash",
            "severity": 4,
            "occurred": datetime.now(UTC) - timedelta(hours=1),
            "location": "36N UL 44753 36243",
            "casualties": {"injured": {"un_personnel": 2}, "killed": {"civilians": 1}},
            "source": "Patrol leader",
            "sensitivity": "confidential",
        }
    )
    laptop = open_page(qtbot, laptops, bravo, tmp_path)
    page = laptop.page
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=10_000)
    assert texts(page, IncidentRowsModel.CASUALTIES) == ["1 / 2 / 0"]
    out_csv = tmp_path / "out" / "incidents.csv"
    out_csv.parent.mkdir()
    laptop.saved_paths.append(str(out_csv))
    page.strip_action.setChecked(True)
    page.export(page_format("csv"))
    qtbot.waitUntil(lambda: "exported" in page.result.text(), timeout=10_000)
    assert "marked CONFIDENTIAL, personal data removed" in page.result.text()
    text = out_csv.read_text("utf-8")
    assert "CONFIDENTIAL" in text.splitlines()[0]
    assert "Patrol leader" not in text
    rows = [r for r in csv.reader(text.splitlines()) if r and "Ambush on MSR Tampa" in r]
    assert len(rows) == 1

    out_json = tmp_path / "out" / "incidents.geojson"
    laptop.saved_paths.append(str(out_json))
    page.export(page_format("geojson"))
    qtbot.waitUntil(out_json.is_file, timeout=10_000)
    features = json.loads(out_json.read_text("utf-8"))["features"]
    assert [f["geometry"]["type"] for f in features] == ["Point"]

    page.increp(incident_id)
    qtbot.waitUntil(lambda: bool(page.report_views), timeout=10_000)
    view = page.report_views[0]
    shown = view.text.toPlainText()
    assert shown.splitlines()[0] == "CONFIDENTIAL" and shown.rstrip().endswith("CONFIDENTIAL")
    assert "Ambush on MSR Tampa" in shown
    pdf = tmp_path / "out" / "increp.pdf"
    laptop.saved_paths.append(str(pdf))
    qtbot.mouseClick(view.pdf_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Saved to" in view.result_line.text(), timeout=10_000)
    assert pdf.read_bytes().startswith(b"%PDF")
    from pypdf import PdfReader

    assert "CONFIDENTIAL" in PdfReader(str(pdf)).pages[0].extract_text()
    view.close()


def page_format(name: str):  # the ExportFormat the menu's actions pass
    from missiondesk.services.incident_exports import ExportFormat

    return ExportFormat(name)


def test_a_medevac_request_from_an_incident_is_checked_and_read_out(
    qtbot, mission, laptops, tmp_path: Path
):
    from missiondesk.ui.incidents.medevac import MedevacDialog
    from missiondesk.ui.incidents.report_view import ReportView

    _hq, bravo = mission
    incident_id = bravo.incidents.create(
        {
            "title": "Mine strike on the Leer road",
            "category": "ied_mine_uxo",
            "severity": 5,
            "occurred": datetime.now(UTC) - timedelta(minutes=20),
            "location": "36N UL 44753 36243",
            "sensitivity": "confidential",
        }
    )
    laptop = open_page(qtbot, laptops, bravo, tmp_path)
    page = laptop.page
    page.open_incident(incident_id)
    qtbot.waitUntil(lambda: bool(page.dialogs), timeout=10_000)
    incident = page.dialogs[0]
    with qtbot.waitSignal(page.medevac_opened, timeout=5000) as opened:
        qtbot.mouseClick(incident.medevac_button, Qt.MouseButton.LeftButton)
    form: MedevacDialog = opened.args[0]
    assert form.location_edit.text() == "36N UL 44753 36243"  # line 1 from the incident
    show_and_activate(qtbot, form)
    assert QApplication.focusWidget() is form.frequency_edit
    qtbot.keyClicks(form.frequency_edit, "45.500")
    qtbot.keyClicks(form.callsign_edit, "BRAVO-2")
    form.patients["A"].setValue(2)
    form.litter_spin.setValue(1)  # 1 litter + 0 ambulatory: not the 2 patients of line 3
    form.nationality["A"].setValue(2)
    qtbot.keyClick(form.callsign_edit, Qt.Key.Key_Return)  # Prepare is the default button
    assert "litter + ambulatory patients must equal the patients of line 3" in form.error.text()
    assert form.frequency_edit.text() == "45.500"  # nothing typed is lost
    assert not any(isinstance(v, ReportView) for v in page.report_views)

    form.ambulatory_spin.setValue(1)
    qtbot.mouseClick(form.prepare_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: any(isinstance(v, ReportView) for v in page.report_views), timeout=10_000
    )
    view = next(v for v in page.report_views if isinstance(v, ReportView))
    text = view.text.toPlainText()
    assert text.splitlines()[0] == "CONFIDENTIAL"  # the incident's sensitivity
    assert "1. LOCATION OF PICKUP SITE: 36N UL 44753 36243" in text
    assert "2. RADIO FREQUENCY, CALLSIGN: 45.500, BRAVO-2" in text
    assert "1 LIMA (litter), 1 ALPHA (ambulatory)" in text

    # sent as a message: FLASH for urgent patients, the report's text, to a chosen channel
    show_and_activate(qtbot, view)
    qtbot.keyClick(view, Qt.Key.Key_N, Qt.KeyboardModifier.AltModifier)  # Send as message…
    qtbot.waitUntil(lambda: view.send_dialog is not None, timeout=5000)
    send = view.send_dialog
    qtbot.waitUntil(lambda: QApplication.activeWindow() is send, timeout=5000)
    assert send.precedence is Precedence.FLASH
    assert "marked CONFIDENTIAL" in send.note.text()
    choices = [send.channel_box.itemText(i) for i in range(send.channel_box.count())]
    send.channel_box.setCurrentIndex(next(i for i, c in enumerate(choices) if "#general" in c))
    qtbot.keyClick(send.channel_box, Qt.Key.Key_Return)  # Send is the default button
    qtbot.waitUntil(lambda: view.result_line.text().startswith("Sent to #general"), timeout=5000)
    assert view.result_line.text() == (
        "Sent to #general as FLASH, marked CONFIDENTIAL. Acknowledgements are asked for."
    )
    assert view.send_dialog is None
    (message,) = on_vault(laptop.tasks, lambda: bravo.messaging.list("general"))
    assert message.precedence is Precedence.FLASH
    assert message.text == text.strip()  # the report, as shown
    view.close()
    form.close()
    incident.close()


def test_the_sitrep_form_is_filled_from_the_keyboard_and_its_text_is_in_the_report(
    qtbot, mission, laptops, tmp_path: Path
):
    from missiondesk.ui.incidents.report_view import ReportView
    from missiondesk.ui.incidents.sitrep_dialog import SitrepDialog

    hq, _bravo = mission
    roadblock = hq.incidents.create(
        {
            "title": "Roadblock at KP-7",
            "category": "movement_restriction",
            "severity": 2,
            "occurred": datetime.now(UTC) - timedelta(hours=2),
            "location": "36N UL 44753 36243",
        },
    )
    hq.incidents.submit(roadblock)
    hq.roster.add("Ben Okafor", callsign="BRAVO-7", outpost="Team site Leer")
    hq.movements.plan(
        "Water run to Leer", ["BRAVO-7"], ["Juba=36N UL 44753 36243", "Leer"],
        depart=datetime.now(UTC) - timedelta(hours=1), eta=datetime.now(UTC) + timedelta(hours=3),
        interval=120,
    )  # fmt: skip
    laptop = open_page(qtbot, laptops, hq, tmp_path)
    page = laptop.page
    page.sitrep_button.setFocus()
    with qtbot.waitSignal(page.sitrep_opened, timeout=5000) as opened:
        qtbot.keyClick(page.sitrep_button, Qt.Key.Key_Space)
    form = opened.args[0]
    assert isinstance(form, SitrepDialog)
    show_and_activate(qtbot, form)
    # the filter has no period: the last 24 hours up to the next minute, as DTGs to edit
    end = datetime.now(UTC)
    assert form.to_edit.text() in {format_dtg(end + timedelta(minutes=m)) for m in (0, 1, 2)}
    assert form.from_edit.text() in {
        format_dtg(end - timedelta(hours=24) + timedelta(minutes=m)) for m in (0, 1, 2)
    }
    assert form.area_label.text() == "ALL AREAS"
    logistics = form.paragraphs["logistics"]
    assert QApplication.focusWidget() is logistics
    qtbot.keyClicks(logistics, "Fuel for 3 days at Leer")
    qtbot.keyClick(logistics, Qt.Key.Key_Tab)
    communications = form.paragraphs["communications"]
    assert QApplication.focusWidget() is communications
    qtbot.keyClicks(communications, "HF net down 0600-0800Z")
    qtbot.keyClick(communications, Qt.Key.Key_Tab)
    assessment = form.paragraphs["assessment"]
    assert QApplication.focusWidget() is assessment
    qtbot.keyClicks(assessment, "Calm expected")
    qtbot.keyClick(assessment, Qt.Key.Key_Return)  # a new line in a paragraph, not Prepare
    qtbot.keyClicks(assessment, "Rains close the Leer road")
    qtbot.keyClick(assessment, Qt.Key.Key_Tab)
    next_steps = form.paragraphs["next_steps"]
    assert QApplication.focusWidget() is next_steps
    qtbot.keyClicks(next_steps, "Resupply Leer at first light")
    assert not any(isinstance(v, ReportView) for v in page.report_views)

    # back up to the period with Shift+Tab: a DTG that is none is said, and nothing is lost
    for _ in range(4):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Backtab)
    assert QApplication.focusWidget() is form.sensitivity_box
    qtbot.keyClick(form.sensitivity_box, Qt.Key.Key_Backtab)
    assert QApplication.focusWidget() is form.to_edit
    qtbot.keyClick(form.to_edit, Qt.Key.Key_Backtab)
    assert QApplication.focusWidget() is form.from_edit
    good_start = form.from_edit.text()
    form.from_edit.selectAll()
    qtbot.keyClicks(form.from_edit, "yesterday")
    assert "Not a date-time group yet" in form.from_hint.text()
    qtbot.keyClick(form.from_edit, Qt.Key.Key_Return)  # Prepare is the default button
    assert "From: 'yesterday' is not a date-time group" in form.error.text()
    assert not any(isinstance(v, ReportView) for v in page.report_views)
    form.from_edit.selectAll()
    qtbot.keyClicks(form.from_edit, good_start)
    assert "UTC" in form.from_hint.text()
    qtbot.keyClick(form.from_edit, Qt.Key.Key_Tab)
    qtbot.keyClick(form.to_edit, Qt.Key.Key_Tab)
    qtbot.keyClick(form.sensitivity_box, Qt.Key.Key_Down)  # mark it at least Confidential
    qtbot.keyClick(form.sensitivity_box, Qt.Key.Key_Down)  # ... Strictly Confidential
    qtbot.keyClick(form.sensitivity_box, Qt.Key.Key_Tab)
    qtbot.keyClick(
        QApplication.focusWidget(), Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier
    )  # Ctrl+Enter in a paragraph prepares
    qtbot.waitUntil(
        lambda: any(isinstance(v, ReportView) for v in page.report_views), timeout=10_000
    )
    view = next(v for v in page.report_views if isinstance(v, ReportView))
    text = view.text.toPlainText()
    lines = text.splitlines()
    assert lines[0] == "STRICTLY CONFIDENTIAL"  # asked for, above the movement's level
    assert "3. SITUATION: 1 INCIDENT (1 submitted)" in lines
    assert re.search(r"Water run to Leer\s+BRAVO-7\s+Juba - Leer\s+", text)
    assert re.search(r"Team site Leer\s+1\n", text)
    assert "10. LOGISTICS: Fuel for 3 days at Leer" in lines
    assert "11. COMMUNICATIONS:" in lines and "    HF net down 0600-0800Z" in lines
    assert "This laptop has not synced with a peer yet." in " ".join(text.split())
    assert "12. ASSESSMENT:" in lines
    assert "    Calm expected" in lines and "    Rains close the Leer road" in lines
    assert "13. NEXT STEPS: Resupply Leer at first light" in lines
    # fixed columns, shown unwrapped: one table row is one line on screen, the window as wide
    # as the widest line (within the screen)
    assert view.text.lineWrapMode() is QPlainTextEdit.LineWrapMode.NoWrap
    widest = max(view.text.fontMetrics().horizontalAdvance(line) for line in lines)
    assert view.width() >= min(widest, view.screen().availableGeometry().width() * 0.9 - 80)
    qtbot.waitUntil(form.prepare_button.isEnabled, timeout=5000)
    assert "Prepared" in form.state_line.text()
    view.close()

    # the form is still there to change and prepare again; Esc closes it
    show_and_activate(qtbot, form)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: form not in page.report_views, timeout=5000)
