"""Web Mercator and tile math against published values (OSM slippy-map formulas, Google's
tile coordinates, the EPSG:3857 constants) and MGRS pairs the map's readout relies on."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from missiondesk.domain.coordinates import parse_location, to_dms, to_mgrs
from missiondesk.domain.scale_bar import nice_scale
from missiondesk.domain.web_mercator import (
    HALF_WORLD,
    MAX_LAT,
    Tile,
    metres_per_pixel,
    project,
    project_arrays,
    projected_per_pixel,
    tile_bounds,
    tile_of,
    tile_rect,
    tiles_covering,
    tms_row,
    unproject,
    zoom_for,
)


def test_projection_constants():
    assert round(HALF_WORLD, 6) == 20_037_508.342789
    assert project(0, 180) == pytest.approx((HALF_WORLD, 0), abs=1e-6)
    assert project(MAX_LAT, 0)[1] == pytest.approx(HALF_WORLD)
    assert project(89.9, 0) == project(MAX_LAT, 0)  # clamped
    # a published EPSG:3857 pair: Greenwich-ish London
    x, y = project(51.5074, -0.1278)
    assert x == pytest.approx(-14226.63, abs=0.1)
    assert y == pytest.approx(6711542.47, abs=1.0)


def test_google_world_and_tile_coordinates_of_chicago():
    # developers.google.com/maps/documentation/javascript/coordinates: Chicago (41.85, -87.65)
    # is world coordinate (65.67111, 95.17492) and tile (2, 2) at zoom 3.
    x, y = project(41.85, -87.65)
    world_x = (x + HALF_WORLD) / (2 * HALF_WORLD) * 256
    world_y = (HALF_WORLD - y) / (2 * HALF_WORLD) * 256
    assert world_x == pytest.approx(65.67111, abs=1e-4)
    assert world_y == pytest.approx(95.17492, abs=1e-4)
    assert tile_of(41.85, -87.65, 3) == Tile(3, 2, 2)


@pytest.mark.parametrize(
    ("lat", "lon", "z", "x", "y"),
    [
        (0.0, 0.0, 0, 0, 0),
        (51.5074, -0.1278, 10, 511, 340),  # London
        (-1.2864, 36.8172, 12, 2466, 2062),  # Nairobi
        (89.0, 179.999, 4, 15, 0),  # clamped into the grid
        (-89.0, -180.0, 4, 0, 15),
    ],
)
def test_tile_of_known_points(lat, lon, z, x, y):
    assert tile_of(lat, lon, z) == Tile(z, x, y)


def test_tms_flip():
    assert tms_row(0, 0) == 0
    assert tms_row(2, 3) == 5
    assert tms_row(tms_row(1234, 12), 12) == 1234
    assert Tile(1, 0, 0).tms_y == 1  # MBTiles' row 1 at zoom 1 is the northern row
    with pytest.raises(ValueError, match="zoom"):
        tms_row(0, 23)


def test_tile_bounds_and_rect():
    whole = tile_bounds(Tile(0, 0, 0))
    assert (whole.west, whole.east) == (-180, 180)
    assert whole.north == pytest.approx(MAX_LAT) and whole.south == pytest.approx(-MAX_LAT)
    ne = tile_bounds(Tile(1, 1, 0))
    assert (ne.west, ne.south, ne.east) == pytest.approx((0, 0, 180))
    assert tile_rect(Tile(1, 1, 0)) == pytest.approx((0, 0, HALF_WORLD, HALF_WORLD))
    left, bottom, right, top = tile_rect(Tile(3, 2, 2))
    inside = tiles_covering(left + 1, bottom + 1, right - 1, top - 1, 3)
    assert inside == [Tile(3, 2, 2)]
    around = tiles_covering(left - 1, bottom - 1, right + 1, top + 1, 3)
    assert len(around) == 9 and around[0] == Tile(3, 1, 1)


@given(
    st.floats(min_value=-85, max_value=85),
    st.floats(min_value=-179.999, max_value=179.999),
    st.integers(min_value=0, max_value=20),
)
def test_a_point_lies_in_the_bounds_of_its_tile(lat, lon, z):
    box = tile_bounds(tile_of(lat, lon, z))
    assert box.west - 1e-9 <= lon <= box.east + 1e-9
    assert box.south - 1e-9 <= lat <= box.north + 1e-9
    back = unproject(*project(lat, lon))
    assert back == pytest.approx((lat, lon), abs=1e-9)


def test_array_projection_matches_the_scalar_one():
    lat = np.array([0.0, 12.5, -33.9, 60.0])
    lon = np.array([0.0, 44.3, 18.4, -150.0])
    xs, ys = project_arrays(lat, lon)
    for i in range(4):
        assert (xs[i], ys[i]) == pytest.approx(project(lat[i], lon[i]))


def test_ground_resolution():
    assert metres_per_pixel(0, 0) == pytest.approx(156_543.03392804097)
    assert metres_per_pixel(0, 18) == pytest.approx(0.5971642834779395)
    assert metres_per_pixel(60, 10) == pytest.approx(metres_per_pixel(0, 10) / 2)
    assert zoom_for(projected_per_pixel(7.25)) == pytest.approx(7.25)


@pytest.mark.parametrize(
    ("max_pixels", "mpp", "metres", "text"),
    [
        (100, 37.0, 2000, "2 km"),
        (100, 0.5, 50, "50 m"),
        (120, 1.0, 100, "100 m"),
        (150, 10.0, 1000, "1 km"),
        (150, 3000.0, 200_000, "200 km"),
        (150, 60_000.0, 5_000_000, "5,000 km"),
        (80, 0.01, 0.5, "0.5 m"),
    ],
)
def test_nice_scale_bars(max_pixels, mpp, metres, text):
    bar = nice_scale(max_pixels, mpp)
    assert (bar.metres, bar.label) == (metres, text)
    assert bar.pixels(mpp) <= max_pixels
    assert bar.pixels(mpp) > max_pixels * 0.39  # never less than ~2/5 of the room


def test_nice_scale_refuses_nonsense():
    with pytest.raises(ValueError, match="positive"):
        nice_scale(100, math.inf)


@pytest.mark.parametrize(
    ("grid", "lat", "lon"),
    [
        # Wikipedia's MGRS example, the Washington Monument (38°53'22"N 77°02'07"W)
        ("18S UJ 23487 06483", 38.8895, -77.0352),
        ("38S MB 44845 36965", 32.869425, 44.410452),  # as in test_coordinates
    ],
)
def test_mgrs_pairs_the_readout_shows(grid, lat, lon):
    back = parse_location(grid)
    assert (back.lat, back.lon) == pytest.approx((lat, lon), abs=1e-4)  # ~10 m
    assert parse_location(to_mgrs(lat, lon)).mgrs[:8] == grid[:8]


def test_dms_round_trips_through_the_go_to_parser():
    text = to_dms(-1.2864, 36.8172)
    assert text == "1°17'11.0\"S 36°49'01.9\"E"
    back = parse_location(text)
    assert (back.lat, back.lon) == pytest.approx((-1.2864, 36.8172), abs=1e-4)
