"""mission create; enroll request/approve/accept; members list/revoke/release."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from missiondesk.commands import arguments, mission_package
from missiondesk.commands.context import CommandContext
from missiondesk.domain.errors import InvalidInput, UsageError
from missiondesk.domain.ids import fingerprint
from missiondesk.domain.markings import Sensitivity
from missiondesk.domain.record_enums import Role


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("mission", help="create the mission (on the mission authority's laptop)")
    msub = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    cp = msub.add_parser("create", help="make this laptop the mission authority")
    cp.add_argument("--name", required=True, help="the mission's name")
    cp.add_argument("--valid-days", type=arguments.positive, default=365)
    cp.set_defaults(handler=cmd_mission_create)
    dp = msub.add_parser("discovery", help="allow or forbid finding peers on the LAN (mDNS)")
    dp.add_argument("state", choices=("on", "off"), type=str.lower)
    dp.set_defaults(handler=cmd_mission_discovery)
    sp = msub.add_parser("show", help="the mission this vault belongs to")
    sp.add_argument("--json", action="store_true")
    sp.set_defaults(handler=cmd_mission_show)
    mission_package.register(msub)

    p = sub.add_parser("enroll", help="enroll a laptop in the mission, by file")
    esub = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    rp = esub.add_parser("request", help="write a join request for the mission authority")
    rp.add_argument("--out", required=True, type=arguments.out_file)
    rp.set_defaults(handler=cmd_enroll_request)
    ap = esub.add_parser("approve", help="approve a join request (mission authority only)")
    ap.add_argument("file", type=Path)
    ap.add_argument("--role", required=True, choices=[r.value for r in Role], type=str.lower)
    ap.add_argument("--clearance", type=arguments.sensitivity, default=Sensitivity.CONFIDENTIAL)
    ap.add_argument("--valid-days", type=arguments.positive, default=365)
    ap.add_argument("--code", help="the code the requester reads out; refused if it differs")
    ap.add_argument("--out", required=True, type=arguments.out_file)
    ap.set_defaults(handler=cmd_enroll_approve)
    cp = esub.add_parser("accept", help="join the mission with the authority's approval file")
    cp.add_argument("file", type=Path)
    cp.set_defaults(handler=cmd_enroll_accept)

    p = sub.add_parser("members", help="the mission's enrolled devices")
    bsub = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    lp = bsub.add_parser("list", help="devices, people, roles and status")
    lp.add_argument("--json", action="store_true")
    lp.set_defaults(handler=cmd_members_list)
    vp = bsub.add_parser("revoke", help="revoke a device (mission authority only)")
    vp.add_argument("device", help="device id (or its first characters), or callsign")
    vp.add_argument("--reason", default="")
    vp.set_defaults(handler=cmd_members_revoke)
    xp = bsub.add_parser("release", help="let a device held for review sync again")
    xp.add_argument("device")
    xp.set_defaults(handler=cmd_members_release)


def cmd_mission_create(ctx: CommandContext) -> int:
    with ctx.session() as session:
        info = session.mission.create(ctx.args.name, valid_days=ctx.args.valid_days)
    ctx.out(f"Mission '{info.name}' created: {info.id}")
    ctx.out("This laptop holds the mission authority key: keep it safe.")
    return 0


def cmd_mission_discovery(ctx: CommandContext) -> int:
    with ctx.session() as session:
        session.mission.set_discovery(ctx.args.state == "on")
    ctx.out(f"LAN discovery {ctx.args.state} for the mission; laptops follow at their next sync.")
    return 0


def cmd_mission_show(ctx: CommandContext) -> int:
    with ctx.session() as session:
        info = session.mission.require()
        authority = session.mission.is_authority()
    data = {
        "id": info.id,
        "name": info.name,
        "code": fingerprint(info.id),
        "authority_here": authority,
        "discovery": info.discovery,
    }
    if ctx.args.json:
        ctx.out_json(data)
    else:
        for key, value in data.items():
            ctx.out(f"{key.replace('_', ' '):<15} {value}")
    return 0


def cmd_enroll_request(ctx: CommandContext) -> int:
    from missiondesk.services.enrollment_files import write_join_request

    with ctx.session() as session:
        code = write_join_request(session.mission, ctx.args.out)
    ctx.out(f"Join request written to {ctx.args.out}. Carry it to the mission authority.")
    ctx.out(f"Your code: {code}   (the authority must see the same code)")
    return 0


def cmd_enroll_approve(ctx: CommandContext) -> int:
    from missiondesk.services.enrollment_files import approve_to_file, read_enrollment_file

    a = ctx.args
    if a.code is None and not sys.stdin.isatty():  # no one to ask: never approve unchecked
        raise UsageError(
            "Not approved: without a terminal to ask in, give the requester's code with --code."
        )
    content = read_enrollment_file(a.file)
    with ctx.session() as session:
        request = session.mission.read_request(content)
        ctx.out(
            f"Request from {request.name} ({request.callsign or 'no callsign'}), device "
            f"{fingerprint(request.device)}"
        )
        ctx.out(f"Code: {request.code}   compare it with the code on the requester's screen")
        earlier = [v for v in session.mission.members() if v.membership.device == request.device]
        if earlier:
            ctx.out(
                f"Note: this device is already a member ({earlier[0].membership.role.value}, "
                f"{earlier[0].status.value}); a new approval replaces that certificate on every "
                "laptop once it syncs."
            )
        code = a.code
        if code is None and sys.stdin.isatty():
            answer = input("Does the requester see the same code? [y/N] ").strip().lower()
            if answer not in ("y", "yes"):
                raise InvalidInput("Not approved: the codes were not confirmed.")
            code = request.code
        membership = approve_to_file(
            session.mission,
            session.audit,
            content,
            a.out,
            role=Role(a.role),
            clearance=a.clearance,
            valid_days=a.valid_days,
            expect_code=code,
        )
    ctx.out(f"Approved as {membership.role.value}; approval written to {a.out}.")
    return 0


def cmd_enroll_accept(ctx: CommandContext) -> int:
    from missiondesk.services.enrollment_files import accept_approval_file

    with ctx.session() as session:
        membership = accept_approval_file(session.mission, ctx.args.file)
    ctx.out(f"Joined mission '{membership.mission_name}' as {membership.role.value}.")
    ctx.out(f"Code: {membership.code}")
    return 0


def cmd_members_list(ctx: CommandContext) -> int:
    with ctx.session() as session:
        members = session.mission.members()
    if ctx.args.json:
        ctx.out_json([m.as_json() for m in members])
        return 0
    for view in members:
        m = view.membership
        flag = " (authority)" if m.authority else ""
        detail = f"  {view.detail}" if view.detail and view.detail != view.status.value else ""
        ctx.out(
            f"{m.device}  {m.callsign or '-':<10} {m.name:<24} {m.role.value:<16}"
            f" {view.status.value}{flag}{detail}"
        )
    return 0


def cmd_members_revoke(ctx: CommandContext) -> int:
    with ctx.session() as session:
        revocation = session.mission.revoke(ctx.args.device, ctx.args.reason)
    ctx.out(f"Device {fingerprint(revocation.device)} revoked. Peers refuse it once they sync.")
    return 0


def cmd_members_release(ctx: CommandContext) -> int:
    with ctx.session() as session:
        session.mission.release(ctx.args.device)
    ctx.out("Released: its operations will be accepted at the next sync.")
    return 0
