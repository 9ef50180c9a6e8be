"""The shipped world basemap: what it holds, and a damaged file refused with its name."""

from __future__ import annotations

import gzip
from pathlib import Path

import numpy as np
import pytest

from missiondesk.domain.errors import Unavailable
from missiondesk.resources import resource
from missiondesk.services.basemap import BASEMAP_FILE, MAGIC, read_basemap, world_basemap


def test_world_basemap_holds_natural_earth_countries_and_places():
    world = world_basemap()
    assert len(world.countries) == 177
    assert len(world.places) == 243
    assert "Natural Earth" in world.source
    by_iso = {c.iso: c for c in world.countries}
    kenya = by_iso["KEN"]
    assert kenya.name == "Kenya" and kenya.continent == "Africa"
    ring = max(kenya.rings, key=len)
    # Nairobi lies inside Kenya's outline
    assert ring[:, 0].min() < 36.82 < ring[:, 0].max()
    assert ring[:, 1].min() < -1.29 < ring[:, 1].max()
    assert any(c.name == "Côte d'Ivoire" for c in world.countries)  # ISO-8859-1 decoded
    assert {"Chișinău", "Ōsaka"} <= {p.name for p in world.places}  # restored
    assert not [p.name for p in world.places if "?" in p.name]
    nairobi = next(p for p in world.places if p.name == "Nairobi")
    assert nairobi.lon == pytest.approx(36.81, abs=0.05)
    assert nairobi.lat == pytest.approx(-1.28, abs=0.05)
    for country in world.countries:
        for r in country.rings:
            assert r.shape[1] == 2 and len(r) >= 4
            assert np.all(np.abs(r[:, 0]) <= 180) and np.all(np.abs(r[:, 1]) <= 90)
    assert world_basemap() is world  # read once per process


def test_the_shipped_file_is_compact():
    assert resource(*BASEMAP_FILE).stat().st_size < 100_000
    assert (resource("basemap") / "README.md").read_text("utf-8").count("public domain")


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"not gzip at all", "BadGzipFile"),
        (gzip.compress(b"PK\x03\x04 something else"), "not a MissionDesk basemap"),
        (gzip.compress(MAGIC + b"\x05\x00\x00\x00{bad}"), "damaged header"),
    ],
)
def test_a_damaged_basemap_names_the_file_and_the_problem(tmp_path: Path, content, problem):
    path = tmp_path / "world.bin.gz"
    path.write_bytes(content)
    with pytest.raises(Unavailable) as caught:
        read_basemap(path)
    assert str(path) in caught.value.message
    assert problem in caught.value.message


def test_truncated_coordinates_are_refused(tmp_path: Path):
    whole = gzip.decompress(resource(*BASEMAP_FILE).read_bytes())
    path = tmp_path / "cut.bin.gz"
    path.write_bytes(gzip.compress(whole[:-8]))
    with pytest.raises(Unavailable, match="damaged coordinates"):
        read_basemap(path)
    with pytest.raises(Unavailable, match="FileNotFoundError"):
        read_basemap(tmp_path / "missing.bin.gz")
