"""mission package export/show/import: the signed file that sets a new laptop up."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from missiondesk.commands import arguments
from missiondesk.commands.context import CommandContext

if TYPE_CHECKING:  # the package code (and numpy, for the tiles) loads with its commands
    from missiondesk.services.mission_package import MissionPackage, PackageImport


def register(msub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = msub.add_parser(
        "package", help="mission packages: make one, look inside one, set this laptop up"
    )
    psub = p.add_subparsers(dest="package_action", required=True, metavar="ACTION")
    ep = psub.add_parser("export", help="write this mission's package (mission authority only)")
    ep.add_argument(
        "--out", required=True, type=arguments.out_file, help="the file to write (.mission)"
    )
    ep.add_argument("--json", action="store_true")
    ep.set_defaults(handler=cmd_package_export)
    sp = psub.add_parser("show", help="verify a package and list what it holds (no vault)")
    sp.add_argument("file", type=Path)
    sp.add_argument("--json", action="store_true")
    sp.set_defaults(handler=cmd_package_show)
    ip = psub.add_parser("import", help="set this new laptop up from a package")
    ip.add_argument("file", type=Path)
    ip.add_argument("--code", help="the mission code the authority gave you; refused if it differs")
    ip.add_argument("--json", action="store_true")
    ip.set_defaults(handler=cmd_package_import)


def describe(ctx: CommandContext, package: MissionPackage) -> None:
    m = package.manifest
    ctx.out(f"Mission:      {m.mission.name}")
    ctx.out(f"Mission code: {m.mission.code}   (compare it with the mission authority's)")
    ctx.out(f"Issued:       {m.issued}")
    ctx.out(f"Marking:      {m.sensitivity.label}")
    ctx.out(f"Contents:     {m.contents()}")
    for label, kind in (
        ("Channels", "channel"),
        ("Checklists", "checklist_template"),
        ("Map layers", "map_layer"),
        ("Overlays", "map_feature"),
    ):
        names = m.names_of(kind)
        if names:
            ctx.out(f"{label + ':':<13} {', '.join(names)}")


def report_import(ctx: CommandContext, done: PackageImport) -> None:
    if getattr(ctx.args, "json", False):
        ctx.out_json(done.as_json())
        return
    describe(ctx, done.package)
    ctx.out(f"Set up from {done.package.path.name}: {done.records} records, {done.tiles} tiles.")
    ctx.out(
        "Next: write the join request (missiondesk enroll request --out FILE) and carry it "
        "to the mission authority."
    )


def cmd_package_export(ctx: CommandContext) -> int:
    with ctx.session() as session:
        done = session.packages.export(ctx.args.out)
    if ctx.args.json:
        ctx.out_json(done.as_json())
        return 0
    describe(ctx, done.package)
    for name in done.skipped:
        ctx.out(f"Not included: the map layer {name} (its tiles are not in this vault).")
    marking = done.package.manifest.sensitivity.label
    ctx.out(f"Mission package written to {ctx.args.out}, marked {marking}.")
    ctx.out("It is signed, not encrypted: carry it as you would a document of that marking.")
    return 0


def cmd_package_show(ctx: CommandContext) -> int:
    from missiondesk.services.mission_package import read_package

    package = read_package(ctx.args.file)
    if ctx.args.json:
        ctx.out_json(package.as_json())
    else:
        ctx.out(f"{package.path.name}: signed by the mission authority, every file intact.")
        describe(ctx, package)
    return 0


def cmd_package_import(ctx: CommandContext) -> int:
    from missiondesk.services.mission_package import read_package

    package = read_package(ctx.args.file)
    with ctx.session() as session:
        done = session.packages.import_(package, expect_code=ctx.args.code)
    report_import(ctx, done)
    return 0
