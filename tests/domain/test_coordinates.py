import pytest

from missiondesk.domain.coordinates import parse_location, to_dms, to_mgrs
from missiondesk.domain.errors import InvalidInput
from missiondesk.domain.incident_filter import grid_key, grid_prefix

# Known pairs (checked against published MGRS conversions).
KNOWN = [
    ("38S MB 44845 36965", 32.869425, 44.410452),
    ("33U XP 04000 86000", 48.618426, 16.411158),
    ("56H LH 33491 51909", -33.86, 151.2),
]


@pytest.mark.parametrize(("grid", "lat", "lon"), KNOWN)
def test_mgrs_to_lat_lon_and_back(grid, lat, lon):
    loc = parse_location(grid)
    assert loc.lat == pytest.approx(lat, abs=1e-4)
    assert loc.lon == pytest.approx(lon, abs=1e-4)
    assert to_mgrs(lat, lon) == grid


def test_mgrs_without_spaces():
    assert parse_location("38SMB4484536965").mgrs == "38S MB 44845 36965"


@pytest.mark.parametrize(
    "text",
    [
        "33.31, 44.36",
        "33.31 44.36",
        "33°18'36\"N 44°21'36\"E",
        "N33.31 E44.36",  # the hemisphere first
        "n 33.31, e 44.36",
        "33.31N 44.36E",
        "E44.36 N33.31",  # longitude first, said by its letter
        "33°18.6'N 44°21.6'E",  # degrees and decimal minutes, as GPS units show them
        "N 33 18 36 E 44 21 36",
        "33º18′36″N 44º21′36″E",  # typographic symbols
    ],
)
def test_decimal_and_dms(text):
    loc = parse_location(text, place="Checkpoint 4")
    assert (loc.lat, loc.lon) == (pytest.approx(33.31), pytest.approx(44.36))
    assert loc.mgrs.startswith("38S MB")
    assert loc.place == "Checkpoint 4"


def test_dms_rendering_never_shows_sixty_seconds():
    assert to_dms(-33.86, 151.2) == "33°51'36.0\"S 151°12'00.0\"E"


@pytest.mark.parametrize(
    "text",
    [
        "somewhere",
        "91, 0",
        "0, 181",
        "38SMB448453696",
        "N33.31 N44.36",  # two latitudes
        "33°75'N 44°21'E",  # minutes run to 59
        "33°18'75\"N 44°21'36\"E",
        "N33.5 18 E44",  # decimals only on the last part
        "33.31 44.36E",  # one hemisphere letter
        "N91 E0",
    ],
)
def test_bad_locations_say_what_is_accepted(text):
    with pytest.raises(InvalidInput):
        parse_location(text)


@pytest.mark.parametrize(
    ("lat", "lon", "grid"),
    [
        (90, 0, "Z AH 00000 00000"),
        (84.5, 10, "Z BA 06113 98202"),
        (-80.5, 10, "B BY 83555 40992"),
        (-90, 0, "B AN 00000 00000"),
    ],
)
def test_polar_positions_get_their_ups_grid_which_reads_back(lat, lon, grid):
    """Beyond 84°N and 80°S MGRS is polar (UPS): a letter for the zone, no zone number."""
    assert parse_location(f"{lat},{lon}").mgrs == grid
    back = parse_location(grid.lower().replace(" ", ""))
    assert back.lat == pytest.approx(lat, abs=1e-4)
    assert back.mgrs == grid
    assert grid_prefix(grid[:4]) == grid[:4].replace(" ", "")  # a polar square filters too
    assert grid_key(grid).startswith(grid_prefix(grid[:4]))
