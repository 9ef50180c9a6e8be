"""Map features over a real vault: created, renamed, reshaped, deleted and listed through the
one road; a refused geometry says why, naming the field."""

from __future__ import annotations

import pytest

from missiondesk.domain.errors import InvalidFields, InvalidInput
from missiondesk.domain.records.mapping import FeatureKind

AREA = [(-1.60, 29.10), (-1.60, 29.30), (-1.75, 29.30)]


def test_an_area_is_stored_closed_and_read_back(session):
    info = session.features.create("Market no-go", "no-go", AREA)
    assert info.kind is FeatureKind.NO_GO
    ring = info.feature.geometry.coordinates[0]
    assert ring[0] == ring[-1] and len(ring) == 4  # closed
    (found,) = session.features.list()
    assert found.id == info.id and found.positions() == AREA
    assert session.vault.reads.count("map_feature") == 1


def test_rename_reshape_and_delete(session):
    route = session.features.create("Patrol 3", FeatureKind.ROUTE, [(-1.6, 29.1), (-1.7, 29.2)])
    assert session.features.rename(route.id, "Patrol 4").name == "Patrol 4"
    moved = session.features.update(route.id, positions=[(-1.6, 29.1), (-1.7, 29.2), (-1.8, 29)])
    assert len(moved.positions()) == 3
    assert session.features.find("patrol 4").id == route.id
    session.features.delete(route.id)
    assert session.features.list() == []
    with pytest.raises(InvalidInput, match="no map feature"):
        session.features.find("Patrol 4")


@pytest.mark.parametrize(
    ("kind", "positions", "why"),
    [
        ("route", [(-1.6, 29.1)], "geometry: a route needs at least 2 distinct points"),
        ("area", [(-1.6, 29.1), (-1.7, 29.2)], "geometry: an area needs at least 3"),
        ("no_go", [(1, 1), (1, 1), (2, 2), (1, 1)], "a no-go zone needs at least 3"),
        ("point", [(91.0, 29.0)], "geometry.0: the latitude must be -90 to 90"),
        ("outpost", [(1.0, 181.0)], "geometry.0: the longitude must be -180 to 180"),
        ("point", [(1.0, 2.0), (3.0, 4.0)], "a point is exactly one position"),
        ("circle", [(1.0, 2.0)], "kind: must be one of"),
    ],
)
def test_a_refused_geometry_says_why(session, kind, positions, why):
    with pytest.raises(InvalidFields, match=why):
        session.features.create("Bad", kind, positions)
    assert session.vault.reads.count("map_feature") == 0


def test_a_name_is_needed(session):
    with pytest.raises(InvalidFields, match="name"):
        session.features.create("  ", "point", [(1.0, 2.0)])
