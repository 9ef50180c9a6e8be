"""Render the app icon (resources/icons/missiondesk.svg) for the installers.

    .venv/bin/python scripts/make_app_icons.py

Writes, into installers/icons/:
- `missiondesk-NN.png` for NN in 16, 24, 32, 48, 64, 128, 256, 512: the hicolor sizes the
  Debian package installs for desktops that do not read SVG icons;
- `missiondesk.ico` (Windows: the executable and the Inno Setup installer): 16-256 px, each
  entry a PNG image, which Windows Vista and later read;
- `missiondesk.icns` (macOS: the .app): the PNG-based types icp4 (16), icp5 (32), icp6 (64),
  ic07 (128), ic08 (256), ic09 (512), ic10 (1024).

The outputs are committed, so builds need no Qt rendering step; run this again when the SVG
changes. Qt renders offscreen (no display needed).
"""

from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SVG = REPO / "resources" / "icons" / "missiondesk.svg"
OUT = REPO / "installers" / "icons"
PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
ICNS_TYPES = (
    (b"icp4", 16),
    (b"icp5", 32),
    (b"icp6", 64),
    (b"ic07", 128),
    (b"ic08", 256),
    (b"ic09", 512),
    (b"ic10", 1024),
)


def render(size: int) -> bytes:
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(str(SVG))
    if not renderer.isValid():
        raise SystemExit(f"{SVG} is not a valid SVG file")
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(data.data())


def ico(images: dict[int, bytes]) -> bytes:
    """ICONDIR, one ICONDIRENTRY per size (0 means 256), then the PNG images."""
    head = struct.pack("<HHH", 0, 1, len(images))
    offset = len(head) + 16 * len(images)
    entries, blobs = b"", b""
    for size, png in images.items():
        side = 0 if size >= 256 else size
        entries += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(png), offset)
        blobs += png
        offset += len(png)
    return head + entries + blobs


def icns(images: dict[bytes, bytes]) -> bytes:
    """'icns' + total length, then (type, length including its 8-byte header, PNG) per image."""
    body = b"".join(kind + struct.pack(">I", len(png) + 8) + png for kind, png in images.items())
    return b"icns" + struct.pack(">I", len(body) + 8) + body


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication(sys.argv[:1])
    OUT.mkdir(parents=True, exist_ok=True)
    rendered = {size: render(size) for size in {*PNG_SIZES, *ICO_SIZES, 1024}}
    for size in PNG_SIZES:
        (OUT / f"missiondesk-{size}.png").write_bytes(rendered[size])
    (OUT / "missiondesk.ico").write_bytes(ico({s: rendered[s] for s in ICO_SIZES}))
    (OUT / "missiondesk.icns").write_bytes(icns({k: rendered[s] for k, s in ICNS_TYPES}))
    del app
    for path in sorted(OUT.iterdir()):
        print(f"wrote {path.relative_to(REPO)} ({path.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
