"""The Map section: the world basemap with the mission's incidents and the imported layers
(with the layer panel beside the map), a go-to box, the cursor's position in MGRS, decimal
degrees and DMS, and Export PNG.

The map itself (pyqtgraph, the basemap file) is built when the page is first shown, not when
it is made. Incident positions are read on the vault thread (one read of the projection,
projected there too) and read again when a ChangeSet touches incidents; an answer older than
the latest request is dropped. Layers are read the same way, again when a ChangeSet touches
them; an import runs on the vault thread, one file at a time. A click on a marker emits
`incident_opened(id)`: the window opens the incident where incidents are opened. The mission
overlays (drawn features, active movements, the drawing toolbar) are `MissionOverlays`
(`ui/map/mission_overlays.py`), made with the map.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from missiondesk.domain.coordinates import parse_location
from missiondesk.domain.errors import MissionDeskError
from missiondesk.domain.markings import Sensitivity
from missiondesk.services.map_exports import WrittenMap, write_map_png
from missiondesk.services.session import Session
from missiondesk.ui.changes import ChangeRelay, RefreshScheduler
from missiondesk.ui.choosers import FilesChooser, PathChooser, ask_for_layer_files
from missiondesk.ui.tasks import Failure, TaskRunner
from missiondesk.ui.theme import ERROR, MUTED_STYLE, muted_label, page_title

if TYPE_CHECKING:
    from missiondesk.services.layers import LayerInfo
    from missiondesk.ui.choosers import Confirmer
    from missiondesk.ui.map.layer_panel import LayerPanel
    from missiondesk.ui.map.map_layers import LayerEntry, MapLayers
    from missiondesk.ui.map.markers import Markers
    from missiondesk.ui.map.mission_overlays import MissionOverlays, TextAsker
    from missiondesk.ui.map.view import MapView

MAX_MARKERS = 50_000
GO_TO_ZOOM = 11.0  # a go-to from further out lands at a district's scale


def read_markers(session: Session) -> Markers:
    """Every incident with a position, as marker arrays (runs on the vault thread)."""
    from missiondesk.ui.map.markers import markers_from_positions

    return markers_from_positions(session.incidents.positions(MAX_MARKERS))


class MapPage(QWidget):
    incident_opened = Signal(str)  # an incident id, from a click on its marker
    markers_shown = Signal(int)  # how many markers the map now draws
    layers_shown = Signal(int)  # how many layers the panel now lists
    layers_imported = Signal(int)  # how many files the last import took in

    def __init__(
        self,
        session: Session,
        tasks: TaskRunner,
        changes: ChangeRelay,
        *,
        choose_save_path: PathChooser | None = None,
        choose_layer_files: FilesChooser = ask_for_layer_files,
        ask_name: TextAsker | None = None,
        confirm: Confirmer | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._session = session
        self._changes = changes
        self._ask_name, self._confirm = ask_name, confirm
        self.overlays: MissionOverlays | None = None  # features and movements, when built
        self._tasks = tasks
        self._choose_save_path = choose_save_path
        self._choose_layer_files = choose_layer_files
        self._layer_generation = 0
        self.layers: MapLayers | None = None
        self.layer_panel: LayerPanel | None = None
        self._closed = False
        self._generation = 0
        self.view: MapView | None = None
        self.marker_count = 0
        self._sensitivity = Sensitivity.UNCLASSIFIED  # the highest of the markers shown

        self.title = page_title("Map", self)
        self.summary = muted_label("", self)
        self.go_to_box = QLineEdit(self)
        self.go_to_box.setPlaceholderText("Go to: 36S XA 12345 67890, 33.31, 44.36 or DMS")
        self.go_to_box.setAccessibleName("Go to")
        self.go_to_box.setClearButtonEnabled(True)
        self.go_to_box.returnPressed.connect(self.go_to)
        self.go_button = QPushButton("Go", self)  # no Alt key: Alt+G is the window's Go menu
        self.go_button.setToolTip("Show the place typed (Ctrl+G puts the cursor in the box)")
        self.go_button.clicked.connect(self.go_to)
        focus = QShortcut(QKeySequence("Ctrl+G"), self)
        focus.setContext(Qt.ShortcutContext.WindowShortcut)  # while shown, focus anywhere
        focus.activated.connect(self.go_to_box.setFocus)
        self.export_button = QPushButton("Export &PNG…", self)
        self.export_button.setToolTip("Save the view as it is now as a PNG image")
        self.export_button.clicked.connect(self.export_png)
        self.error = QLabel(self)
        self.error.setTextFormat(Qt.TextFormat.PlainText)
        self.error.setWordWrap(True)
        self.error.setStyleSheet(f"color: {ERROR.name()}; font-weight: bold;")
        self.go_to_box.textEdited.connect(self.error.hide)  # a refusal goes with new typing
        self.readout = QLabel(self)
        self.readout.setTextFormat(Qt.TextFormat.PlainText)
        self.readout.setAccessibleName("Cursor position")
        self.readout.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.result = QLabel(self)
        self.result.setTextFormat(Qt.TextFormat.PlainText)
        self.result.setStyleSheet(MUTED_STYLE)
        self.result.setWordWrap(True)
        self.result.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)

        heading = QHBoxLayout()
        heading.addWidget(self.title)
        heading.addWidget(self.summary, 1, Qt.AlignmentFlag.AlignBottom)
        tools = QHBoxLayout()
        tools.addWidget(self.go_to_box, 2)
        tools.addWidget(self.go_button)
        tools.addWidget(self.export_button)
        tools.addWidget(self.result, 1)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(16, 12, 16, 12)
        self._layout.setSpacing(6)
        self._layout.addLayout(heading)
        self._layout.addLayout(tools)
        self._layout.addWidget(self.error)
        self._map_slot = self._layout.count()
        self._layout.addWidget(self.readout)
        self.error.hide()

        self._scheduler = RefreshScheduler(changes, frozenset({"incident"}), self)
        self._scheduler.refresh_requested.connect(self.refresh)
        self._layer_scheduler = RefreshScheduler(changes, frozenset({"map_layer"}), self)
        self._layer_scheduler.refresh_requested.connect(self.refresh_layers)

    # -- the map, built when first shown ---------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self.view is None and not self._closed:
            self.build_map()

    def build_map(self) -> MapView:
        """Load pyqtgraph and the basemap and make the map (once)."""
        if self.view is not None:
            return self.view
        from missiondesk.services.basemap import world_basemap
        from missiondesk.ui.map.layer_panel import LayerPanel
        from missiondesk.ui.map.legend import MapLegend
        from missiondesk.ui.map.map_layers import MapLayers
        from missiondesk.ui.map.view import MapView

        view = MapView(self)
        view.set_basemap(world_basemap())
        view.marker_clicked.connect(self.incident_opened)
        view.cursor_moved.connect(self._on_cursor_moved)
        layers = MapLayers(view, self._session, self._tasks)
        panel = LayerPanel(self)
        panel.visibility_changed.connect(layers.set_visible)
        panel.move_requested.connect(layers.move)
        panel.import_requested.connect(self.import_layers)
        layers.changed.connect(lambda: panel.show_layers(layers.entries, layers.visible))
        side = QVBoxLayout()
        side.addWidget(panel, 1)
        side.addWidget(MapLegend(self))
        row = QHBoxLayout()
        row.addWidget(view, 1)
        row.addLayout(side)
        self._layout.insertLayout(self._map_slot, row, 1)
        self.view, self.layers, self.layer_panel = view, layers, panel
        self.overlays = self._make_overlays(view)
        self._layout.insertWidget(self._map_slot, self.overlays)
        view.fit_world()
        self.refresh()
        self.refresh_layers()
        self.overlays.refresh()
        return view

    def _make_overlays(self, view: MapView) -> MissionOverlays:
        from missiondesk.ui.map.mission_overlays import MissionOverlays

        return MissionOverlays(
            view,
            self._session,
            self._tasks,
            self._changes,
            ask_name=self._ask_name,
            confirm=self._confirm,
            parent=self,
        )

    def refresh(self) -> None:
        if self._closed or self.view is None:
            return
        self._generation += 1
        generation = self._generation
        session = self._session
        self._tasks.run(
            "read map markers",
            lambda: read_markers(session),
            lambda markers: self._on_markers(markers, generation),
            self._on_failed,
        )

    def _on_markers(self, markers: Markers, generation: int) -> None:
        if self._closed or self.view is None or generation != self._generation:
            return
        first = self.marker_count == 0 and not self.view.marker_ids
        self.view.set_markers(markers)
        self.marker_count = len(markers)
        self._sensitivity = markers.sensitivity
        if first and len(markers):
            self.view.show_box(
                float(markers.x.min()),
                float(markers.y.min()),
                float(markers.x.max()),
                float(markers.y.max()),
            )
        noun = "incident" if len(markers) == 1 else "incidents"
        self.summary.setText(
            f"{len(markers):,} {noun} on the map."
            if len(markers)
            else "No incident with a location yet."
        )
        self.markers_shown.emit(len(markers))

    def _on_failed(self, failure: Failure) -> None:
        if not self._closed:
            self.summary.setText(failure.message)

    # -- layers ----------------------------------------------------------------------------------

    def refresh_layers(self) -> None:
        if self._closed or self.layers is None:
            return
        from missiondesk.ui.map.map_layers import read_layers

        self._layer_generation += 1
        generation = self._layer_generation
        session, drawn = self._session, frozenset(self.layers.items)
        self._tasks.run(
            "read map layers",
            lambda: read_layers(session, drawn),
            lambda entries: self._on_layers(entries, generation),
            lambda failure: self._say(failure.message),
        )

    def _on_layers(self, entries: list[LayerEntry], generation: int) -> None:
        if self._closed or self.layers is None or generation != self._layer_generation:
            return
        self.layers.set_layers(entries)
        self.layers_shown.emit(len(entries))

    @Slot()
    def import_layers(self) -> None:
        """Import the files the officer chooses, each whole or not at all."""
        paths = [Path(p) for p in self._choose_layer_files(self)]
        if not paths or self._closed:
            return
        session = self._session
        level = (
            self.layer_panel.import_sensitivity()
            if self.layer_panel is not None
            else Sensitivity.UNCLASSIFIED
        )
        self._say(f"Importing {len(paths)} file{'s' if len(paths) > 1 else ''}…")
        self._tasks.run(
            "import map layers",
            lambda: _import_each(session, paths, level),
            self._on_imported,
            lambda failure: self._say(failure.message),
        )

    def _on_imported(self, outcome: tuple[list[LayerInfo], list[str]]) -> None:
        if self._closed:
            return
        imported, refusals = outcome
        said = []
        if imported:
            names = ", ".join(f"'{info.name}'" for info in imported)
            said.append(f"Imported {names}.")
        self.error.setText("\n".join(refusals))
        self.error.setVisible(bool(refusals))
        self._say(" ".join(said))
        self.layers_imported.emit(len(imported))

    # -- go to, readout, export ------------------------------------------------------------------

    @Slot()
    def go_to(self) -> None:
        text = self.go_to_box.text()
        if not text.strip():
            self.error.hide()  # nothing asked for: an old refusal no longer applies
            return
        try:
            place = parse_location(text)
        except MissionDeskError as exc:
            self.error.setText(exc.message)
            self.error.show()
            return
        self.error.hide()
        self.error.setText("")
        view = self.build_map()
        view.show_place(place.lat, place.lon, max(view.zoom, GO_TO_ZOOM))
        view.setFocus()

    @Slot(float, float)
    def _on_cursor_moved(self, lat: float, lon: float) -> None:
        from missiondesk.ui.map.readout import readout

        self.readout.setText(readout(lat, lon))

    @Slot()
    def export_png(self) -> None:
        if self._choose_save_path is None or self.view is None:
            return
        path = self._choose_save_path(self, "map.png")
        if not path:
            return
        data = self.view.png_bytes()
        target, audit = Path(path), self._session.audit
        count, level = self.marker_count, self._sensitivity
        if self.layers is not None:
            level = max(level, self.layers.shown_sensitivity(), key=lambda s: s.rank)
        if self.overlays is not None:
            level = max(level, self.overlays.shown_sensitivity(), key=lambda s: s.rank)
        self._tasks.run(
            "export map",
            lambda: write_map_png(audit, target, data, incidents=count, sensitivity=level),
            self._on_exported,
            lambda failure: self._say_failed(f"Not saved: {failure.message}"),
        )

    def _on_exported(self, written: WrittenMap) -> None:
        self.error.hide()  # an earlier failure no longer applies
        self._say(
            f"The map view was saved to {written.path}, marked {written.sensitivity.label} "
            "(the file is not encrypted)."
        )

    def _say(self, text: str) -> None:
        if not self._closed:
            self.result.setText(text)

    def _say_failed(self, text: str) -> None:
        """A failure, in the page's error line (red), not beside the buttons (grey)."""
        if not self._closed:
            self.result.setText("")
            self.error.setText(text)
            self.error.show()

    # -- lock ------------------------------------------------------------------------------------

    def clear(self) -> None:
        """On lock: no more reads, and no incident left on screen."""
        self._closed = True
        if self.layers is not None:
            self.layers.clear()
        if self.layer_panel is not None:
            self.layer_panel.show_layers([], {})
        if self.overlays is not None:
            self.overlays.clear()
        if self.view is not None:
            from missiondesk.ui.map.markers import Markers

            self.view.set_markers(Markers.empty())
        self.summary.setText("")
        self.readout.setText("")


def _import_each(
    session: Session, paths: list[Path], sensitivity: Sensitivity
) -> tuple[list[LayerInfo], list[str]]:
    """Import each file on its own (runs on the vault thread): what went in, what was refused."""
    imported, refusals = [], []
    for path in paths:
        try:
            imported.append(session.layers.import_file(path, sensitivity=sensitivity))
        except MissionDeskError as exc:
            refusals.append(exc.message)
    return imported, refusals
