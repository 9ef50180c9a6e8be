"""incident add/list."""

from __future__ import annotations

import argparse

from missiondesk.commands import arguments
from missiondesk.commands.context import CommandContext
from missiondesk.domain.markings import Sensitivity
from missiondesk.domain.records.incidents import DEFAULT_CATEGORIES


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("incident", help="log and list incidents")
    isub = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    ap = isub.add_parser(
        "add",
        help="log an incident",
        epilog="categories: " + ", ".join(DEFAULT_CATEGORIES),
    )
    ap.add_argument("--title", required=True)
    ap.add_argument("--category", required=True, help="e.g. small_arms_fire (see below)")
    ap.add_argument("--severity", required=True, type=arguments.severity, help="1 (low) to 5")
    ap.add_argument("--location", help="MGRS (36S XA 12345 67890), lat,lon or DMS")
    ap.add_argument("--place", default="", help="place name")
    ap.add_argument("--description", default="", help="what happened")
    ap.add_argument(
        "--occurred", type=arguments.dtg, help="when, as a DTG (221530Z NOV 26); default now"
    )
    ap.add_argument("--sensitivity", type=arguments.sensitivity, default=Sensitivity.UNCLASSIFIED)
    ap.set_defaults(handler=cmd_incident_add)
    lp = isub.add_parser("list", help="list incidents, newest first")
    lp.add_argument("--json", action="store_true", help="machine-readable output")
    lp.set_defaults(handler=cmd_incident_list)


def cmd_incident_add(ctx: CommandContext) -> int:
    a = ctx.args
    with ctx.session() as session:
        incident_id = session.incidents.add(
            title=a.title,
            category=a.category,
            severity=a.severity,
            location=a.location,
            place=a.place,
            description=a.description,
            occurred=a.occurred,
            sensitivity=a.sensitivity,
        )
    ctx.out(f"Incident {incident_id} logged (draft).")
    return 0


def cmd_incident_list(ctx: CommandContext) -> int:
    with ctx.session() as session:
        views = session.incidents.list()
    if ctx.args.json:
        ctx.out_json([v.as_json() for v in views])
        return 0
    for v in views:
        i = v.incident
        where = (i.location.mgrs or f"{i.location.lat},{i.location.lon}") if i.location else "-"
        ctx.out(
            f"{v.as_json()['occurred_dtg']}  SEV {i.severity}  {i.category:<20} "
            f"{where:<20} {i.status.value:<9} {i.title}"
        )
    if not views:
        ctx.out("No incidents.")
    return 0
