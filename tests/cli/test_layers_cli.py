"""`layer import | list | remove` through real subprocesses: each kind imported, listed as
JSON, removed; bad files refused with one line naming the file, exit 4, nothing added."""

from __future__ import annotations

import json

import pytest

from tests.cli.test_cli import run
from tests.layer_files import BROKEN_KML, EMPTY_GPX, all_overlays, make_mbtiles, write

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def vault(tmp_path_factory):
    path = tmp_path_factory.mktemp("layers") / "vault"
    assert run(path, "init", "--name", "Anna Berg", "--callsign", "ALPHA-1").returncode == 0
    return path


def listed(vault) -> list[dict]:
    done = run(vault, "layer", "list", "--json")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_import_list_and_remove_each_kind(vault, tmp_path):
    package = make_mbtiles(tmp_path / "sector.mbtiles")
    done = run(vault, "layer", "import", str(package), "--name", "Sector North")
    assert done.returncode == 0, done.stderr
    assert "'Sector North' (5 PNG tiles, zoom 2-3; the tiles stay in this vault)" in done.stdout
    for path in all_overlays(tmp_path):
        done = run(vault, "layer", "import", str(path), "--sensitivity", "confidential")
        assert done.returncode == 0, done.stderr
        assert f"Imported {path.name} as the layer '{path.stem}' (3 features)" in done.stdout
    layers = listed(vault)
    assert [(x["name"], x["format"], x["order"]) for x in layers] == [
        ("Sector North", "mbtiles", 0),
        ("sector", "geojson", 1),
        ("sites", "kml", 2),
        ("sites", "kmz", 3),
        ("patrol", "gpx", 4),
    ]
    assert layers[0]["tiles_here"] == 5 and layers[0]["drawable_here"]
    assert layers[1]["sensitivity"] == "confidential" and layers[1]["features"] == 3
    text = run(vault, "layer", "list")
    assert text.returncode == 0 and "Sector North  [mbtiles, 5 tiles z2-3, shown" in text.stdout
    ambiguous = run(vault, "layer", "remove", "sites")
    assert ambiguous.returncode == 4 and "2 map layers are called 'sites'" in ambiguous.stderr
    done = run(vault, "layer", "remove", "Sector North")
    assert done.returncode == 0 and f"({layers[0]['id']})" in done.stdout
    assert [x["name"] for x in listed(vault)] == ["sector", "sites", "sites", "patrol"]
    for layer in listed(vault):
        assert run(vault, "layer", "remove", layer["id"]).returncode == 0
    assert run(vault, "layer", "list").stdout.strip() == (
        "No map layers; `layer import FILE` adds one."
    )


@pytest.mark.parametrize(
    ("name", "content", "problem"),
    [
        ("notes.mbtiles", "just text", "it is not an MBTiles package (not an SQLite file)"),
        ("broken.kml", BROKEN_KML, "placemark 1 (Team site): 'thirty,ten' is not lon,lat[,alt]"),
        ("empty.gpx", EMPTY_GPX, "it has no waypoints, routes or tracks"),
    ],
)
def test_bad_files_are_refused_naming_the_file(vault, tmp_path, name, content, problem):
    path = write(tmp_path / name, content)
    done = run(vault, "layer", "import", str(path))
    assert done.returncode == 4
    assert f"{name} was not imported: {problem}. Nothing was added to the vault." in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    assert listed(vault) == []


def test_a_file_of_another_kind_is_refused_before_the_passphrase(tmp_path):
    path = write(tmp_path / "photo.png", "x")
    done = run(tmp_path / "no-vault", "layer", "import", str(path), passphrase=None)
    assert done.returncode == 4 and "MissionDesk imports .mbtiles, .geojson" in done.stderr
    missing = run(tmp_path / "no-vault", "layer", "remove", "x", passphrase=None)
    assert missing.returncode != 0


def test_map_render_draws_the_visible_layers(tmp_path):
    from PySide6.QtGui import QColor, QImage

    from missiondesk.domain.web_mercator import Tile, tile_bounds
    from missiondesk.ui.map.overlay_layer import COLOURS
    from tests.cli.test_map_cli import pixel
    from tests.layer_files import TILES, write

    path = tmp_path / "vault"
    assert run(path, "init", "--name", "Anna Berg", "--callsign", "ALPHA-1").returncode == 0
    assert run(path, "layer", "import", str(make_mbtiles(tmp_path / "s.mbtiles"))).returncode == 0
    dot = write(tmp_path / "dot.geojson", '{"type": "Point", "coordinates": [-60, -40]}')
    assert run(path, "layer", "import", str(dot), "--sensitivity", "confidential").returncode == 0
    out = tmp_path / "map.png"
    centre, zoom, size = (0.0, 0.0), 2.0, (800, 600)
    done = run(path, "map", "render", "--out", str(out), "--center=0,0", "--zoom", "2",
               "--size", "800x600")  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "marked CONFIDENTIAL" in done.stdout  # the overlay's sensitivity
    image = QImage(str(out))
    for (z, x, y), rgb in TILES.items():
        if z == 2:
            box = tile_bounds(Tile(z, x, y))
            lat, lon = box.north * 0.4 + box.south * 0.6, (box.west + box.east) / 2
            colour = image.pixelColor(*pixel(lat, lon, centre, zoom, size))
            assert all(abs(a - b) <= 14 for a, b in zip(colour.getRgb()[:3], rgb, strict=True))
    dot_colour = image.pixelColor(*pixel(-40, -60, centre, zoom, size))
    want = QColor(COLOURS[1]).getRgb()[:3]  # the second layer's colour
    assert all(abs(a - b) <= 40 for a, b in zip(dot_colour.getRgb()[:3], want, strict=True))
