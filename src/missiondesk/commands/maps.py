"""map render."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from missiondesk.commands import arguments
from missiondesk.commands.context import CommandContext
from missiondesk.domain.errors import InvalidInput

_SIZE_RE = re.compile(r"^\s*(\d{2,5})\s*[xX×]\s*(\d{2,5})\s*$")
MAX_SIDE = 8192
TOP_ZOOM = 19.0


def size(text: str) -> tuple[int, int]:
    match = _SIZE_RE.match(text)
    if match:
        width, height = int(match.group(1)), int(match.group(2))
        if 64 <= width <= MAX_SIDE and 64 <= height <= MAX_SIDE:
            return width, height
    raise InvalidInput(
        f"'{text}' is not an image size; write WIDTHxHEIGHT in pixels, each 64 to {MAX_SIDE} "
        "(e.g. 1200x800)."
    )


def zoom(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 <= value <= TOP_ZOOM:
        raise InvalidInput(f"'{text}' is not a zoom; use a number from 0 (the world) to 19.")
    return value


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("map", help="the map: render the world and the incidents to PNG")
    msub = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    rp = msub.add_parser("render", help="draw the map without a screen into a PNG file")
    rp.add_argument("--out", required=True, metavar="FILE.png", type=arguments.out_file,
                    help="where to write it")  # fmt: skip
    rp.add_argument("--center", "--centre", dest="center", metavar="MGRS|LAT,LON",
                    help="the middle of the picture (MGRS, decimal degrees or DMS); "
                    "default: fitted to the incidents")  # fmt: skip
    rp.add_argument("--zoom", type=zoom, help="0 (the world) to 19 (a street)")
    rp.add_argument("--size", type=size, default=(1200, 800), metavar="WxH",
                    help="pixels (default 1200x800)")  # fmt: skip
    rp.set_defaults(handler=cmd_map_render)


def cmd_map_render(ctx: CommandContext) -> int:
    from missiondesk.domain.coordinates import parse_location

    a = ctx.args
    out = Path(a.out)
    if out.suffix.lower() != ".png":  # ".png" alone is a name, not a suffix
        raise InvalidInput(f"{out} is not a file name ending in .png; the map is written as PNG.")
    centre = None
    if a.center is not None:
        place = parse_location(a.center)
        centre = (place.lat, place.lon)
    from missiondesk.services.map_exports import write_map_png
    from missiondesk.services.reports import check_destination
    from missiondesk.ui.map.render import render_map

    check_destination(out)  # before drawing anything
    with ctx.session() as session:
        rendered = render_map(session, size=a.size, centre=centre, zoom=a.zoom)
        written = write_map_png(
            session.audit,
            out,
            rendered.png,
            incidents=rendered.incidents,
            sensitivity=rendered.sensitivity,
        )
    lat, lon = rendered.centre
    noun = "incident" if written.incidents == 1 else "incidents"
    ctx.out(
        f"Wrote the map to {written.path} ({a.size[0]}x{a.size[1]} px, {written.size} bytes): "
        f"{written.incidents} {noun}, centre {lat:.5f}, {lon:.5f}, zoom {rendered.zoom:.1f}; "
        f"marked {written.sensitivity.label}. The file is NOT encrypted; the export is recorded "
        "in the audit log."
    )
    return 0
