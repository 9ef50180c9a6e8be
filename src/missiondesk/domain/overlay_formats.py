"""Reading GeoJSON, KML, KMZ and GPX files into overlay shapes.

The bytes are parsed in memory. XML is parsed by `xml.etree.ElementTree` after refusing any
DOCTYPE or ENTITY declaration, so no entity (external or expanding) is ever resolved. A
refusal is an `OverlayError` naming the problem and, where it can, the line or the feature."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterator, Sequence
from typing import Any
from xml.etree import ElementTree
from xml.parsers import expat

from missiondesk.domain.overlay_geometry import (
    Shape,
    area_shape,
    line_shape,
    point_shape,
)

FORMATS = {".geojson": "geojson", ".json": "geojson", ".kml": "kml", ".kmz": "kmz", ".gpx": "gpx"}
MAX_UNPACKED = 32 * 1024 * 1024  # a KMZ's KML, unpacked
MAX_SHAPES = 200_000


class OverlayError(ValueError):
    """What is wrong with an overlay file (without the file's name, which the caller adds)."""


def read_overlay(fmt: str, data: bytes) -> list[Shape]:
    """The shapes of an overlay file of format `fmt` (see FORMATS); at least one."""
    try:
        if fmt == "geojson":
            shapes = _geojson(data)
        elif fmt == "kml":
            shapes = _kml(_xml(data))
        elif fmt == "kmz":
            shapes = _kml(_xml(_kmz_document(data)))
        elif fmt == "gpx":
            shapes = _gpx(_xml(data))
        else:
            raise OverlayError(f"'{fmt}' is not an overlay format")
    except RecursionError:
        raise OverlayError("it is nested too deeply to be read") from None
    if not shapes:
        what = "waypoints, routes or tracks" if fmt == "gpx" else "points, lines or areas"
        raise OverlayError(f"it has no {what}")
    if len(shapes) > MAX_SHAPES:
        raise OverlayError(f"it has {len(shapes)} features; an overlay may have {MAX_SHAPES}")
    return shapes


# -- GeoJSON ------------------------------------------------------------------------------------


def _geojson(data: bytes) -> list[Shape]:
    try:
        doc = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise OverlayError("it is not UTF-8 text") from None
    except json.JSONDecodeError as exc:
        raise OverlayError(f"it is not JSON (line {exc.lineno}: {exc.msg})") from None
    except RecursionError:
        raise OverlayError("its JSON is nested too deeply to be map data") from None
    if not isinstance(doc, dict) or not isinstance(doc.get("type"), str):
        raise OverlayError("it is not GeoJSON (no 'type' at the top)")
    if doc["type"] == "FeatureCollection":
        features = doc.get("features")
        if not isinstance(features, list):
            raise OverlayError("its FeatureCollection has no 'features' list")
    elif doc["type"] == "Feature":
        features = [doc]
    else:
        features = [{"type": "Feature", "geometry": doc, "properties": {}}]
    shapes: list[Shape] = []
    for number, feature in enumerate(features, start=1):
        try:
            shapes.extend(_geojson_feature(feature))
        except ValueError as exc:
            raise OverlayError(f"feature {number}: {exc}") from None
    return shapes


def _geojson_feature(feature: Any) -> list[Shape]:
    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        raise ValueError("not a GeoJSON Feature")
    properties = feature.get("properties")
    name = ""
    if isinstance(properties, dict):
        for key in ("name", "title", "Name"):
            if isinstance(properties.get(key), str | int | float):
                name = str(properties[key])[:200]
                break
    geometry = feature.get("geometry")
    if geometry is None:
        return []  # a feature without geometry is allowed by GeoJSON: nothing to draw
    return list(_geojson_geometry(geometry, name))


def _geojson_geometry(geometry: Any, name: str) -> Iterator[Shape]:
    if not isinstance(geometry, dict):
        raise ValueError("its geometry is not an object")
    kind, coords = geometry.get("type"), geometry.get("coordinates")
    if kind == "GeometryCollection":
        parts = geometry.get("geometries")
        if not isinstance(parts, list):
            raise ValueError("its GeometryCollection has no 'geometries' list")
        for part in parts:
            yield from _geojson_geometry(part, name)
        return
    if not isinstance(coords, list):
        raise ValueError(f"its {kind} has no coordinates list")
    if kind == "Point":
        yield point_shape(coords, name)
    elif kind == "MultiPoint":
        yield from (point_shape(c, name) for c in coords)
    elif kind == "LineString":
        yield line_shape(coords, name)
    elif kind == "MultiLineString":
        yield from (line_shape(_list(c), name) for c in coords)
    elif kind == "Polygon":
        yield area_shape([_list(r) for r in coords], name)
    elif kind == "MultiPolygon":
        yield from (area_shape([_list(r) for r in _list(p)], name) for p in coords)
    else:
        raise ValueError(f"'{kind}' is not a GeoJSON geometry type")


def _list(value: Any) -> list[Any]:
    if not isinstance(value, list):
        raise ValueError("coordinates are not nested as the geometry type needs")
    return value


# -- XML (KML, GPX) ----------------------------------------------------------------------------


_DECLARATIONS = "it declares a DOCTYPE or entities, which are refused"


def _refuse_declarations(data: bytes) -> None:
    """A first pass with expat itself, so a DOCTYPE in any encoding (UTF-16 too) is seen."""
    if b"<!doctype" in data.lower() or b"<!entity" in data.lower():
        raise OverlayError(_DECLARATIONS)

    def refuse(*_args: object) -> None:
        raise OverlayError(_DECLARATIONS)

    parser = expat.ParserCreate()
    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    try:
        parser.Parse(data, True)
    except expat.ExpatError as exc:
        raise OverlayError(
            f"it is not well-formed XML (line {exc.lineno}, column {exc.offset + 1})"
        ) from None


def _xml(data: bytes) -> ElementTree.Element:
    _refuse_declarations(data)
    try:
        return ElementTree.fromstring(data)  # noqa: S314 - DOCTYPE and ENTITY refused above
    except ElementTree.ParseError as exc:
        line, column = exc.position
        raise OverlayError(
            f"it is not well-formed XML (line {line}, column {column + 1})"
        ) from None


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _children(element: ElementTree.Element, name: str) -> list[ElementTree.Element]:
    return [child for child in element if _local(child.tag) == name]


def _descendants(element: ElementTree.Element, name: str) -> list[ElementTree.Element]:
    return [child for child in element.iter() if _local(child.tag) == name]


def _text_of(element: ElementTree.Element, name: str) -> str:
    found = _children(element, name)
    return (found[0].text or "").strip()[:200] if found else ""


def _kmz_document(data: bytes) -> bytes:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = [i for i in archive.infolist() if i.filename.lower().endswith(".kml")]
            if not entries:
                raise OverlayError("the KMZ holds no .kml document")
            main = next((i for i in entries if i.filename.lower() == "doc.kml"), entries[0])
            if main.file_size > MAX_UNPACKED:
                raise OverlayError("the KMZ's KML document is too large unpacked")
            with archive.open(main) as handle:
                content = handle.read(MAX_UNPACKED + 1)
    except (zipfile.BadZipFile, EOFError, NotImplementedError):
        raise OverlayError("it is not a KMZ (zip) archive, or the archive is damaged") from None
    if len(content) > MAX_UNPACKED:
        raise OverlayError("the KMZ's KML document is too large unpacked")
    return content


def _kml_positions(element: ElementTree.Element) -> list[list[float]]:
    found = _children(element, "coordinates")
    if not found:
        raise ValueError(f"its {_local(element.tag)} has no coordinates")
    positions: list[list[float]] = []
    for item in (found[0].text or "").split():
        try:
            positions.append([float(v) for v in item.split(",")])
        except ValueError:
            raise ValueError(f"'{item[:40]}' is not lon,lat[,alt]") from None
    return positions


def _kml_geometry(element: ElementTree.Element, name: str) -> Iterator[Shape]:
    kind = _local(element.tag)
    if kind == "Point":
        positions = _kml_positions(element)
        if len(positions) != 1:
            raise ValueError(f"a Point needs one position, it has {len(positions)}")
        yield point_shape(positions[0], name)
    elif kind in ("LineString", "LinearRing"):
        yield line_shape(_kml_positions(element), name)
    elif kind == "Polygon":
        rings: list[Sequence[object]] = []
        for boundary in ("outerBoundaryIs", "innerBoundaryIs"):
            for holder in _children(element, boundary):
                rings.extend(_kml_positions(r) for r in _children(holder, "LinearRing"))
        if not rings:
            raise ValueError("a Polygon has no outer boundary")
        yield area_shape(rings, name)
    elif kind == "MultiGeometry":
        for child in element:
            yield from _kml_geometry(child, name)


def _kml(root: ElementTree.Element) -> list[Shape]:
    if _local(root.tag) != "kml":
        raise OverlayError("it is not KML (its root element is not <kml>)")
    shapes: list[Shape] = []
    for number, placemark in enumerate(_descendants(root, "Placemark"), start=1):
        name = _text_of(placemark, "name")
        label = f"placemark {number}" + (f" ({name})" if name else "")
        try:
            for child in placemark:
                shapes.extend(_kml_geometry(child, name))
        except ValueError as exc:
            raise OverlayError(f"{label}: {exc}") from None
    return shapes


def _gpx_point(element: ElementTree.Element) -> list[float]:
    try:
        return [float(element.attrib["lon"]), float(element.attrib["lat"])]
    except KeyError:
        raise ValueError("it has no lat or lon attribute") from None
    except ValueError:
        raise ValueError("its lat or lon is not a number") from None


def _gpx(root: ElementTree.Element) -> list[Shape]:
    if _local(root.tag) != "gpx":
        raise OverlayError("it is not GPX (its root element is not <gpx>)")
    shapes: list[Shape] = []
    for number, waypoint in enumerate(_children(root, "wpt"), start=1):
        try:
            shapes.append(point_shape(_gpx_point(waypoint), _text_of(waypoint, "name")))
        except ValueError as exc:
            raise OverlayError(f"waypoint {number}: {exc}") from None
    for number, route in enumerate(_children(root, "rte"), start=1):
        try:
            points = [_gpx_point(p) for p in _children(route, "rtept")]
            shapes.append(_gpx_line(points, _text_of(route, "name")))
        except ValueError as exc:
            raise OverlayError(f"route {number}: {exc}") from None
    for number, track in enumerate(_children(root, "trk"), start=1):
        name = _text_of(track, "name")
        try:
            for segment in _children(track, "trkseg"):
                points = [_gpx_point(p) for p in _children(segment, "trkpt")]
                if points:
                    shapes.append(_gpx_line(points, name))
        except ValueError as exc:
            raise OverlayError(f"track {number}: {exc}") from None
    return shapes


def _gpx_line(points: list[list[float]], name: str) -> Shape:
    """A route or track segment; one point (or a receiver that never moved) is kept as a point."""
    if len({tuple(p) for p in points}) == 1:
        return point_shape(points[0], name)
    return line_shape(points, name)


def shapes_from_json(data: bytes) -> list[Shape]:
    """Shapes back from the stored form (`Shape.as_json` in a list), as the vault keeps them."""
    try:
        doc = json.loads(data)
        return [_stored(item) for item in doc["shapes"]]
    except (ValueError, KeyError, TypeError, IndexError):
        raise OverlayError("the stored overlay is damaged") from None


def _stored(item: dict[str, Any]) -> Shape:
    name = str(item.get("name", ""))
    kind, coords = item["type"], item["coordinates"]
    if kind == "Point":
        return point_shape(coords, name)
    if kind == "LineString":
        return line_shape(coords, name)
    return area_shape(coords, name)


def shapes_to_json(shapes: Sequence[Shape]) -> bytes:
    return json.dumps(
        {"shapes": [s.as_json() for s in shapes]}, separators=(",", ":"), ensure_ascii=False
    ).encode()
