"""Map layers in a real vault: import each kind, list, read tiles and shapes, remove; bad files
refused naming the file and the problem, with nothing left behind."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from missiondesk.domain.errors import InvalidInput
from missiondesk.domain.overlay_formats import read_overlay
from missiondesk.domain.records.layers import LayerKind
from missiondesk.services.session import Session
from tests.layer_files import (
    BROKEN_KML,
    EMPTY_GPX,
    ENTITY_KML,
    GEOJSON,
    GPX,
    KML,
    TILES,
    all_overlays,
    make_mbtiles,
    solid_png,
    write,
)


def _counts(session: Session) -> tuple[int, int, int]:
    conn = session.vault.conn
    return (
        conn.execute("SELECT count(*) FROM ops").fetchone()[0],
        conn.execute("SELECT count(*) FROM entities WHERE type = 'map_layer'").fetchone()[0],
        conn.execute("SELECT count(*) FROM layer_tiles").fetchone()[0],
    )


def test_an_mbtiles_package_is_stored_with_xyz_rows(session: Session, tmp_path: Path) -> None:
    info = session.layers.import_file(make_mbtiles(tmp_path / "sector.mbtiles"))
    layer = info.layer
    assert layer.kind is LayerKind.TILES and layer.name == "Sector tiles"
    assert (layer.min_zoom, layer.max_zoom, layer.tiles, layer.tile_format) == (2, 3, 5, "png")
    assert layer.origin == session.device_id and info.tiles_here == 5
    for (z, x, y), rgb in TILES.items():
        assert session.layers.tile(info.id, z, x, y) == solid_png(rgb)
    # The TMS row is not where the tile is asked for.
    assert session.layers.tile(info.id, 2, 2, 0) is None
    assert [i.id for i in session.layers.layers()] == [info.id]


def test_each_overlay_kind_is_read(session: Session, tmp_path: Path) -> None:
    names = []
    for path in all_overlays(tmp_path):
        info = session.layers.import_file(path)
        shapes = session.layers.shapes(info.id)
        assert info.layer.kind is LayerKind.OVERLAY and info.layer.features == len(shapes) == 3
        assert {s.type for s in shapes} == {"Point", "LineString"} | (
            set() if path.suffix == ".gpx" else {"Polygon"}
        )
        names.append(info.name)
    assert names == ["sector", "sites", "sites", "patrol"]
    assert [i.layer.order for i in session.layers.layers()] == [0, 1, 2, 3]


def test_a_name_can_be_given_and_removal_drops_the_tiles(session: Session, tmp_path: Path) -> None:
    info = session.layers.import_file(make_mbtiles(tmp_path / "a.mbtiles"), name="North")
    assert session.layers.find("north").id == info.id
    assert session.layers.remove(info.id[:12]).id == info.id
    assert session.layers.layers() == [] and _counts(session)[2] == 0
    with pytest.raises(InvalidInput, match="no map layer 'North'"):
        session.layers.remove("North")


def _refused(session: Session, path: Path, match: str) -> None:
    before = _counts(session)
    with pytest.raises(InvalidInput, match=match) as caught:
        session.layers.import_file(path)
    assert path.name in str(caught.value) and "Nothing was added" in str(caught.value)
    assert _counts(session) == before


def test_bad_packages_are_refused_whole(session: Session, tmp_path: Path) -> None:
    _refused(session, write(tmp_path / "notes.mbtiles", "hello"), "not an SQLite file")
    damaged = make_mbtiles(tmp_path / "damaged.mbtiles")
    raw = bytearray(damaged.read_bytes())
    raw[100:] = b"\x00" * (len(raw) - 100)
    damaged.write_bytes(bytes(raw))
    _refused(session, damaged, "damaged|not an MBTiles")
    # One bad tile after good ones: the good ones are not kept either.
    bad_tile = make_mbtiles(tmp_path / "gif.mbtiles", data={(3, 5, 5): b"GIF89a..."})
    _refused(session, bad_tile, r"tile z=3 x=5 row=2: it is neither PNG nor JPEG")
    _refused(session, make_mbtiles(tmp_path / "empty.mbtiles", {}), "holds no tiles")
    _refused(session, make_mbtiles(tmp_path / "pbf.mbtiles", fmt="pbf"), "'pbf'")


def test_bad_overlays_are_refused(session: Session, tmp_path: Path) -> None:
    _refused(session, write(tmp_path / "broken.kml", BROKEN_KML), "placemark 1 \\(Team site\\)")
    _refused(session, write(tmp_path / "empty.gpx", EMPTY_GPX), "no waypoints, routes or tracks")
    _refused(session, write(tmp_path / "x.kml", ENTITY_KML), "DOCTYPE")
    _refused(session, write(tmp_path / "cut.kml", KML[:200]), "not well-formed XML \\(line")
    _refused(session, write(tmp_path / "bad.geojson", GEOJSON[:-3]), "not JSON \\(line")
    far = GEOJSON.replace("[30.5, 10.25]", "[300.5, 10.25]")
    _refused(session, write(tmp_path / "far.geojson", far), "feature 1: longitude 300.5")
    one = GPX.replace('<rtept lat="10.2" lon="30.4"/>', "").replace(
        'lat="10" lon="30"/></rte', 'lat="x" lon="30"/></rte'
    )
    _refused(session, write(tmp_path / "r.gpx", one), "route 1: its lat or lon")
    _refused(session, write(tmp_path / "z.kmz", "not a zip"), "not a KMZ")
    with zipfile.ZipFile(tmp_path / "nokml.kmz", "w") as archive:
        archive.writestr("a.txt", "x")
    _refused(session, tmp_path / "nokml.kmz", "holds no .kml")
    with pytest.raises(InvalidInput, match=r"notes\.txt was not imported: MissionDesk imports"):
        session.layers.import_file(write(tmp_path / "notes.txt", "x"))


def test_a_one_point_line_in_kml_is_broken_geometry() -> None:
    kml = KML.replace("30,10 30.5,10.5 31,10.7", "30,10")
    with pytest.raises(ValueError, match="placemark 2 \\(Patrol\\): a line needs at least 2"):
        read_overlay("kml", kml.encode())


def test_entities_are_refused_in_any_encoding_and_deep_nesting_is_refused() -> None:
    with pytest.raises(ValueError, match="DOCTYPE or entities"):
        read_overlay("kml", ENTITY_KML.encode("utf-16"))
    with pytest.raises(ValueError, match="nested too deeply"):
        read_overlay("geojson", b"[" * 100_000)
    deep = "<MultiGeometry>" * 3000 + "</MultiGeometry>" * 3000
    kml = f"<kml><Placemark>{deep}</Placemark></kml>"
    with pytest.raises(ValueError, match="nested too deeply"):
        read_overlay("kml", kml.encode())


def test_a_vault_of_schema_9_gains_the_tile_table(tmp_path: Path) -> None:
    from missiondesk.services.vault_access import create_vault, unlock_vault
    from tests.conftest import FAST_KDF, PASSPHRASE

    path = tmp_path / "v9"
    old = create_vault(path, PASSPHRASE, name="Anna", callsign="A-1", kdf=FAST_KDF, schema_target=9)
    old.close()
    again = unlock_vault(path, PASSPHRASE)
    try:
        assert again.vault.schema_version == 10
        info = again.layers.import_file(make_mbtiles(tmp_path / "a.mbtiles"))
        assert again.layers.tile(info.id, 2, 2, 1) == solid_png(TILES[(2, 2, 1)])
    finally:
        again.close()


def test_a_layer_syncs_overlays_with_their_shapes_and_packages_without_tiles(
    session: Session, make_session, tmp_path: Path
) -> None:
    from tests.opfactory import share

    overlay = session.layers.import_file(all_overlays(tmp_path)[3])  # the GPX
    package = session.layers.import_file(make_mbtiles(tmp_path / "a.mbtiles"))
    other = make_session()
    share(session, other)
    there = {info.id: info for info in other.layers.layers()}
    assert set(there) == {overlay.id, package.id}
    assert other.layers.shapes(overlay.id) == session.layers.shapes(overlay.id)
    assert there[overlay.id].has_content
    assert there[package.id].layer.tiles == 5 and there[package.id].tiles_here == 0
    assert (
        not there[package.id].has_content and there[package.id].as_json()["drawable_here"] is False
    )
    assert other.layers.tile(package.id, 2, 2, 1) is None
    # removed there, it is gone here once the delete arrives; the tiles here go with it
    other.layers.remove(package.id)
    share(other, session)
    assert [i.id for i in session.layers.layers()] == [overlay.id]
    assert _counts(session)[2] == 0


def test_a_layer_is_found_by_its_name(session: Session, tmp_path: Path) -> None:
    session.layers.import_file(write(tmp_path / "patrol.gpx", GPX), name="Night patrol")
    hits = session.search.search("patrol")
    assert [(h.type, h.title) for h in hits] == [("map_layer", "Night patrol")]
    route = GPX.replace('lat="10" lon="30"', 'lat="10.01" lon="30"')  # another route
    blank = session.layers.import_file(write(tmp_path / "route-7.gpx", route), name="   ")
    assert blank.layer.name == "route-7"  # a blank name is no name: the file's


def test_the_same_shapes_twice_are_refused_naming_the_layer_they_are(
    session: Session, tmp_path: Path
) -> None:
    """Imported again (the same file, or a copy by another name): refused, so the map does not
    draw everything twice; once the layer is removed, the file imports again."""
    first = session.layers.import_file(write(tmp_path / "patrol.gpx", GPX), name="Night patrol")
    _refused(session, write(tmp_path / "copy.gpx", GPX), "already the layer 'Night patrol'")
    session.layers.remove(first.id)
    assert session.layers.import_file(tmp_path / "copy.gpx").name == "copy"


def test_a_package_whose_tiles_are_a_view_and_rows_xyz(session: Session, tmp_path: Path) -> None:
    import sqlite3

    path = tmp_path / "tilemill.mbtiles"
    conn = sqlite3.connect(path)
    conn.executescript(
        """CREATE TABLE metadata (name TEXT, value TEXT);
        CREATE TABLE map (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, id TEXT);
        CREATE TABLE images (tile_id TEXT, tile_data BLOB);
        CREATE VIEW tiles AS SELECT zoom_level, tile_column, tile_row, tile_data
            FROM map JOIN images ON map.id = images.tile_id;"""
    )
    conn.executemany("INSERT INTO metadata VALUES (?, ?)", [("format", "png"), ("scheme", "xyz")])
    conn.execute("INSERT INTO map VALUES (1, 1, 0, 'a')")
    conn.execute("INSERT INTO images VALUES ('a', ?)", (solid_png((1, 2, 3)),))
    conn.commit()
    conn.close()
    info = session.layers.import_file(path)
    assert info.name == "tilemill" and info.layer.tiles == 1
    assert session.layers.tile(info.id, 1, 1, 0) == solid_png((1, 2, 3))  # not flipped
