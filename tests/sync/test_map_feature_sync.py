"""Map features across laptops through real sync (`sync serve` and `sync now` over TCP/TLS):
a no-go zone drawn at an outpost reaches HQ, a rename there comes back, a delete removes it
everywhere."""

from __future__ import annotations

from missiondesk.domain.records.mapping import FeatureKind

from .nodes import make_mission, open_node, pair

ZONE = [(-1.60, 29.10), (-1.60, 29.30), (-1.75, 29.30)]


def features_on(path):
    session = open_node(path)
    try:
        return session.features.list()
    finally:
        session.close()


def test_a_no_go_zone_drawn_at_an_outpost_reaches_hq_and_back(tmp_path):
    hq, bravo = make_mission(tmp_path, 2)
    assert pair(bravo, hq)["returncode"] == 0
    session = open_node(bravo)
    try:
        zone = session.features.create("Market no-go", "no_go", ZONE).id
    finally:
        session.close()
    assert pair(bravo, hq)["returncode"] == 0
    (found,) = features_on(hq)
    assert (found.id, found.kind, found.positions()) == (zone, FeatureKind.NO_GO, ZONE)

    session = open_node(hq)
    try:
        session.features.rename(zone, "Market no-go (curfew)")
    finally:
        session.close()
    assert pair(bravo, hq)["returncode"] == 0
    assert [f.name for f in features_on(bravo)] == ["Market no-go (curfew)"]

    session = open_node(bravo)
    try:
        session.features.delete(zone)
    finally:
        session.close()
    assert pair(bravo, hq)["returncode"] == 0
    assert features_on(hq) == []
