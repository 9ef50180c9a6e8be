"""layer import | list | remove: map layers (MBTiles packages, GeoJSON / KML / KMZ / GPX)."""

from __future__ import annotations

import argparse
from pathlib import Path

from missiondesk.commands.arguments import sensitivity
from missiondesk.commands.context import CommandContext
from missiondesk.domain.markings import Sensitivity


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "layer", help="map layers: MBTiles tile packages, GeoJSON, KML/KMZ and GPX overlays"
    )
    lsub = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    ip = lsub.add_parser("import", help="import a .mbtiles, .geojson, .kml, .kmz or .gpx file")
    ip.add_argument("file", metavar="FILE", help="the file to import into the vault")
    ip.add_argument("--name", help="the layer's name (default: the package's or the file's)")
    ip.add_argument(
        "--sensitivity",
        type=sensitivity,
        default=Sensitivity.UNCLASSIFIED,
        help="unclassified (default), confidential or strictly_confidential",
    )
    ip.set_defaults(handler=cmd_layer_import)
    lp = lsub.add_parser("list", help="the layers, bottom to top")
    lp.add_argument("--json", action="store_true")
    lp.set_defaults(handler=cmd_layer_list)
    rp = lsub.add_parser("remove", help="remove a layer (its record, for every laptop)")
    rp.add_argument("layer", metavar="LAYER", help="its id, the start of its id, or its name")
    rp.set_defaults(handler=cmd_layer_remove)


def cmd_layer_import(ctx: CommandContext) -> int:
    a = ctx.args
    path = Path(a.file)
    from missiondesk.services.layers import format_of

    format_of(path)  # a file MissionDesk cannot import is refused before the passphrase
    with ctx.session() as session:
        info = session.layers.import_file(path, name=a.name, sensitivity=a.sensitivity)
    layer = info.layer
    if info.layer.kind.value == "tiles":
        what = (
            f"{layer.tiles} {layer.tile_format.upper()} tiles, zoom {layer.min_zoom}-"
            f"{layer.max_zoom}; the tiles stay in this vault"
        )
    else:
        noun = "feature" if layer.features == 1 else "features"
        what = f"{layer.features} {noun}"
    ctx.out(f"Imported {path.name} as the layer '{layer.name}' ({what}). Id {info.id}.")
    return 0


def cmd_layer_list(ctx: CommandContext) -> int:
    with ctx.session() as session:
        layers = session.layers.layers()
    if ctx.args.json:
        ctx.out_json([info.as_json() for info in layers])
        return 0
    if not layers:
        ctx.out("No map layers; `layer import FILE` adds one.")
        return 0
    for info in layers:
        layer = info.layer
        if layer.kind.value == "tiles":
            detail = f"{layer.tiles} tiles z{layer.min_zoom}-{layer.max_zoom}"
            if not info.has_content:
                detail += ", tiles not in this vault (imported on another laptop)"
        else:
            detail = f"{layer.features} features"
        shown = "shown" if layer.visible else "hidden"
        ctx.out(
            f"{info.id}  {layer.order:>3}  {layer.name}  [{layer.format}, {detail}, {shown}, "
            f"{layer.sensitivity.label}]"
        )
    return 0


def cmd_layer_remove(ctx: CommandContext) -> int:
    with ctx.session() as session:
        info = session.layers.remove(ctx.args.layer)
    ctx.out(f"Removed the layer '{info.name}' ({info.id}).")
    return 0
