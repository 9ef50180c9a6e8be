"""`map render`: the map drawn without a screen, for the command line.

It lives in `ui/` because it draws with the map's own widgets (a QGraphicsView needs
QtWidgets, which only `ui/` may import); the command imports it when it runs, so the rest of
the command line starts without Qt. Without a running QApplication one is made on the
`offscreen` platform. The picture is made in memory; only the file asked for is written.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from missiondesk.domain.markings import Sensitivity
from missiondesk.services.session import Session

CENTRED_ZOOM = 10.0  # --center without --zoom: a district
_app: Any = None  # the QApplication made here, kept for the life of the process


@dataclass(frozen=True)
class RenderedMap:
    png: bytes
    incidents: int
    sensitivity: Sensitivity
    centre: tuple[float, float]  # lat, lon
    zoom: float


def _application() -> None:
    global _app  # noqa: PLW0603 - one QApplication per process
    from PySide6.QtWidgets import QApplication

    if QApplication.instance() is None:
        _app = QApplication(["missiondesk", "-platform", "offscreen"])


def render_map(
    session: Session,
    *,
    size: tuple[int, int],
    centre: tuple[float, float] | None = None,
    zoom: float | None = None,
) -> RenderedMap:
    """The basemap, the layers visible by default and every incident with a position; by
    default fitted to the incidents (the whole world when there are none)."""
    _application()
    from missiondesk.services.basemap import world_basemap
    from missiondesk.ui.map.map_layers import MapLayers, read_layers
    from missiondesk.ui.map.page import read_markers
    from missiondesk.ui.map.view import MapView

    markers = read_markers(session)
    view = MapView()
    try:
        view.resize(*size)
        view.set_basemap(world_basemap())
        view.set_markers(markers)
        view.grab()  # lays the widget out at its size before the view is placed
        if centre is not None:
            view.show_place(centre[0], centre[1], CENTRED_ZOOM if zoom is None else zoom)
        elif len(markers):
            view.show_box(
                float(markers.x.min()),
                float(markers.y.min()),
                float(markers.x.max()),
                float(markers.y.max()),
            )
            if zoom is not None:
                view.show_place(*view.centre, zoom)
        else:
            view.fit_world()
            if zoom is not None:
                view.show_place(0.0, 0.0, zoom)
        layers = MapLayers(view, session)  # no task runner: tiles are read here, at once
        layers.set_layers(read_layers(session))
        layers.load_tiles_now()
        png = view.png_bytes()
        level = max(markers.sensitivity, layers.shown_sensitivity(), key=lambda s: s.rank)
        return RenderedMap(png, len(markers), level, view.centre, view.zoom)
    finally:
        view.deleteLater()
