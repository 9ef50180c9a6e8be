"""Mission overlays on the map: the officers' features (points, outposts, routes, areas,
no-go zones) and the active movements (routes and last check-in positions), with the drawing
toolbar, selection, Rename and Delete.

Features and movements are read on the vault thread through the TaskRunner and read again
when a ChangeSet touches them (one drawn here, or arriving from a peer); an answer older than
the latest request is dropped. A finished drawing is checked at once (a refusal says why,
in red), then named and stored as a `map_feature` record on the vault thread. A click on a
feature or a movement selects it and says what it is; a click on an incident marker is left
to the marker (it opens the incident).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QPointF, Qt, Signal, Slot
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from missiondesk.domain.errors import MissionDeskError
from missiondesk.domain.markings import Sensitivity
from missiondesk.domain.record_enums import MAX_FEATURE_NAME
from missiondesk.domain.records.mapping import FeatureKind
from missiondesk.domain.web_mercator import unproject
from missiondesk.services.map_features import FeatureInfo, Position, geometry_for
from missiondesk.services.session import Session
from missiondesk.ui.changes import ChangeRelay, RefreshScheduler
from missiondesk.ui.choosers import Confirmer, ask_text, ask_yes_no
from missiondesk.ui.map.drawing import DrawingTool
from missiondesk.ui.map.feature_layer import KIND_LABELS, FeaturesItem, Shape, hit, shape_of
from missiondesk.ui.map.movement_layer import POSITION_PREFIX, MovementsItem, Track, read_tracks
from missiondesk.ui.map.view import MapView
from missiondesk.ui.reflow import Reflowing
from missiondesk.ui.tasks import Failure, TaskRunner
from missiondesk.ui.theme import ERROR, MUTED_STYLE

TextAsker = Callable[[QWidget, str], "str | None"]  # (parent, question) -> text, None if cancelled

TOOLS = (  # kind, button text (with its Alt shortcut), what to do
    (FeatureKind.POINT, "P&oint", "click the place"),
    (FeatureKind.OUTPOST, "Ou&tpost", "click the place"),
    (FeatureKind.ROUTE, "&Route", "click each point"),
    (FeatureKind.AREA, "&Area", "click each corner"),
    (FeatureKind.NO_GO, "&No-go", "click each corner"),
)


class MissionOverlays(QWidget):
    """The drawing toolbar over the map; owns the feature and movement layers of one view."""

    features_shown = Signal(int)
    tracks_shown = Signal(int)
    feature_saved = Signal(str)  # the new feature's id
    selected = Signal(str)  # a feature or movement id ("" when nothing is)

    def __init__(
        self,
        view: MapView,
        session: Session,
        tasks: TaskRunner,
        changes: ChangeRelay,
        *,
        ask_name: TextAsker | None = None,
        confirm: Confirmer | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._view = view
        self._session = session
        self._tasks = tasks
        self._ask_name = ask_name or ask_text
        self._confirm = confirm or ask_yes_no
        self._closed = False
        self._generations = {"features": 0, "tracks": 0}
        self.features: dict[str, FeatureInfo] = {}
        self.shapes: list[Shape] = []
        self.tracks: list[Track] = []
        self.selection: str | None = None  # a feature id, a movement id or a position's

        self.layer = FeaturesItem()
        self.movements = MovementsItem()
        view.box.addItem(self.layer, ignoreBounds=True)
        view.box.addItem(self.movements, ignoreBounds=True)
        self.tool = DrawingTool(view)
        self.tool.finished.connect(self._on_drawn)
        self.tool.changed.connect(self._on_tool_changed)
        view.scene().sigMouseClicked.connect(self._on_clicked)

        self.buttons: dict[FeatureKind, QPushButton] = {}
        draw = QHBoxLayout()  # the tools, then the selection's actions; stacked when narrow
        draw.addWidget(QLabel("Draw:", self))
        for kind, text, _hint in TOOLS:
            button = QPushButton(text, self)
            button.setCheckable(True)
            button.setToolTip(f"Draw a {KIND_LABELS[kind].lower()} on the map")
            button.clicked.connect(lambda _checked=False, k=kind: self.start(k))
            self.buttons[kind] = button
            draw.addWidget(button)
        self.rename_button = QPushButton("Rename…", self)  # F2; Alt+M is the Message menu
        self.rename_button.setToolTip("Rename the selected feature (F2)")
        self.rename_button.clicked.connect(self.rename_selected)
        self.delete_button = QPushButton("&Delete…", self)
        self.delete_button.setToolTip("Delete the selected feature, for every laptop (Delete)")
        self.delete_button.clicked.connect(self.delete_selected)
        edit = QHBoxLayout()
        edit.addWidget(self.rename_button)
        edit.addWidget(self.delete_button)
        self.info = QLabel(self)
        self.info.setTextFormat(Qt.TextFormat.PlainText)
        self.info.setWordWrap(True)
        self.info.setAccessibleName("Map selection")
        self.info.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        edit.addWidget(self.info, 1)
        self.bar = Reflowing(self)
        self.bar.add_layout(draw)
        self.bar.add_layout(edit, 1)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.bar)
        for keys, slot in (
            (QKeySequence(Qt.Key.Key_Delete), self.delete_selected),
            (QKeySequence(Qt.Key.Key_F2), self.rename_selected),
            (QKeySequence(Qt.Key.Key_BracketRight), lambda: self.select_next(1)),
            (QKeySequence(Qt.Key.Key_BracketLeft), lambda: self.select_next(-1)),
        ):
            shortcut = QShortcut(keys, view)
            shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
            shortcut.activated.connect(slot)
        self._update_buttons()

        self._feature_scheduler = RefreshScheduler(changes, frozenset({"map_feature"}), self)
        self._feature_scheduler.refresh_requested.connect(self.refresh_features)
        self._track_scheduler = RefreshScheduler(
            changes, frozenset({"movement", "movement_checkin", "person"}), self
        )
        self._track_scheduler.refresh_requested.connect(self.refresh_tracks)

    # -- reads -----------------------------------------------------------------------------------

    def refresh(self) -> None:
        self.refresh_features()
        self.refresh_tracks()

    def _next(self, what: str) -> int:
        self._generations[what] += 1
        return self._generations[what]

    @Slot()
    def refresh_features(self) -> None:
        if self._closed:
            return
        generation, session = self._next("features"), self._session
        self._tasks.run(
            "read map features",
            session.features.list,
            lambda found: self._on_features(found, generation),
            self._on_failed,
        )

    def _on_features(self, found: list[FeatureInfo], generation: int) -> None:
        if self._closed or generation != self._generations["features"]:
            return
        self.features = {info.id: info for info in found}
        self.shapes = [shape_of(info) for info in found]
        self.layer.set_shapes(self.shapes)
        if self.selection is not None and self.selection in self.features:
            self._describe(self.selection)
        elif self.selection is not None and not self._is_track(self.selection):
            self.select(None)
        self.features_shown.emit(len(found))

    @Slot()
    def refresh_tracks(self) -> None:
        if self._closed:
            return
        generation, session = self._next("tracks"), self._session
        self._tasks.run(
            "read map movements",
            lambda: read_tracks(session),
            lambda found: self._on_tracks(found, generation),
            self._on_failed,
        )

    def _on_tracks(self, found: list[Track], generation: int) -> None:
        if self._closed or generation != self._generations["tracks"]:
            return
        self.tracks = found
        self.movements.set_tracks(found)
        if self.selection is not None and self._is_track(self.selection):
            self._describe(self.selection)
        self.tracks_shown.emit(len(found))

    def _on_failed(self, failure: Failure) -> None:
        self.say(failure.message, error=True)

    # -- drawing ---------------------------------------------------------------------------------

    def start(self, kind: FeatureKind) -> None:
        if self._closed:
            return
        self.tool.start(kind)

    @Slot()
    def _on_tool_changed(self) -> None:
        self._update_buttons()
        kind = self.tool.kind
        if kind is None:
            return
        hint = next(h for k, _t, h in TOOLS if k is kind)
        count = len(self.tool.draft.points)
        self.say(
            f"Drawing a {KIND_LABELS[kind].lower()}: {hint} (or Space at the centre), "
            f"Enter or double-click to finish, Backspace to undo a point, Esc to cancel. "
            f"{count} point{'s' if count != 1 else ''}."
        )

    def _on_drawn(self, kind: FeatureKind, positions: list[Position]) -> None:
        try:
            geometry_for(kind, positions)  # said now, before a name is asked for
        except MissionDeskError as exc:
            self.say(f"Not drawn: {exc.message}", error=True)
            return
        question = f"Name of the {KIND_LABELS[kind].lower()}:"
        name = self._ask_name(self, question)
        while name and len(name) > MAX_FEATURE_NAME:  # asked again: the drawing is kept
            name = self._ask_name(self, f"At most {MAX_FEATURE_NAME} characters. {question}")
        if not name:
            self.say("Not drawn: no name was given.")
            return
        session = self._session
        self.say(f"Saving '{name}'…")
        self._tasks.run(
            "create map feature",
            lambda: session.features.create(name, kind, positions),
            self._on_saved,
            lambda failure: self.say(f"Not drawn: {failure.message}", error=True),
        )

    def _on_saved(self, info: FeatureInfo) -> None:
        if self._closed:
            return
        self.say(f"{KIND_LABELS[info.kind]} '{info.name}' was saved; it goes to every laptop.")
        self.feature_saved.emit(info.id)

    # -- selection -------------------------------------------------------------------------------

    def _on_clicked(self, event: object) -> None:
        if self._closed or self.tool.active or getattr(event, "isAccepted", lambda: False)():
            return  # drawing, or the click was on an incident marker (it opens the incident)
        scene_pos = event.scenePos()  # type: ignore[attr-defined]
        at = QPointF(self._view.mapFromScene(scene_pos))
        self.select(self.hit(at))

    def hit(self, at: QPointF) -> str | None:
        """What a click at `at` (viewport pixels) is on: a feature over a movement."""
        view = self._view

        def to_screen(point: QPointF) -> QPointF:
            return QPointF(view.mapFromScene(view.box.mapViewToScene(point)))

        found = hit(self.shapes, to_screen, at)
        if found is not None:
            return found
        track_shapes = [shape for track in self.tracks for shape in track.shapes()]
        return hit(track_shapes, to_screen, at)

    def select(self, target: str | None) -> None:
        self.selection = target
        feature = target if target in self.features else None
        self.layer.select(feature)
        movement = target.removeprefix(POSITION_PREFIX) if target and not feature else None
        self.movements.select(movement)
        self._update_buttons()
        if target is None:
            self.say("")
        else:
            self._describe(target)
        self.selected.emit(target or "")

    def select_next(self, step: int) -> None:
        """Select the next (or previous) feature or movement and bring it into view: the
        keyboard's way to what a click selects."""
        targets = [(s.id, s.points[0]) for s in self.shapes]
        for track in self.tracks:
            where = track.last or (track.route[0][1] if track.route else None)
            if where is not None:
                targets.append((track.id, where))
        if not targets or self.tool.active:
            return
        ids = [t for t, _ in targets]
        current = self.selection.removeprefix(POSITION_PREFIX) if self.selection else None
        index = (ids.index(current) + step) % len(ids) if current in ids else 0
        if step < 0 and current not in ids:
            index = len(ids) - 1
        target, where = targets[index]
        if not self._on_screen(where):
            self._view.show_place(*unproject(where.x(), where.y()))
        self.select(target)

    def _on_screen(self, where: QPointF) -> bool:
        left, bottom, right, top = self._view.visible_box()
        return left <= where.x() <= right and bottom <= where.y() <= top

    def _is_track(self, target: str) -> bool:
        movement = target.removeprefix(POSITION_PREFIX)
        return any(t.id == movement for t in self.tracks)

    def _describe(self, target: str) -> None:
        info = self.features.get(target)
        if info is not None:
            where = info.positions()
            lat, lon = where[0]
            points = f"{len(where)} points" if len(where) > 1 else f"{lat:.5f}, {lon:.5f}"
            self.say(f"{KIND_LABELS[info.kind]} '{info.name}' ({points}). {info.feature.notes}")
            return
        movement = target.removeprefix(POSITION_PREFIX)
        for track in self.tracks:
            if track.id == movement:
                prefix = f"Last position of {track.callsigns}. " if target != movement else ""
                self.say(prefix + track.description)
                return

    @Slot()
    def rename_selected(self) -> None:
        info = self.features.get(self.selection or "")
        if info is None or self._closed or self.tool.active:
            return
        name = self._ask_name(self, f"New name of '{info.name}':")
        if not name:
            return
        session, feature_id = self._session, info.id
        self._tasks.run(
            "rename map feature",
            lambda: session.features.rename(feature_id, name),
            lambda renamed: self.say(f"Renamed to '{renamed.name}'."),
            lambda failure: self.say(failure.message, error=True),
        )

    @Slot()
    def delete_selected(self) -> None:
        info = self.features.get(self.selection or "")
        if info is None or self._closed or self.tool.active:
            return
        kind = KIND_LABELS[info.kind].lower()
        if not self._confirm(self, f"Delete the {kind} '{info.name}' for every laptop?"):
            return
        session, feature_id = self._session, info.id
        self._tasks.run(
            "delete map feature",
            lambda: session.features.delete(feature_id),
            lambda gone: self.say(f"'{gone.name}' was deleted."),
            lambda failure: self.say(failure.message, error=True),
        )

    def shown_sensitivity(self) -> Sensitivity:
        """The highest sensitivity of what is drawn (movements; features carry none)."""
        levels = [track.sensitivity for track in self.tracks]
        return max(levels, key=lambda s: s.rank, default=Sensitivity.UNCLASSIFIED)

    # -- the rest --------------------------------------------------------------------------------

    def _update_buttons(self) -> None:
        for kind, button in self.buttons.items():
            button.setChecked(self.tool.kind is kind)
        chosen = self.selection in self.features
        self.rename_button.setEnabled(chosen)
        self.delete_button.setEnabled(chosen)

    def say(self, text: str, *, error: bool = False) -> None:
        if self._closed:
            return
        self.info.setStyleSheet(f"color: {ERROR.name()};" if error else MUTED_STYLE)
        self.info.setText(text)

    def clear(self) -> None:
        """On lock: no more reads, nothing left on screen."""
        if self.tool.active:
            self.tool.cancel()
        self.select(None)
        self._closed = True
        self.features, self.shapes, self.tracks = {}, [], []
        self.layer.set_shapes([])
        self.movements.set_tracks([])
        self.info.setText("")
