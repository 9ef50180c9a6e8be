"""The incident form and the incident chart, on real widgets: typed from the keyboard, refusals
under their fields with what was typed kept, live explanations of DTGs and locations, and bars
regrouped by week or month for long periods."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from missiondesk.domain.markings import Sensitivity
from missiondesk.domain.records.incidents import DEFAULT_CATEGORIES
from missiondesk.ui.incidents.chart import EMPTY_HEIGHT, IncidentChart, _seconds, bin_counts
from missiondesk.ui.incidents.form import IncidentForm


@pytest.fixture
def form(qtbot) -> IncidentForm:
    made = IncidentForm(DEFAULT_CATEGORIES)
    qtbot.addWidget(made)
    made.resize(720, 900)
    made.show()
    qtbot.waitExposed(made)
    return made


def test_the_fields_needed_to_submit_are_marked(form: IncidentForm):
    from PySide6.QtWidgets import QLabel

    required = {"title", "category", "severity", "occurred"}
    for field, widget in form.inputs.items():
        marked = widget.accessibleName().endswith("(required)")
        assert marked == (field in required), field
    captions = {w.buddy(): w.text() for w in form.findChildren(QLabel) if w.buddy() is not None}
    assert captions[form.title_edit] == "&Title *:"
    assert captions[form.location_edit] == "&Location:"
    assert form.required_note.text().startswith("* needed to submit")


def test_the_form_is_filled_from_the_keyboard(qtbot, form: IncidentForm):
    form.set_related_choices([("inc-1", "301500Z NOV 26 · IED on MSR Tampa")])
    edits: list[None] = []
    form.edited.connect(lambda: edits.append(None))
    form.title_edit.setFocus()
    qtbot.keyClicks(form.title_edit, "Small-arms fire at KP-7")
    qtbot.keyClick(form.title_edit, Qt.Key.Key_Tab)  # to the category
    assert QApplication.focusWidget() is form.category_box
    form.category_box.setCurrentIndex(form.category_box.findData("small_arms_fire"))
    qtbot.keyClick(form.category_box, Qt.Key.Key_Tab)  # to the severity
    assert QApplication.focusWidget() is form.severity_box
    qtbot.keyClick(form.severity_box, Qt.Key.Key_Down)  # 3 -> 4
    form.occurred_edit.clear()
    qtbot.keyClicks(form.occurred_edit, "011130Z DEC 26")
    qtbot.keyClicks(form.location_edit, "36N UL 44753 36243")
    form.casualty_spins[("injured", "civilians")].setValue(2)
    qtbot.keyClicks(form.text_edits["narrative"], "Two rounds fired at the checkpoint.")
    form.reliability_box.setCurrentIndex(form.reliability_box.findData("B"))
    form.credibility_box.setCurrentIndex(form.credibility_box.findData(2))
    form.related_list.item(0).setCheckState(Qt.CheckState.Checked)

    values = form.values()
    assert values["title"] == "Small-arms fire at KP-7"
    assert values["category"] == "small_arms_fire"
    assert values["severity"] == 4
    assert values["occurred"] == "011130Z DEC 26"
    assert values["location"] == "36N UL 44753 36243"
    assert values["casualties"]["injured"]["civilians"] == 2
    assert values["casualties"]["killed"] == dict.fromkeys(
        ("civilians", "un_personnel", "national_forces", "others"), 0
    )
    assert values["narrative"] == "Two rounds fired at the checkpoint."
    assert (values["source_reliability"], values["source_credibility"]) == ("B", 2)
    assert values["sensitivity"] is Sensitivity.UNCLASSIFIED
    assert values["related"] == ["inc-1"]
    assert len(edits) > 10  # every keystroke and choice: the page autosaves from this
    assert "01 Dec 2026 11:30 UTC" in form.occurred_hint.text()
    assert form.location_hint.text().startswith("MGRS 36N UL 44753 36243 · ")


def test_refusals_go_under_their_fields_and_keep_what_was_typed(qtbot, form: IncidentForm):
    qtbot.keyClicks(form.title_edit, "Roadblock")
    form.occurred_edit.clear()
    qtbot.keyClicks(form.occurred_edit, "yesterday")
    assert form.occurred_hint.text() == "Not a date-time group yet: DDHHMMZ MON YY, in UTC."
    form.text_edits["narrative"].setFocus()
    form.show_errors(
        {
            "occurred": "Enter when it happened as a DTG, e.g. 011130Z DEC 26.",
            "casualties.killed.civilians": "Must be 0 or more.",
        }
    )
    assert form.error_text("occurred") == "Enter when it happened as a DTG, e.g. 011130Z DEC 26."
    assert form.error_text("casualties") == "Must be 0 or more."
    assert form.error_text("title") == ""
    assert QApplication.focusWidget() is form.occurred_edit  # the first refusal
    assert form.values()["title"] == "Roadblock" and form.values()["occurred"] == "yesterday"
    form.clear_errors()
    assert form.error_text("occurred") == ""


def test_values_set_come_back_without_raising_edited(qtbot, form: IncidentForm):
    form.set_related_choices([("a", "A"), ("b", "B")])
    occurred = datetime(2026, 11, 30, 15, 0, tzinfo=UTC)
    given = {
        "title": "IED on MSR Tampa",
        "category": "ied_mine_uxo",
        "severity": 5,
        "occurred": occurred,
        "sensitivity": Sensitivity.CONFIDENTIAL,
        "location": "34.5123, 69.1234",
        "place": "MSR Tampa km 42",
        "casualties": {"killed": {"un_personnel": 1}, "injured": {"national_forces": 3}},
        "perpetrators": "Unknown",
        "narrative": "Vehicle struck a device.",
        "action_taken": "QRF deployed.",
        "assessment": "Likely more devices on the route.",
        "source": "Patrol leader",
        "source_reliability": "A",
        "source_credibility": 1,
        "related": ["b"],
    }
    edits: list[None] = []
    form.edited.connect(lambda: edits.append(None))
    form.set_values(given, reported=occurred + timedelta(minutes=20))
    assert edits == []
    values = form.values()
    assert values["occurred"] == "301500Z NOV 26"
    assert values["casualties"]["killed"]["un_personnel"] == 1
    assert values["casualties"]["injured"]["national_forces"] == 3
    for key in ("title", "category", "severity", "sensitivity", "location", "place", "related"):
        assert values[key] == given[key], key
    assert form.reported_label.text() == "301520Z NOV 26"
    form.clear()
    assert form.values()["title"] == "" and form.values()["severity"] == 3


def test_unknown_category_falls_back_to_the_first_and_taxonomy_can_change(form: IncidentForm):
    form.set_values({"category": "no_such_thing"})
    assert form.values()["category"] == next(iter(DEFAULT_CATEGORIES))
    form.category_box.setCurrentIndex(form.category_box.findData("fire"))
    form.set_categories({"fire": "Fire", "flood": "Flood"})
    assert form.values()["category"] == "fire"
    assert form.category_box.count() == 2


def test_short_periods_are_drawn_by_day_long_ones_by_week_or_month():
    days = [date(2026, 1, 1) + timedelta(days=i) for i in range(60)]
    daily = bin_counts(days, {"A": [1] * 60})
    assert daily.unit == "day" and len(daily.starts) == 60
    days = [date(2026, 1, 1) + timedelta(days=i) for i in range(365)]
    weekly = bin_counts(days, {"A": [1] * 365, "B": [2] * 365})
    assert weekly.unit == "week"
    assert all(d.weekday() == 0 for d in weekly.starts[1:])
    assert sum(weekly.series["A"]) == 365 and sum(weekly.series["B"]) == 730
    assert max(weekly.series["A"]) == 7
    days = [date(2024, 1, 1) + timedelta(days=i) for i in range(1000)]
    monthly = bin_counts(days, {"A": [1] * 1000})
    assert monthly.unit == "month" and monthly.starts[1] == date(2024, 2, 1)
    assert monthly.series["A"][1] == 29 and sum(monthly.series["A"]) == 1000


def test_the_chart_says_what_it_shows(qtbot):
    chart = IncidentChart()
    qtbot.addWidget(chart)
    days = [date(2026, 11, 1) + timedelta(days=i) for i in range(30)]
    chart.show_counts(
        days,
        {"Armed clash": [1] * 30, "Crime": [0] * 30, "Fire": [2] * 15 + [0] * 15},
    )
    assert chart.summary.text() == (
        "60 incidents by day, 01 Nov 2026 to 30 Nov 2026. Most: Armed clash (30)."
    )
    assert [text for text, _ in chart.legend_entries] == ["Armed clash (30)", "Fire (30)"]
    assert "Crime" not in chart.legend.text()
    assert chart.series_shown == 2  # one bar series per non-empty category
    chart.show_counts(days, {"Armed clash": [0] * 30})
    assert chart.summary.text() == "No incidents in this period."
    assert chart.legend_entries == [] and chart.series_shown == 0
    (x_low, x_high), (y_low, y_high) = chart.plot.viewRange()  # empty, over the period's dates
    assert x_low <= _seconds(days[0]) and x_high >= _seconds(days[-1])
    assert (y_low, y_high) == (0, EMPTY_HEIGHT)
