"""Active movements on the map: each one's route as a line through its waypoints that have a
location, and its last check-in position with the callsigns of its people. Read on the vault
thread (`read_tracks`), drawn in screen pixels."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QBrush, QColor, QPainter, QPen, QPolygonF, QTransform

from missiondesk.domain.dtg import format_dtg
from missiondesk.domain.markings import Sensitivity
from missiondesk.domain.records.mapping import FeatureKind
from missiondesk.services.movements import MovementView
from missiondesk.services.session import Session
from missiondesk.ui.map.feature_layer import Shape, label, projected
from missiondesk.ui.map.screen_layer import ScreenLayer, label_font

MOVEMENT_Z = 6.0  # over features, under incident markers
ROUTE_COLOUR = "#0b7285"
POSITION_COLOUR = "#e8590c"
POSITION_PREFIX = "position:"  # the id of a movement's last position, for hit tests


@dataclass(frozen=True)
class Track:
    id: str  # the movement
    title: str
    people: tuple[str, ...]
    route: tuple[tuple[str, QPointF], ...]  # waypoints with a location, in order
    last: QPointF | None  # the last check-in position
    description: str  # what a click on it says
    sensitivity: Sensitivity  # the movement's (an export that draws it is marked at least so)

    @property
    def callsigns(self) -> str:
        return ", ".join(self.people)

    def shapes(self) -> list[Shape]:
        """As shapes for `feature_layer.hit`: the route (a line) and the last position."""
        found = []
        if len(self.route) >= 2:
            points = tuple(p for _name, p in self.route)
            found.append(Shape(self.id, self.title, FeatureKind.ROUTE, points))
        if self.last is not None:
            found.append(
                Shape(POSITION_PREFIX + self.id, self.callsigns, FeatureKind.POINT, (self.last,))
            )
        return found


def track_of(view: MovementView) -> Track:
    route = tuple(
        (point.name, projected(point.location.lat, point.location.lon))
        for point in view.movement.route
        if point.location is not None
    )
    last = view.last_position
    when = f", last check-in {format_dtg(view.last_checkin)}" if view.last_checkin else ""
    where = f" at {last.mgrs}" if last is not None and last.mgrs else ""
    stops = " → ".join(p.name for p in view.movement.route)
    description = (
        f"Movement '{view.movement.title}' ({view.state.value}): {', '.join(view.people)}; "
        f"{stops}{when}{where}"
    )
    return Track(
        view.id,
        view.movement.title,
        view.people,
        route,
        projected(last.lat, last.lon) if last is not None else None,
        description,
        view.movement.sensitivity,
    )


def read_tracks(session: Session) -> list[Track]:
    """Every active movement as a track (runs on the vault thread)."""
    return [track_of(view) for view in session.movements.active()]


class MovementsItem(ScreenLayer):
    def __init__(self) -> None:
        super().__init__()
        self.tracks: list[Track] = []
        self.selected: str | None = None
        self._font = label_font()
        self.setZValue(MOVEMENT_Z)

    def set_tracks(self, tracks: Sequence[Track]) -> None:
        self.tracks = list(tracks)
        self.update()

    def select(self, movement_id: str | None) -> None:
        self.selected = movement_id
        self.update()

    def has_content(self) -> bool:
        return bool(self.tracks)

    def paint_screen(self, painter: QPainter, to_device: QTransform) -> None:
        painter.setFont(self._font)
        route_colour, position_colour = QColor(ROUTE_COLOUR), QColor(POSITION_COLOUR)
        for track in self.tracks:
            chosen = track.id == self.selected
            screen = [to_device.map(p) for _name, p in track.route]
            if len(screen) >= 2:
                pen = QPen(route_colour, 4.0 if chosen else 2.5)
                pen.setStyle(Qt.PenStyle.DashDotLine)
                painter.setPen(pen)
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.drawPolyline(QPolygonF(screen))
            painter.setPen(QPen(route_colour, 1.5))
            painter.setBrush(QBrush(QColor("#ffffff")))
            for point in screen:
                painter.drawEllipse(point, 3.5, 3.5)
            if track.last is None:
                continue
            at = to_device.map(track.last)
            painter.setPen(QPen(QColor("#ffffff"), 2.0))
            painter.setBrush(QBrush(position_colour))
            painter.drawEllipse(at, 7.0 if chosen else 6.0, 7.0 if chosen else 6.0)
            painter.setBrush(QBrush(QColor("#ffffff")))
            painter.setPen(Qt.PenStyle.NoPen)
            painter.drawEllipse(at, 2.0, 2.0)
            label(painter, QPointF(at.x() + 10, at.y() + 4), track.callsigns, position_colour)
