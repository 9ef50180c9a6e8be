"""`map render` through real subprocesses: the basemap and the incidents drawn offscreen at
the place and zoom asked for, and bad values refused with one line naming them."""

from __future__ import annotations

import re

import pytest
from PySide6.QtGui import QColor, QImage

from missiondesk.domain.coordinates import parse_location
from missiondesk.domain.web_mercator import project, projected_per_pixel
from missiondesk.ui.map.style import LAND, WATER, colour_for
from tests.cli.test_cli import run

pytestmark = pytest.mark.slow

GOMA = (-1.6792, 29.2228)


@pytest.fixture(scope="module")
def vault(tmp_path_factory):
    path = tmp_path_factory.mktemp("map") / "vault"
    assert run(path, "init", "--name", "Anna Berg", "--callsign", "ALPHA-1").returncode == 0
    done = run(path, "incident", "add", "--title", "Shots near Goma", "--category",
               "armed_clash", "--severity", "5", "--location", f"{GOMA[0]}, {GOMA[1]}")  # fmt: skip
    assert done.returncode == 0, done.stderr
    return path


def pixel(lat, lon, centre, zoom, size):
    x, y = project(lat, lon)
    cx, cy = project(*centre)
    ppp = projected_per_pixel(zoom)
    return round((x - cx) / ppp + size[0] / 2), round((cy - y) / ppp + size[1] / 2)


def close(colour: QColor, hex_colour: str, tolerance: int = 12) -> bool:
    want = QColor(hex_colour)
    return all(
        abs(a - b) <= tolerance for a, b in zip(colour.getRgb()[:3], want.getRgb()[:3], strict=True)
    )


def test_render_draws_the_incident_over_the_basemap_where_asked(vault, tmp_path):
    out = tmp_path / "goma.png"
    centre, zoom, size = (-2.0, 29.0), 8.0, (640, 480)
    done = run(vault, "map", "render", "--out", str(out), f"--center={centre[0]},{centre[1]}",
               "--zoom", "8", "--size", "640x480")  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "1 incident," in done.stdout and "NOT encrypted" in done.stdout
    image = QImage(str(out))
    assert (image.width(), image.height()) == size
    at = pixel(*GOMA, centre, zoom, size)
    assert close(image.pixelColor(*at), colour_for(5))  # the severity-5 marker's fill
    inland = pixel(-3.0, 27.5, centre, zoom, size)  # the Congo basin: land, no marker
    assert close(image.pixelColor(*inland), LAND)


def test_render_centres_on_mgrs_and_fits_the_incidents_by_default(vault, tmp_path):
    ocean = tmp_path / "ocean.png"
    done = run(vault, "map", "render", "--out", str(ocean), "--center", "0,-30", "--zoom", "5")
    assert done.returncode == 0, done.stderr
    image = QImage(str(ocean))
    assert close(image.pixelColor(600, 400), WATER)  # mid-Atlantic, at the default 1200x800

    fitted = tmp_path / "fitted.png"
    done = run(vault, "map", "render", "--out", str(fitted), "--center", "35M PS 88000 14000")
    assert done.returncode == 0, done.stderr
    grid = parse_location("35M PS 88000 14000")
    found = re.search(r"centre (\S+), (\S+), zoom 10\.0;", done.stdout)
    assert found, done.stdout
    assert (float(found[1]), float(found[2])) == pytest.approx((grid.lat, grid.lon), abs=2e-5)
    done = run(vault, "map", "render", "--out", str(fitted))
    assert done.returncode == 0, done.stderr
    assert "centre -1.67920, 29.22280, zoom 10.0" in done.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--zoom", "40"], "'40' is not a zoom"),
        (["--size", "10x10"], "'10x10' is not an image size"),
        (["--center", "the market"], "'the market' is not a location"),
    ],
)
def test_bad_values_are_refused_in_one_line(vault, tmp_path, args, message):
    done = run(vault, "map", "render", "--out", str(tmp_path / "x.png"), *args)
    assert done.returncode == 4
    assert message in done.stderr
    assert not (tmp_path / "x.png").exists()


def test_a_missing_folder_or_another_suffix_is_refused(vault, tmp_path):
    done = run(vault, "map", "render", "--out", str(tmp_path / "nope" / "x.png"))
    assert done.returncode == 4 and "does not exist" in done.stderr
    done = run(vault, "map", "render", "--out", str(tmp_path / "x.jpg"))
    assert done.returncode == 4 and "is not a file name ending in .png" in done.stderr
    done = run(vault, "map", "render", "--out", str(tmp_path / ".png"))  # a name, no suffix
    assert done.returncode == 4 and "is not a file name ending in .png" in done.stderr
