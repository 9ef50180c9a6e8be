"""Map features: points, outposts, routes, areas and no-go zones drawn by officers, as
`map_feature` records (they sync like any record). Create, rename, update, delete and list,
each geometry checked first: positions in range, a route of at least 2 points, an area of at
least 3 distinct points and closed. A refusal is an `InvalidFields` naming the field."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from missiondesk.domain.errors import FieldProblem, InvalidFields, InvalidInput
from missiondesk.domain.records.mapping import FeatureKind, Geometry, MapFeature
from missiondesk.services.records import RecordService, validate

LINE_KINDS = frozenset({FeatureKind.ROUTE})
AREA_KINDS = frozenset({FeatureKind.AREA, FeatureKind.NO_GO})
MAX_VERTICES = 5_000

Position = tuple[float, float]  # (lat, lon), as officers give places


@dataclass(frozen=True)
class FeatureInfo:
    id: str
    feature: MapFeature

    @property
    def name(self) -> str:
        return self.feature.name

    @property
    def kind(self) -> FeatureKind:
        return self.feature.kind

    def positions(self) -> list[Position]:
        """The geometry's positions as (lat, lon); an area's ring without its closing point."""
        coordinates: Any = self.feature.geometry.coordinates
        if self.feature.geometry.type == "Point":
            return [(coordinates[1], coordinates[0])]
        if self.feature.geometry.type == "Polygon":
            coordinates = coordinates[0][:-1]
        return [(lat, lon) for lon, lat in coordinates]

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.feature.name,
            "kind": self.feature.kind.value,
            "geometry": self.feature.geometry.model_dump(mode="json"),
            "notes": self.feature.notes,
        }


def _out_of_range(positions: Sequence[Position]) -> list[FieldProblem]:
    problems = []
    for i, (lat, lon) in enumerate(positions):
        if not (math.isfinite(lat) and -90 <= lat <= 90):
            problems.append(FieldProblem(f"geometry.{i}", "the latitude must be -90 to 90"))
        if not (math.isfinite(lon) and -180 <= lon <= 180):
            problems.append(FieldProblem(f"geometry.{i}", "the longitude must be -180 to 180"))
    return problems


def geometry_for(kind: FeatureKind, positions: Sequence[Position]) -> Geometry:
    """The GeoJSON geometry of a feature of `kind` through `positions` ((lat, lon) each), or
    an InvalidFields saying what is wrong with them."""
    problems = _out_of_range(positions)
    points = [(float(lon), float(lat)) for lat, lon in positions]
    if kind in AREA_KINDS and len(points) > 1 and points[0] == points[-1]:
        points = points[:-1]  # closed already: the ring is closed below
    if len(points) > MAX_VERTICES:
        problems.append(FieldProblem("geometry", f"at most {MAX_VERTICES:,} points"))
    if kind in AREA_KINDS:
        if len(set(points)) < 3:
            what = "a no-go zone" if kind is FeatureKind.NO_GO else "an area"
            problems.append(FieldProblem("geometry", f"{what} needs at least 3 distinct points"))
    elif kind in LINE_KINDS:
        if len(set(points)) < 2:
            problems.append(FieldProblem("geometry", "a route needs at least 2 distinct points"))
    elif len(points) != 1:
        problems.append(FieldProblem("geometry", f"a {kind.value} is exactly one position"))
    if problems:
        raise InvalidFields("map feature", tuple(problems))
    if kind in AREA_KINDS:
        return Geometry(type="Polygon", coordinates=((*points, points[0]),))
    if kind in LINE_KINDS:
        return Geometry(type="LineString", coordinates=tuple(points))
    return Geometry(type="Point", coordinates=points[0])


def kind_of(text: str | FeatureKind) -> FeatureKind:
    if isinstance(text, FeatureKind):
        return text
    value = text.strip().lower().replace("-", "_")
    try:
        return FeatureKind(value)
    except ValueError:
        kinds = ", ".join(k.value for k in FeatureKind)
        raise InvalidFields(
            "map feature", (FieldProblem("kind", f"must be one of {kinds}"),)
        ) from None


class MapFeatureService:
    def __init__(self, records: RecordService) -> None:
        self._records = records

    def create(
        self,
        name: str,
        kind: str | FeatureKind,
        positions: Sequence[Position],
        notes: str = "",
    ) -> FeatureInfo:
        """A new feature through `positions` ((lat, lon) each); one operation."""
        found = kind_of(kind)
        geometry = geometry_for(found, positions)
        feature = validate(
            MapFeature, {"name": name.strip(), "kind": found, "geometry": geometry, "notes": notes}
        )
        entity, _ = self._records.create(feature)
        return FeatureInfo(entity, feature)

    def rename(self, feature_id: str, name: str) -> FeatureInfo:
        self._records.update(MapFeature, feature_id, {"name": name.strip()})
        return self.get(feature_id)

    def update(
        self,
        feature_id: str,
        *,
        name: str | None = None,
        positions: Sequence[Position] | None = None,
        notes: str | None = None,
    ) -> FeatureInfo:
        """Change the name, the positions (same kind) or the notes."""
        current = self.get(feature_id)
        changes: dict[str, Any] = {}
        if name is not None:
            changes["name"] = name.strip()
        if notes is not None:
            changes["notes"] = notes
        if positions is not None:
            geometry = geometry_for(current.kind, positions)
            changes["geometry"] = geometry.model_dump(mode="json")
        if changes:
            self._records.update(MapFeature, feature_id, changes)
        return self.get(feature_id)

    def delete(self, feature_id: str) -> FeatureInfo:
        """Delete it, for every laptop."""
        info = self.get(feature_id)
        self._records.delete(MapFeature, feature_id)
        return info

    def get(self, feature_id: str) -> FeatureInfo:
        return FeatureInfo(feature_id, self._records.get(MapFeature, feature_id))

    def list(self) -> list[FeatureInfo]:
        """Every feature, oldest first."""
        return [FeatureInfo(s.id, f) for s, f in self._records.list(MapFeature)]

    def find(self, ref: str) -> FeatureInfo:
        """A feature by id, by the start of its id (at least 8 characters) or by its name."""
        ref = ref.strip()
        features = self.list()
        matches = [f for f in features if f.id == ref]
        if not matches and len(ref) >= 8:
            matches = [f for f in features if f.id.startswith(ref)]
        if not matches:
            matches = [f for f in features if f.name.casefold() == ref.casefold()]
        if not matches:
            raise InvalidInput(f"There is no map feature '{ref}'; `feature list` shows them.")
        if len(matches) > 1:
            raise InvalidInput(f"{len(matches)} map features are called '{ref}'; give its id.")
        return matches[0]
