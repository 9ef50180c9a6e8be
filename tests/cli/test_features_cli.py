"""`feature add | list | remove` through real subprocesses: each kind added from MGRS, decimal
or DMS positions, listed as JSON, removed; a refused geometry exits 4 with one line saying
why, before the passphrase, and nothing is added."""

from __future__ import annotations

import json

import pytest

from tests.cli.test_cli import run

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def vault(tmp_path_factory):
    path = tmp_path_factory.mktemp("features") / "vault"
    assert run(path, "init", "--name", "Anna Berg", "--callsign", "ALPHA-1").returncode == 0
    return path


def listed(vault) -> list[dict]:
    done = run(vault, "feature", "list", "--json")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_add_list_and_remove(vault):
    done = run(vault, "feature", "add", "outpost", "Camp Alpha", "-1.6792, 29.2228")
    assert done.returncode == 0, done.stderr
    assert "Added the outpost 'Camp Alpha' (1 point)" in done.stdout
    corners = ["-1.60, 29.10", "-1.60, 29.30", "1°45'S 29°18'E"]
    done = run(vault, "feature", "add", "no-go", "Market", *corners, "--notes", "curfew")
    assert done.returncode == 0, done.stderr
    assert "Added the no-go 'Market' (3 points)" in done.stdout
    features = listed(vault)
    assert [(f["name"], f["kind"], f["geometry"]["type"]) for f in features] == [
        ("Camp Alpha", "outpost", "Point"),
        ("Market", "no_go", "Polygon"),
    ]
    ring = features[1]["geometry"]["coordinates"][0]
    assert ring[0] == ring[-1] and len(ring) == 4 and ring[2] == [29.3, -1.75]
    done = run(vault, "feature", "list")
    assert "no_go    Market  [3 points]" in done.stdout
    done = run(vault, "feature", "remove", "Market")
    assert done.returncode == 0 and "Removed the no-go 'Market'" in done.stdout
    assert [f["name"] for f in listed(vault)] == ["Camp Alpha"]


@pytest.mark.parametrize(
    ("args", "why"),
    [
        (("route", "Patrol", "-1.6, 29.1"), "geometry: a route needs at least 2 distinct points"),
        (("area", "Zone", "-1.6, 29.1", "-1.7, 29.2"), "an area needs at least 3 distinct"),
        (("circle", "Zone", "-1.6, 29.1"), "kind: must be one of point, outpost"),
    ],
)
def test_a_refused_geometry_says_why(vault, args, why):
    done = run(None, "feature", "add", *args, passphrase=None)  # refused before any vault
    assert done.returncode == 4
    assert why in done.stderr and len(done.stderr.strip().splitlines()) == 1
