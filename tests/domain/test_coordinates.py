import pytest

from missiondesk.domain.coordinates import parse_location, to_dms, to_mgrs
from missiondesk.domain.errors import InvalidInput

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


@pytest.mark.parametrize("text", ["33.31, 44.36", "33.31 44.36", "33°18'36\"N 44°21'36\"E"])
def test_decimal_and_dms(text):
    loc = parse_location(text, place="Checkpoint 4")
    assert (loc.lat, loc.lon) == (pytest.approx(33.31), pytest.approx(44.36))
    assert loc.mgrs.startswith("38S MB")
    assert loc.place == "Checkpoint 4"


def test_dms_rendering_never_shows_sixty_seconds():
    assert to_dms(-33.86, 151.2) == "33°51'36.0\"S 151°12'00.0\"E"


@pytest.mark.parametrize("text", ["somewhere", "91, 0", "0, 181", "38SMB448453696"])
def test_bad_locations_say_what_is_accepted(text):
    with pytest.raises(InvalidInput):
        parse_location(text)
