"""The layer panel beside the map: every layer with a check box to show or hide it, Up and
Down to change which is drawn over which (top of the list: drawn on top), and Import… to
bring in an MBTiles, GeoJSON, KML/KMZ or GPX file, marked with the sensitivity chosen beside
it."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from missiondesk.domain.markings import Sensitivity
from missiondesk.ui.map.map_layers import LayerEntry
from missiondesk.ui.theme import muted_label

ID_ROLE = Qt.ItemDataRole.UserRole


def _describe(entry: LayerEntry) -> str:
    layer = entry.info.layer
    marking = (
        "" if layer.sensitivity is Sensitivity.UNCLASSIFIED else f", {layer.sensitivity.label}"
    )
    if entry.problem:
        return f"{layer.name} ({entry.problem}{marking})"
    if layer.kind.value == "tiles":
        return f"{layer.name} (tiles, zoom {layer.min_zoom}-{layer.max_zoom}{marking})"
    noun = "feature" if layer.features == 1 else "features"
    return f"{layer.name} ({layer.format.upper()}, {layer.features} {noun}{marking})"


class LayerPanel(QWidget):
    visibility_changed = Signal(str, bool)  # layer id, shown
    move_requested = Signal(str, int)  # layer id, +1 up (on top) or -1 down
    import_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.heading = QLabel("Layers", self)
        self.heading.setStyleSheet("font-weight: bold;")
        self.list = QListWidget(self)
        self.list.setAccessibleName("Map layers")
        self.list.itemChanged.connect(self._on_item_changed)
        self.list.currentRowChanged.connect(self._update_buttons)
        self.empty = muted_label(
            "No layers yet: import an MBTiles, GeoJSON, KML or GPX file.", self
        )
        self.empty.setWordWrap(True)
        self.up_button = QPushButton("&Up", self)
        self.up_button.setToolTip("Draw the selected layer over the one above it")
        self.up_button.clicked.connect(lambda: self._move(+1))
        self.down_button = QPushButton("Do&wn", self)
        self.down_button.setToolTip("Draw the selected layer under the one below it")
        self.down_button.clicked.connect(lambda: self._move(-1))
        self.import_button = QPushButton("&Import…", self)
        self.import_button.setToolTip("Import an MBTiles, GeoJSON, KML, KMZ or GPX file")
        self.import_button.clicked.connect(self.import_requested)
        self.sensitivity_box = QComboBox(self)
        self.sensitivity_box.setAccessibleName("Sensitivity of imported layers")
        self.sensitivity_box.setToolTip("The sensitivity the next import is marked with")
        for level in Sensitivity:
            self.sensitivity_box.addItem(level.label.title(), level)
        buttons = QHBoxLayout()
        buttons.addWidget(self.up_button)
        buttons.addWidget(self.down_button)
        buttons.addStretch(1)
        buttons.addWidget(self.import_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.heading)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.empty)
        layout.addLayout(buttons)
        marking = QHBoxLayout()
        marking.addWidget(QLabel("Import as:", self))
        marking.addWidget(self.sensitivity_box, 1)
        layout.addLayout(marking)
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance("M" * 18))
        self._filling = False
        self._update_buttons()

    def show_layers(self, entries: list[LayerEntry], visible: dict[str, bool]) -> None:
        """Fill the list top to bottom (the reverse of drawing order), keeping the selection."""
        current = self.current_id()
        self._filling = True
        try:
            self.list.clear()
            for entry in reversed(entries):
                item = QListWidgetItem(_describe(entry))
                item.setToolTip(_describe(entry))  # the whole line, where the panel cuts it
                item.setData(ID_ROLE, entry.info.id)
                if entry.problem:
                    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsUserCheckable)
                    item.setToolTip(entry.problem)
                else:
                    item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                    shown = visible.get(entry.info.id, entry.info.layer.visible)
                    item.setCheckState(Qt.CheckState.Checked if shown else Qt.CheckState.Unchecked)
                self.list.addItem(item)
                if entry.info.id == current:
                    self.list.setCurrentItem(item)
        finally:
            self._filling = False
        self.empty.setVisible(not entries)
        self._update_buttons()

    def import_sensitivity(self) -> Sensitivity:
        return Sensitivity(self.sensitivity_box.currentData())

    def ids(self) -> list[str]:
        """Top to bottom, as listed."""
        return [str(self.list.item(i).data(ID_ROLE)) for i in range(self.list.count())]

    def item_for(self, layer_id: str) -> QListWidgetItem | None:
        for i in range(self.list.count()):
            item = self.list.item(i)
            if item.data(ID_ROLE) == layer_id:
                return item
        return None

    def current_id(self) -> str | None:
        item = self.list.currentItem()
        return None if item is None else str(item.data(ID_ROLE))

    @Slot(QListWidgetItem)
    def _on_item_changed(self, item: QListWidgetItem) -> None:
        if self._filling or not item.flags() & Qt.ItemFlag.ItemIsUserCheckable:
            return
        shown = item.checkState() == Qt.CheckState.Checked
        self.visibility_changed.emit(str(item.data(ID_ROLE)), shown)

    def _move(self, step: int) -> None:
        layer_id = self.current_id()
        if layer_id is not None:
            self.move_requested.emit(layer_id, step)

    @Slot()
    def _update_buttons(self) -> None:
        row = self.list.currentRow()
        self.up_button.setEnabled(row > 0)
        self.down_button.setEnabled(0 <= row < self.list.count() - 1)
