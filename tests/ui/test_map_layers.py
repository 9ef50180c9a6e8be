"""Map layers on real widgets over a real vault: an MBTiles package made in the test drawn
with each tile where it belongs (the TMS rows flipped), at the zoom that fits the view, tiles
fetched on the vault thread into the memory cache; each overlay kind imported from the panel,
drawn, hidden and shown with its check box, reordered; a bad file refused with its message and
nothing added; everything gone at lock."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QApplication

from missiondesk.domain.web_mercator import Tile, tile_bounds
from missiondesk.services.session import Session
from missiondesk.ui.changes import ChangeRelay
from missiondesk.ui.map.overlay_layer import OverlayItem
from missiondesk.ui.map.page import MapPage
from missiondesk.ui.map.tile_layer import TileLayerItem
from missiondesk.ui.tasks import TaskRunner
from tests.layer_files import BROKEN_KML, TILES, all_overlays, make_mbtiles, write

from .conftest import on_vault


@pytest.fixture
def page(qtbot, open_session: Session, tasks: TaskRunner) -> Iterator[MapPage]:
    relay = ChangeRelay(open_session.changes)
    chosen: list[str] = []
    page = MapPage(open_session, tasks, relay, choose_layer_files=lambda _parent: list(chosen))
    page.chosen = chosen  # type: ignore[attr-defined]  # what the file chooser answers
    qtbot.addWidget(page)
    page.resize(1100, 700)
    yield page
    page.clear()
    relay.stop()


def shown(qtbot, page: MapPage, layers: int) -> None:
    page.show()
    qtbot.waitUntil(
        lambda: page.layers is not None and len(page.layers.entries) == layers, timeout=10_000
    )


def near(colour: QColor, rgb: tuple[int, int, int], tolerance: int = 14) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(colour.getRgb()[:3], rgb, strict=True))


def tile_centre(z: int, x: int, y: int) -> tuple[float, float]:
    box = tile_bounds(Tile(z, x, y))
    # the middle in projected space is not the middle in latitude; a point well inside will do
    return (box.north * 0.4 + box.south * 0.6, (box.west + box.east) / 2)


def pixel(page: MapPage, image: QImage, lat: float, lon: float) -> QColor:
    assert page.view is not None
    point = page.view.screen_point(lat, lon)
    ratio = image.devicePixelRatio()
    return image.pixelColor(round(point.x() * ratio), round(point.y() * ratio))


def grab(qtbot, page: MapPage, z: int) -> QImage:
    assert page.layers is not None and page.view is not None
    layers = page.layers
    items = [i for i in layers.items.values() if isinstance(i, TileLayerItem)]
    layers.fetch_tiles()  # what the view's change asks for after 30 ms
    qtbot.waitUntil(lambda: not layers.tiles_pending(), timeout=10_000)
    qtbot.waitUntil(lambda: all(not i.missing() for i in items), timeout=10_000)
    QApplication.processEvents()
    image = page.view.grab().toImage()
    assert items and all({k[1] for k in i.drawn} == {z} for i in items)
    return image


def test_mbtiles_tiles_are_drawn_where_they_belong(qtbot, page, open_session, tasks, tmp_path):
    package = make_mbtiles(tmp_path / "sector.mbtiles")
    on_vault(tasks, lambda: open_session.layers.import_file(package))
    shown(qtbot, page, 1)
    view = page.view
    assert view is not None
    view.show_place(0.0, 0.0, 2.3)  # z=2 fits
    image = grab(qtbot, page, 2)
    for (z, x, y), rgb in TILES.items():
        if z == 2:
            colour = pixel(page, image, *tile_centre(z, x, y))
            assert near(colour, rgb), ((z, x, y), colour.getRgb())
    # where the package has no tile, the basemap shows: the south-west tile is not blue or red
    assert not near(pixel(page, image, *tile_centre(2, 1, 2)), TILES[(2, 1, 1)])
    view.show_place(10.0, 20.0, 3.1)  # z=3 fits: the package's other zoom
    image = grab(qtbot, page, 3)
    assert near(pixel(page, image, *tile_centre(3, 4, 3)), TILES[(3, 4, 3)])
    assert near(pixel(page, image, *tile_centre(3, 4, 4)), TILES[(3, 4, 4)])
    assert page.layers is not None and len(page.layers.cache) >= 5
    view.show_place(0.0, 0.0, 6.0)  # beyond the package: its top zoom, drawn larger
    image = grab(qtbot, page, 3)
    assert near(pixel(page, image, 2.0, 2.0), TILES[(3, 4, 3)])


def test_each_overlay_kind_imported_from_the_panel_and_toggled(qtbot, page, tmp_path):
    shown(qtbot, page, 0)
    panel, layers, view = page.layer_panel, page.layers, page.view
    assert panel is not None and layers is not None and view is not None
    qtbot.waitUntil(lambda: panel.empty.isVisibleTo(page), timeout=10_000)
    page.chosen[:] = [str(p) for p in all_overlays(tmp_path)]
    panel.sensitivity_box.setCurrentIndex(1)
    with qtbot.waitSignal(page.layers_imported, timeout=10_000) as imported:
        panel.import_button.click()
    assert imported.args == [4]
    shown(qtbot, page, 4)
    assert "Imported 'sector', 'sites', 'sites', 'patrol'." in page.result.text()
    assert panel.list.count() == 4 and not panel.empty.isVisibleTo(page)
    assert {e.info.layer.sensitivity.value for e in layers.entries} == {"confidential"}
    assert layers.shown_sensitivity().value == "confidential"
    ids = panel.ids()  # top to bottom: the last imported on top
    assert [layers.entries[i].info.id for i in (3, 2, 1, 0)] == ids
    assert all(
        isinstance(layers.items[i], OverlayItem) and layers.items[i].isVisible() for i in ids
    )
    # the GeoJSON's point is drawn in its layer's colour; hidden, it is not
    geojson = layers.entries[0].info.id
    item = layers.items[geojson]
    for other in ids[:3]:
        panel.item_for(other).setCheckState(Qt.CheckState.Unchecked)
    view.show_place(10.25, 30.5, 9.0)
    QApplication.processEvents()
    image = view.grab().toImage()
    assert near(pixel(page, image, 10.25, 30.5), item.colour.getRgb()[:3], 40)
    panel.item_for(geojson).setCheckState(Qt.CheckState.Unchecked)
    assert not item.isVisible() and layers.visible[geojson] is False
    QApplication.processEvents()
    image = view.grab().toImage()
    assert not near(pixel(page, image, 10.25, 30.5), item.colour.getRgb()[:3], 40)
    panel.item_for(geojson).setCheckState(Qt.CheckState.Checked)
    assert item.isVisible()
    # Up draws the bottom layer on top
    panel.list.setCurrentRow(3)
    assert panel.up_button.isEnabled() and not panel.down_button.isEnabled()
    panel.up_button.click()
    assert panel.ids()[2] == geojson and layers.entries[1].info.id == geojson
    assert item.zValue() > layers.items[layers.entries[0].info.id].zValue()


def test_a_bad_file_is_refused_with_its_message(qtbot, page, tmp_path):
    shown(qtbot, page, 0)
    panel = page.layer_panel
    assert panel is not None
    good = make_mbtiles(tmp_path / "sector.mbtiles")
    page.chosen[:] = [str(write(tmp_path / "broken.kml", BROKEN_KML)), str(good)]
    with qtbot.waitSignal(page.layers_imported, timeout=10_000):
        panel.import_button.click()
    assert page.error.isVisibleTo(page)
    assert "broken.kml was not imported: placemark 1 (Team site)" in page.error.text()
    assert "Nothing was added" in page.error.text()
    shown(qtbot, page, 1)  # the good file went in, alone
    assert panel.list.count() == 1 and "Sector tiles (tiles, zoom 2-3)" in panel.list.item(0).text()


def test_lock_drops_the_layers_and_the_tiles(qtbot, page, open_session, tasks, tmp_path):
    package = make_mbtiles(tmp_path / "sector.mbtiles")
    on_vault(tasks, lambda: open_session.layers.import_file(package))
    shown(qtbot, page, 1)
    assert page.view is not None and page.layers is not None
    page.view.show_place(0.0, 0.0, 2.3)
    grab(qtbot, page, 2)
    assert len(page.layers.cache)
    page.clear()
    assert not page.layers.items and not len(page.layers.cache)
    assert page.layer_panel is not None and page.layer_panel.list.count() == 0


def test_a_removed_layer_leaves_the_map(qtbot, page, open_session, tasks, tmp_path: Path):
    path = all_overlays(tmp_path)[0]
    info = on_vault(tasks, lambda: open_session.layers.import_file(path))
    shown(qtbot, page, 1)
    on_vault(tasks, lambda: open_session.layers.remove(info.id))
    shown(qtbot, page, 0)
    assert page.layers is not None and not page.layers.items


def test_jpeg_tiles_are_drawn_too(qtbot, page, open_session, tasks, tmp_path):
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice

    image = QImage(256, 256, QImage.Format.Format_RGB32)
    image.fill(QColor(20, 120, 220))
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "JPEG", 95)
    package = make_mbtiles(
        tmp_path / "photo.mbtiles", {}, fmt="jpg", data={(2, 2, 1): bytes(data.data())}
    )
    on_vault(tasks, lambda: open_session.layers.import_file(package))
    shown(qtbot, page, 1)
    assert page.view is not None
    page.view.show_place(0.0, 0.0, 2.0)
    grabbed = grab(qtbot, page, 2)
    assert near(pixel(page, grabbed, *tile_centre(2, 2, 1)), (20, 120, 220))
