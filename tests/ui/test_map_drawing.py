"""Mission overlays on the Map page, real widgets over real vaults: a no-go zone drawn with
the mouse is stored as a record and found in a second vault after its operations are shared
(as sync would; `tests/sync/test_map_feature_sync.py` does it over real sync), and a peer's
route appears without a reload; a route drawn from the keyboard; a refused geometry says why;
a feature selected by a click, renamed and deleted; an active movement's route and last
check-in position drawn, with the callsign said on a click."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication

from missiondesk.domain.markings import Sensitivity
from missiondesk.domain.records.mapping import FeatureKind
from missiondesk.domain.records.people import Role
from missiondesk.services.session import Session
from missiondesk.services.vault_access import create_vault
from missiondesk.ui.changes import ChangeRelay
from missiondesk.ui.map.mission_overlays import MissionOverlays
from missiondesk.ui.map.page import MapPage
from missiondesk.ui.map.view import MapView
from missiondesk.ui.tasks import TaskRunner
from tests.opfactory import share

from .conftest import FAST_KDF, PASSPHRASE, on_vault, show_and_activate

GOMA = (-1.6792, 29.2228)
CORNERS = [(-1.66, 29.20), (-1.66, 29.26), (-1.70, 29.26)]


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


class Answers:
    """What the page's questions are answered with (names in turn; yes or no)."""

    def __init__(self) -> None:
        self.names: list[str] = []
        self.asked: list[str] = []
        self.yes = True

    def name(self, _parent: object, question: str) -> str | None:
        self.asked.append(question)
        return self.names.pop(0) if self.names else None

    def confirm(self, _parent: object, question: str) -> bool:
        self.asked.append(question)
        return self.yes


@pytest.fixture
def answers() -> Answers:
    return Answers()


@pytest.fixture
def page(qtbot, mission, tasks: TaskRunner, answers: Answers) -> Iterator[MapPage]:
    hq, _bravo = mission
    relay = ChangeRelay(hq.changes)
    widget = MapPage(hq, tasks, relay, ask_name=answers.name, confirm=answers.confirm)
    qtbot.addWidget(widget)
    widget.resize(1100, 750)
    yield widget
    widget.clear()
    relay.stop()
    assert tasks.wait_for_done(10_000)


def opened(qtbot, page: MapPage) -> tuple[MapView, MissionOverlays]:
    show_and_activate(qtbot, page)
    qtbot.waitUntil(lambda: page.overlays is not None, timeout=10_000)
    view, overlays = page.view, page.overlays
    assert view is not None and overlays is not None
    view.show_place(*GOMA, zoom=12)
    QApplication.processEvents()
    return view, overlays


def at(view: MapView, place: tuple[float, float]) -> QPoint:
    return view.screen_point(*place).toPoint()


def near(a: tuple[float, float], b: tuple[float, float], view: MapView) -> bool:
    """Within two pixels of each other on this view."""
    pa, pb = view.screen_point(*a), view.screen_point(*b)
    return abs(pa.x() - pb.x()) <= 2 and abs(pa.y() - pb.y()) <= 2


def orange_near(view: MapView, where: QPointF) -> bool:
    """Whether the position marker's orange is drawn within a few pixels of `where`."""
    image = view.viewport().grab().toImage()
    for dx in range(-4, 5):
        for dy in range(-4, 5):
            colour = QColor(image.pixel(int(where.x()) + dx, int(where.y()) + dy))
            if colour.red() > 200 and colour.green() < 120 and colour.blue() < 60:
                return True
    return False


