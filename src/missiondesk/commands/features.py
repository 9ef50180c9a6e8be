"""feature add | list | remove: points, outposts, routes, areas and no-go zones on the map."""

from __future__ import annotations

import argparse

from missiondesk.commands.context import CommandContext


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "feature", help="map features: points, outposts, routes, areas and no-go zones"
    )
    fsub = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    ap = fsub.add_parser("add", help="add a feature through one or more positions")
    ap.add_argument("kind", metavar="KIND", help="point, outpost, route, area or no_go")
    ap.add_argument("name", metavar="NAME")
    ap.add_argument(
        "positions",
        metavar="POSITION",
        nargs="+",
        help="MGRS, 'lat, lon' in decimal degrees, or DMS; a route 2 or more, an area 3 or more",
    )
    ap.add_argument("--notes", default="")
    ap.set_defaults(handler=cmd_feature_add)
    lp = fsub.add_parser("list", help="the features, oldest first")
    lp.add_argument("--json", action="store_true")
    lp.set_defaults(handler=cmd_feature_list)
    rp = fsub.add_parser("remove", help="delete a feature (its record, for every laptop)")
    rp.add_argument("feature", metavar="FEATURE", help="its id, the start of its id, or its name")
    rp.set_defaults(handler=cmd_feature_remove)


def cmd_feature_add(ctx: CommandContext) -> int:
    from missiondesk.domain.coordinates import parse_location
    from missiondesk.services.map_features import geometry_for, kind_of

    a = ctx.args
    kind = kind_of(a.kind)
    places = [parse_location(text) for text in a.positions]
    positions = [(place.lat, place.lon) for place in places]
    geometry_for(kind, positions)  # refused before the passphrase is asked for
    with ctx.session() as session:
        info = session.features.create(a.name, kind, positions, notes=a.notes)
    count = len(info.positions())
    ctx.out(
        f"Added the {kind.value.replace('_', '-')} '{info.name}' "
        f"({count} point{'s' if count != 1 else ''}). Id {info.id}."
    )
    return 0


def cmd_feature_list(ctx: CommandContext) -> int:
    with ctx.session() as session:
        features = session.features.list()
    if ctx.args.json:
        ctx.out_json([info.as_json() for info in features])
        return 0
    if not features:
        ctx.out("No map features; `feature add KIND NAME POSITION...` adds one.")
        return 0
    for info in features:
        where = info.positions()
        lat, lon = where[0]
        detail = f"{len(where)} points" if len(where) > 1 else f"{lat:.5f}, {lon:.5f}"
        ctx.out(f"{info.id}  {info.kind.value:<7}  {info.name}  [{detail}]")
    return 0


def cmd_feature_remove(ctx: CommandContext) -> int:
    with ctx.session() as session:
        info = session.features.find(ctx.args.feature)
        session.features.delete(info.id)
    ctx.out(f"Removed the {info.kind.value.replace('_', '-')} '{info.name}' ({info.id}).")
    return 0
