"""The installers' icons (written by scripts/make_app_icons.py and committed) are what Windows,
macOS and the freedesktop icon theme read: their containers hold a PNG of each stated size."""

from __future__ import annotations

import struct
from pathlib import Path

ICONS = Path(__file__).resolve().parent.parent / "installers" / "icons"
PNG = b"\x89PNG\r\n\x1a\n"


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == PNG
    width, height = struct.unpack(">II", data[16:24])  # the IHDR chunk
    return width, height


def test_hicolor_pngs_have_their_sizes():
    for size in (16, 24, 32, 48, 64, 128, 256, 512):
        assert png_size((ICONS / f"missiondesk-{size}.png").read_bytes()) == (size, size)


def test_the_ico_lists_each_size_once_with_its_png():
    data = (ICONS / "missiondesk.ico").read_bytes()
    reserved, kind, count = struct.unpack("<HHH", data[:6])
    assert (reserved, kind) == (0, 1)
    sides = []
    for i in range(count):
        w, h, _, _, planes, bits, length, offset = struct.unpack(
            "<BBBBHHII", data[6 + 16 * i : 22 + 16 * i]
        )
        side = w or 256
        assert (w, planes, bits) == (h, 1, 32)
        assert png_size(data[offset : offset + length]) == (side, side)
        sides.append(side)
    assert sides == [16, 24, 32, 48, 64, 128, 256]


def test_the_icns_chunks_add_up_and_hold_retina_sizes():
    data = (ICONS / "missiondesk.icns").read_bytes()
    assert data[:4] == b"icns" and struct.unpack(">I", data[4:8])[0] == len(data)
    found, at = {}, 8
    while at < len(data):
        kind, length = data[at : at + 4], struct.unpack(">I", data[at + 4 : at + 8])[0]
        found[kind] = png_size(data[at + 8 : at + length])
        at += length
    assert at == len(data)
    assert found == {
        b"icp4": (16, 16),
        b"icp5": (32, 32),
        b"icp6": (64, 64),
        b"ic07": (128, 128),
        b"ic08": (256, 256),
        b"ic09": (512, 512),
        b"ic10": (1024, 1024),
    }