def test_a_no_go_zone_drawn_with_the_mouse_reaches_a_second_vault(
    qtbot, page, mission, tasks, answers
):
    hq, bravo = mission
    view, overlays = opened(qtbot, page)
    answers.names = ["Market no-go"]
    qtbot.mouseClick(overlays.buttons[FeatureKind.NO_GO], Qt.MouseButton.LeftButton)
    assert overlays.tool.kind is FeatureKind.NO_GO
    assert "Drawing a no-go zone" in overlays.info.text()
    viewport = view.viewport()
    for corner in CORNERS[:-1]:
        qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=at(view, corner))
    assert len(overlays.tool.draft.points) == 2
    qtbot.mouseDClick(viewport, Qt.MouseButton.LeftButton, pos=at(view, CORNERS[-1]))
    with qtbot.waitSignal(overlays.features_shown, timeout=10_000):
        pass
    qtbot.waitUntil(lambda: len(overlays.shapes) == 1, timeout=10_000)
    assert answers.asked == ["Name of the no-go zone:"]
    (stored,) = on_vault(tasks, hq.features.list)
    assert (stored.name, stored.kind) == ("Market no-go", FeatureKind.NO_GO)
    assert len(stored.positions()) == 3
    assert all(near(p, c, view) for p, c in zip(stored.positions(), CORNERS, strict=True))
    assert "was saved" in overlays.info.text()

    # drawn red and translucent inside the zone
    inside = view.screen_point(-1.675, 29.245).toPoint()
    colour = QColor(view.viewport().grab().toImage().pixel(inside))
    assert colour.red() > colour.blue() and colour.red() > colour.green()

    on_vault(tasks, lambda: share(hq, bravo))  # as sync would
    (found,) = bravo.features.list()
    assert (found.id, found.name, found.kind) == (stored.id, "Market no-go", FeatureKind.NO_GO)
    assert found.positions() == stored.positions()

    # and a route drawn at BRAVO-2 appears on HQ's map without a reload
    bravo.features.create("Patrol 3", "route", [(-1.65, 29.19), (-1.69, 29.24)])
    on_vault(tasks, lambda: share(bravo, hq))
    qtbot.waitUntil(lambda: len(overlays.shapes) == 2, timeout=10_000)
    assert {s.name for s in overlays.shapes} == {"Market no-go", "Patrol 3"}


def test_a_route_drawn_from_the_keyboard(qtbot, page, mission, tasks, answers):
    hq, _ = mission
    view, overlays = opened(qtbot, page)
    answers.names = ["P" * 201, "Patrol East"]  # too long: asked again, the points kept
    start = view.centre
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_R, Qt.KeyboardModifier.AltModifier)  # the Route button
    qtbot.waitUntil(lambda: overlays.tool.kind is FeatureKind.ROUTE, timeout=5000)
    qtbot.waitUntil(view.hasFocus, timeout=5000)
    for key in (
        Qt.Key.Key_Space,
        Qt.Key.Key_Right,
        Qt.Key.Key_Space,
        Qt.Key.Key_Down,
        Qt.Key.Key_Space,
        Qt.Key.Key_Backspace,  # the last point taken back
    ):
        qtbot.keyClick(view, key)
    assert len(overlays.tool.draft.points) == 2
    qtbot.keyClick(view, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: len(overlays.shapes) == 1, timeout=10_000)
    (route,) = on_vault(tasks, hq.features.list)
    assert route.kind is FeatureKind.ROUTE and route.name == "Patrol East"
    first, second = route.positions()
    assert near(first, start, view)
    assert second[1] > first[1]  # east of it

    # Esc cancels a drawing: nothing asked, nothing stored
    qtbot.keyClick(view, Qt.Key.Key_A, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: overlays.tool.kind is FeatureKind.AREA, timeout=5000)
    qtbot.waitUntil(view.hasFocus, timeout=5000)
    qtbot.keyClick(view, Qt.Key.Key_Space)
    qtbot.keyClick(view, Qt.Key.Key_Escape)
    assert overlays.tool.kind is None and not overlays.tool.draft.points
    assert answers.asked == [
        "Name of the route:",
        "At most 200 characters. Name of the route:",
    ]


def test_a_refused_geometry_says_why(qtbot, page, mission, tasks, answers):
    hq, _ = mission
    view, overlays = opened(qtbot, page)
    answers.names = ["Too thin"]
    qtbot.mouseClick(overlays.buttons[FeatureKind.AREA], Qt.MouseButton.LeftButton)
    for corner in CORNERS[:2]:
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=at(view, corner))
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Enter)
    assert "Not drawn" in overlays.info.text()
    assert "an area needs at least 3 distinct points" in overlays.info.text()
    assert answers.asked == []  # no name asked for what cannot be kept
    assert on_vault(tasks, hq.features.list) == []


