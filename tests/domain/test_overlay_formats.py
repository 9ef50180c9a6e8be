"""Overlay files read into shapes: GeoJSON's geometry types, KML's placemarks in any
namespace with holes and MultiGeometry, GPX waypoints, routes and tracks; the checks."""

from __future__ import annotations

import pytest

from missiondesk.domain.overlay_formats import (
    read_overlay,
    shapes_from_json,
    shapes_to_json,
)
from missiondesk.domain.overlay_geometry import (
    Shape,
    area_shape,
    bounds_of,
    line_shape,
    position,
)


def test_geojson_multi_geometries_and_collections_become_single_shapes() -> None:
    doc = b"""{"type": "Feature", "properties": {"title": 7}, "geometry": {
      "type": "GeometryCollection", "geometries": [
        {"type": "MultiPoint", "coordinates": [[1, 2], [3, 4, 100]]},
        {"type": "MultiLineString", "coordinates": [[[0, 0], [1, 1]], [[2, 2], [3, 3]]]},
        {"type": "MultiPolygon", "coordinates": [[[[0, 0], [1, 0], [1, 1]]]]}]}}"""
    shapes = read_overlay("geojson", doc)
    assert [s.type for s in shapes] == ["Point"] * 2 + ["LineString"] * 2 + ["Polygon"]
    assert shapes[1].parts == (((3.0, 4.0),),) and shapes[0].name == "7"
    assert shapes[4].parts[0][-1] == shapes[4].parts[0][0]  # the ring was closed


def test_a_feature_without_geometry_is_skipped_but_one_alone_is_nothing() -> None:
    doc = b'{"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": null}]}'
    with pytest.raises(ValueError, match="no points, lines or areas"):
        read_overlay("geojson", doc)


def test_kml_polygon_holes_multigeometry_and_an_old_namespace() -> None:
    kml = b"""<kml xmlns="http://earth.google.com/kml/2.1"><Folder><Placemark><name>Camp</name>
      <MultiGeometry><Point><coordinates>10,10</coordinates></Point>
      <Polygon><outerBoundaryIs><LinearRing><coordinates>0,0 4,0 4,4 0,4 0,0</coordinates>
      </LinearRing></outerBoundaryIs><innerBoundaryIs><LinearRing><coordinates>1,1 2,1 2,2 1,1
      </coordinates></LinearRing></innerBoundaryIs></Polygon></MultiGeometry></Placemark>
      </Folder></kml>"""
    point, area = read_overlay("kml", kml)
    assert point.type == "Point" and point.name == area.name == "Camp"
    assert area.type == "Polygon" and len(area.parts) == 2


def test_a_gpx_route_of_one_point_is_a_point_and_empty_segments_are_skipped() -> None:
    gpx = b"""<gpx xmlns="http://www.topografix.com/GPX/1/0"><rte><rtept lat="1" lon="2"/></rte>
      <trk><trkseg/><trkseg><trkpt lat="1" lon="2"/><trkpt lat="1.5" lon="2"/></trkseg></trk>
      </gpx>"""
    shapes = read_overlay("gpx", gpx)
    assert [s.type for s in shapes] == ["Point", "LineString"]
    assert shapes[0].parts == (((2.0, 1.0),),)


def test_a_gpx_track_that_never_moved_is_a_point() -> None:
    gpx = b"""<gpx xmlns="http://www.topografix.com/GPX/1/1"><trk><trkseg>
      <trkpt lat="1" lon="2"/><trkpt lat="1" lon="2"/><trkpt lat="1" lon="2"/></trkseg></trk>
      </gpx>"""
    (stood,) = read_overlay("gpx", gpx)
    assert stood.type == "Point" and stood.parts == (((2.0, 1.0),),)


def test_a_file_of_the_wrong_kind_says_so() -> None:
    with pytest.raises(ValueError, match="not GPX"):
        read_overlay("gpx", b"<kml/>")
    with pytest.raises(ValueError, match="not KML"):
        read_overlay("kml", b"<gpx/>")
    with pytest.raises(ValueError, match="not GeoJSON"):
        read_overlay("geojson", b"[1, 2]")
    with pytest.raises(ValueError, match="'Circle' is not a GeoJSON geometry"):
        read_overlay("geojson", b'{"type": "Circle", "coordinates": [1, 2]}')


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ([1], "must be"),
        (["1", "2"], "as numbers"),
        ([True, 2], "must be"),
        ([float("nan"), 2], "finite"),
        ([10, 95], "latitude 95"),
    ],
)
def test_positions_are_checked(value: object, problem: str) -> None:
    with pytest.raises(ValueError, match=problem):
        position(value)


def test_a_ring_needs_three_distinct_points() -> None:
    with pytest.raises(ValueError, match="3 distinct points"):
        area_shape([[[0, 0], [1, 1], [0, 0]]])
    with pytest.raises(ValueError, match="3 distinct points"):  # four points, one place
        area_shape([[[1, 1], [1, 1], [1, 1], [1, 1]]])
    with pytest.raises(ValueError, match="3 distinct points"):  # three, two of them the same
        area_shape([[[0, 0], [1, 1], [1, 1], [0, 0]]])
    with pytest.raises(ValueError, match="2 distinct points"):
        line_shape([[5, 5], [5, 5], [5, 5]])


def test_the_stored_form_reads_back_the_same_shapes() -> None:
    kml = b"<kml><Placemark><name>A</name><LineString><coordinates>1,2 3,4</coordinates>"
    line = read_overlay("kml", kml + b"</LineString></Placemark></kml>")
    shapes = [*line, Shape("Point", (((5.0, 6.0),),))]
    assert shapes_from_json(shapes_to_json(shapes)) == shapes
    assert bounds_of(shapes) == (1.0, 2.0, 5.0, 6.0)
    with pytest.raises(ValueError, match="damaged"):
        shapes_from_json(b'{"shapes": [{"type": "Point"}]}')
