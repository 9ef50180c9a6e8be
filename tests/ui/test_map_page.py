"""The Map section on real widgets over a real vault: the basemap drawn when first shown,
incidents as markers (read again when one is logged), a click on a marker opening its
incident, pan and zoom from the keyboard, go-to in MGRS / decimal / DMS with a red refusal,
the cursor readout, the scale bar, and Export PNG where the officer chose."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication

from missiondesk.domain.web_mercator import project
from missiondesk.services.session import Session
from missiondesk.ui.changes import ChangeRelay
from missiondesk.ui.map.page import MapPage
from missiondesk.ui.tasks import TaskRunner

from .conftest import on_vault

GOMA = (-1.6792, 29.2228)  # lat, lon
BUKAVU = (-2.5083, 28.8608)


@pytest.fixture
def opened(qtbot, open_session: Session, tasks: TaskRunner) -> Iterator[tuple[MapPage, list[str]]]:
    relay = ChangeRelay(open_session.changes)
    saved: list[str] = []
    page = MapPage(
        open_session, tasks, relay, choose_save_path=lambda _parent, name: saved[0] if saved else ""
    )
    qtbot.addWidget(page)
    page.resize(1000, 700)
    yield page, saved
    page.clear()
    relay.stop()


def log_incident(session: Session, where: tuple[float, float], category: str, severity: int):
    return session.incidents.add(
        title=f"{category} near {where}",
        category=category,
        severity=severity,
        location=f"{where[0]}, {where[1]}",
    )


def show(qtbot, page: MapPage, markers: int) -> None:
    page.show()
    qtbot.waitUntil(lambda: page.view is not None and page.marker_count == markers, timeout=10_000)
    QApplication.processEvents()


def test_the_map_is_built_when_first_shown(qtbot, opened):
    page, _ = opened
    assert page.view is None  # nothing of pyqtgraph or the basemap until shown
    show(qtbot, page, 0)
    assert page.view is not None and page.view.land is not None
    qtbot.waitUntil(lambda: "No incident" in page.summary.text())
    assert page.view.zoom < 3  # the whole world


def test_incidents_are_markers_and_a_click_opens_one(qtbot, opened, open_session, tasks):
    page, _ = opened
    goma = log_incident(open_session, GOMA, "armed_clash", 4)
    bukavu = log_incident(open_session, BUKAVU, "crime", 2)
    with qtbot.waitSignal(page.markers_shown, timeout=10_000):
        show(qtbot, page, 2)
    view = page.view
    assert view is not None
    assert set(view.marker_ids) == {goma, bukavu}
    assert "2 incidents on the map" in page.summary.text()
    # the view fits the markers: both are on screen
    for place in (GOMA, BUKAVU):
        point = view.screen_point(*place)
        assert view.viewport().rect().contains(point.toPoint())
    # styled: severity 4 is bigger than severity 2, shapes by category
    spots = {view.marker_ids[int(s.data())]: s for s in view.markers.points()}
    assert spots[goma].size() > spots[bukavu].size()
    assert spots[goma].symbol() == "t" and spots[bukavu].symbol() == "s"

    point = view.screen_point(*GOMA).toPoint()
    with qtbot.waitSignal(page.incident_opened, timeout=5000) as opened_signal:
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert opened_signal.args == [goma]

    # a new incident (a ChangeSet) is on the map without asking
    third = on_vault(tasks, lambda: log_incident(open_session, (-1.95, 30.06), "fire", 1))
    qtbot.waitUntil(lambda: page.marker_count == 3, timeout=10_000)
    assert third in view.marker_ids


def test_keyboard_pan_and_zoom_and_the_scale_bar(qtbot, opened):
    page, _ = opened
    show(qtbot, page, 0)
    view = page.view
    assert view is not None
    view.show_place(0.0, 0.0, 10)
    assert view.scale_bar().label == "10 km"  # 152.9 m/px at the equator, 120 px at most
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Plus)
    assert view.zoom == pytest.approx(11)
    assert view.scale_bar().label == "5 km"
    qtbot.keyClick(view, Qt.Key.Key_Minus)
    qtbot.keyClick(view, Qt.Key.Key_Minus)
    assert view.zoom == pytest.approx(9)
    before_x = project(*view.centre)[0]
    qtbot.keyClick(view, Qt.Key.Key_Right)
    after_x = project(*view.centre)[0]
    width = view.box.size().width()
    assert after_x - before_x == pytest.approx(width / 4 * view.projected_per_pixel())
    qtbot.keyClick(view, Qt.Key.Key_Up)
    assert view.centre[0] > 0.1


@pytest.mark.parametrize(
    ("text", "lat", "lon"),
    [
        ("35M PS 11111 22222", None, None),  # MGRS, checked against parse_location below
        ("-1.6792, 29.2228", -1.6792, 29.2228),
        ("1°40'45\"S 29°13'22\"E", -1.6792, 29.2228),
    ],
)
def test_go_to_accepts_mgrs_decimal_and_dms(qtbot, opened, text, lat, lon):
    from missiondesk.domain.coordinates import parse_location

    page, _ = opened
    show(qtbot, page, 0)
    qtbot.keyClicks(page.go_to_box, text)
    qtbot.keyClick(page.go_to_box, Qt.Key.Key_Return)
    expected = parse_location(text)
    assert page.view is not None
    assert page.view.centre == pytest.approx((expected.lat, expected.lon), abs=1e-6)
    if lat is not None:
        assert page.view.centre == pytest.approx((lat, lon), abs=1e-3)
    assert page.view.zoom >= 11
    assert page.error.isHidden()


def test_go_to_refuses_what_is_not_a_place_in_red(qtbot, opened):
    page, _ = opened
    show(qtbot, page, 0)
    centre = page.view.centre
    qtbot.keyClicks(page.go_to_box, "the market")
    qtbot.mouseClick(page.go_button, Qt.MouseButton.LeftButton)
    assert page.error.isVisible()
    assert "'the market' is not a location" in page.error.text()
    assert "b3261e" in page.error.styleSheet()
    assert page.view.centre == centre
    page.go_to_box.clear()
    qtbot.keyClicks(page.go_to_box, "95, 10")
    qtbot.keyClick(page.go_to_box, Qt.Key.Key_Return)
    assert "outside the globe" in page.error.text()
    qtbot.keyClick(page.go_to_box, Qt.Key.Key_Backspace)  # typing again: the refusal goes
    assert not page.error.isVisible()


def test_a_failed_export_is_said_in_red(qtbot, opened, tmp_path: Path):
    page, saved = opened
    show(qtbot, page, 0)
    saved.append(str(tmp_path / "nope" / "view.png"))  # a folder that does not exist
    page.export_png()
    qtbot.waitUntil(page.error.isVisible, timeout=5000)
    assert page.error.text().startswith("Not saved: ") and "does not exist" in page.error.text()
    assert page.result.text() == ""


def test_ctrl_g_puts_the_cursor_in_the_go_to_box(qtbot, opened):
    from .conftest import show_and_activate

    page, _ = opened
    show(qtbot, page, 0)
    show_and_activate(qtbot, page)
    page.view.setFocus()
    qtbot.keyClick(page.view, Qt.Key.Key_G, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(page.go_to_box.hasFocus, timeout=2000)


def test_the_readout_shows_mgrs_decimal_and_dms(qtbot, opened):
    page, _ = opened
    show(qtbot, page, 0)
    view = page.view
    view.show_place(*GOMA, 12)
    point = view.screen_point(*GOMA).toPoint()
    qtbot.mouseMove(view.viewport(), point + QPoint(1, 0))
    qtbot.mouseMove(view.viewport(), point)
    qtbot.waitUntil(lambda: page.readout.text() != "", timeout=5000)
    text = page.readout.text()
    assert text.startswith("35M ")  # Goma's MGRS zone
    assert "-1.67" in text and "29.22" in text
    assert "S 29°13'" in text


def test_export_png_writes_the_view_where_chosen(qtbot, opened, tasks, tmp_path: Path):
    page, saved = opened
    show(qtbot, page, 0)
    target = tmp_path / "out" / "view.png"
    target.parent.mkdir()
    saved.append(str(target))
    width = page.view.width()
    page.export_png()
    qtbot.waitUntil(lambda: "saved" in page.result.text(), timeout=5000)
    image = QImage(str(target))
    assert not image.isNull()
    assert image.width() == width == page.view.width()
    assert [p.name for p in target.parent.iterdir()] == ["view.png"]  # no temp file left
    assert "UNCLASSIFIED" in page.result.text()
    exported = on_vault(tasks, lambda: page._session.audit.entries()[-1])
    assert exported.event == "data.exported" and "map view" in exported.detail


def test_importing_the_page_loads_neither_pyqtgraph_nor_the_basemap():
    code = (
        "import sys; import missiondesk.ui.map.page; "
        "print('pyqtgraph' in sys.modules, 'missiondesk.services.basemap' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert out.stdout.split() == ["False", "False"]
