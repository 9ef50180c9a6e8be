"""Features drawn on the map: points, routes and areas that are records like any other."""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from missiondesk.domain.record_enums import MAX_FEATURE_NAME
from missiondesk.domain.records.base import Record


class FeatureKind(StrEnum):
    POINT = "point"
    OUTPOST = "outpost"
    ROUTE = "route"
    AREA = "area"
    NO_GO = "no_go"


class Geometry(BaseModel):
    """A GeoJSON geometry of one of three types; coordinates are (lon, lat) as GeoJSON has them."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    type: Literal["Point", "LineString", "Polygon"]
    coordinates: (
        tuple[float, float]
        | tuple[tuple[float, float], ...]
        | tuple[tuple[tuple[float, float], ...], ...]
    )

    @model_validator(mode="after")
    def _shape_matches_type(self) -> Geometry:
        depth = 0
        probe: object = self.coordinates
        while isinstance(probe, tuple) and probe and isinstance(probe[0], tuple):
            depth += 1
            probe = probe[0]
        expected = {"Point": 0, "LineString": 1, "Polygon": 2}[self.type]
        if depth != expected:
            raise ValueError(f"coordinates do not have the shape of a {self.type}")
        return self


class MapFeature(Record):
    name: str = Field(min_length=1, max_length=MAX_FEATURE_NAME)
    kind: FeatureKind = FeatureKind.POINT
    geometry: Geometry
    notes: str = Field(default="", max_length=5000)