def test_a_feature_is_selected_by_a_click_renamed_and_deleted(qtbot, page, mission, tasks, answers):
    hq, _ = mission
    view, overlays = opened(qtbot, page)
    on_vault(tasks, lambda: hq.features.create("Camp Alpha", "outpost", [GOMA]))
    on_vault(tasks, lambda: hq.features.create("Airstrip", "area", CORNERS))
    qtbot.waitUntil(lambda: len(overlays.shapes) == 2, timeout=10_000)
    outpost = next(s for s in overlays.shapes if s.kind is FeatureKind.OUTPOST)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=at(view, GOMA))
    qtbot.waitUntil(lambda: overlays.selection == outpost.id, timeout=5000)
    assert "Outpost 'Camp Alpha'" in overlays.info.text()
    assert overlays.delete_button.isEnabled()

    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_BracketRight)  # the keyboard's way: the next feature
    assert overlays.info.text().startswith("Area 'Airstrip'")
    qtbot.keyClick(view, Qt.Key.Key_BracketLeft)
    assert overlays.selection == outpost.id

    answers.names = ["Camp Alpha (MONUSCO)"]
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_F2)
    qtbot.waitUntil(
        lambda: "Camp Alpha (MONUSCO)" in {s.name for s in overlays.shapes}, timeout=10_000
    )
    answers.yes = False
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    assert answers.asked[-1] == "Delete the outpost 'Camp Alpha (MONUSCO)' for every laptop?"
    answers.yes = True
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: len(overlays.shapes) == 1, timeout=10_000)
    assert [f.name for f in on_vault(tasks, hq.features.list)] == ["Airstrip"]
    assert overlays.selection is None

    # a click inside the area selects it; a click on empty water selects nothing
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=at(view, (-1.675, 29.245)))
    qtbot.waitUntil(lambda: "Area 'Airstrip'" in overlays.info.text(), timeout=5000)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(5, 5))
    qtbot.waitUntil(lambda: overlays.selection is None, timeout=5000)


def test_an_active_movement_route_and_last_position_are_drawn(qtbot, page, mission, tasks, answers):
    hq, _ = mission
    view, overlays = opened(qtbot, page)

    now = datetime.now(UTC)
    on_vault(tasks, lambda: hq.roster.add("Chen Li", callsign="CHARLIE-3"))
    movement = on_vault(
        tasks,
        lambda: hq.movements.plan(
            "Resupply OP North",
            ["CHARLIE-3"],
            ["Camp Alpha=-1.6792, 29.2228", "Bridge", "OP North=-1.6500, 29.2700"],
            depart=now - timedelta(minutes=30),
            eta=now + timedelta(hours=3),
            interval=60,
        ),
    )
    qtbot.waitUntil(lambda: len(overlays.tracks) == 1, timeout=10_000)
    (track,) = overlays.tracks
    assert track.id == movement and [name for name, _ in track.route] == [
        "Camp Alpha",
        "OP North",
    ]  # the waypoint with no location is left out of the line
    assert track.last is None

    on_vault(tasks, lambda: hq.movements.check_in(movement, "-1.6750, 29.2550"))
    qtbot.waitUntil(lambda: overlays.tracks[0].last is not None, timeout=10_000)
    QApplication.processEvents()
    position = view.screen_point(-1.6750, 29.2550)
    assert orange_near(view, position)  # the position marker

    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=position.toPoint())
    qtbot.waitUntil(lambda: "CHARLIE-3" in overlays.info.text(), timeout=5000)
    assert "Last position of CHARLIE-3" in overlays.info.text()
    assert "Resupply OP North" in overlays.info.text()

    # a click on the route line says what the movement is
    middle = view.screen_point(-1.6646, 29.2464)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=middle.toPoint())
    qtbot.waitUntil(lambda: overlays.selection == movement, timeout=5000)
    assert overlays.info.text().startswith("Movement 'Resupply OP North'")

    assert overlays.shown_sensitivity() is Sensitivity.CONFIDENTIAL  # an export is marked so

    on_vault(tasks, lambda: hq.movements.arrive(movement))
    qtbot.waitUntil(lambda: overlays.tracks == [], timeout=10_000)
    assert overlays.shown_sensitivity() is Sensitivity.UNCLASSIFIED


def test_a_check_in_from_a_peer_moves_the_position_without_a_reload(qtbot, page, mission, tasks):
    hq, bravo = mission
    view, overlays = opened(qtbot, page)
    on_vault(tasks, lambda: share(hq, bravo))
    now = datetime.now(UTC)
    movement = bravo.movements.plan(
        "Patrol Kibati",
        ["BRAVO-2"],
        ["Camp Alpha=-1.6792, 29.2228", "Kibati=-1.6200, 29.2800"],
        depart=now - timedelta(minutes=10),
        eta=now + timedelta(hours=2),
        interval=30,
    )
    bravo.movements.check_in(movement, "-1.6500, 29.2500")
    on_vault(tasks, lambda: share(bravo, hq))  # as sync would
    qtbot.waitUntil(lambda: len(overlays.tracks) == 1, timeout=10_000)
    (track,) = overlays.tracks
    assert track.people == ("BRAVO-2",) and track.last is not None
    QApplication.processEvents()
    assert orange_near(view, view.screen_point(-1.65, 29.25))
