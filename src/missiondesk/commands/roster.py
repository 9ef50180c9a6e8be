"""roster add/list/show/link: the mission's people and their emergency details."""

from __future__ import annotations

import argparse

from missiondesk.commands import arguments
from missiondesk.commands.context import CommandContext
from missiondesk.domain.errors import InvalidInput
from missiondesk.domain.record_enums import Role

EMERGENCY_OPTIONS = {  # field -> (label, help)
    "next_of_kin": ("Next of kin", "next of kin (name)"),
    "next_of_kin_contact": ("Contact", "how to reach the next of kin"),
    "blood_group": ("Blood group", "O-, O+, A-, A+, B-, B+, AB- or AB+"),
    "allergies": ("Allergies", "allergies"),
    "medical_notes": ("Medical notes", "medical notes"),
}


def role(text: str) -> Role:
    try:
        return Role(text.strip().lower().replace(" ", "_").replace("-", "_"))
    except ValueError:
        names = ", ".join(r.value for r in Role)
        raise InvalidInput(f"'{text}' is not a role; use one of {names}.") from None


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("roster", help="the mission's people, their outposts and devices")
    rsub = p.add_subparsers(dest="action", required=True, metavar="ACTION")

    ap = rsub.add_parser("add", help="put a person on the roster")
    ap.add_argument("--name", required=True)
    ap.add_argument("--callsign", default="")
    ap.add_argument("--role", type=role, default=Role.OFFICER,
                    help="officer, duty_officer, comms_officer, security_officer, commander, "
                    "observer")  # fmt: skip
    ap.add_argument("--unit", default="", help="unit or contingent")
    ap.add_argument("--outpost", default="", help="assigned outpost")
    ap.add_argument("--device", action="append", default=[], metavar="ID",
                    help="a device id this person uses (repeatable)")  # fmt: skip
    ap.add_argument("--sensitivity", type=arguments.sensitivity, default=None,
                    help="of the card (default unclassified)")  # fmt: skip
    for name, (_, text) in EMERGENCY_OPTIONS.items():
        ap.add_argument(f"--{name.replace('_', '-')}", dest=name, default=None,
                        help=f"emergency details: {text} (Strictly Confidential)")  # fmt: skip
    ap.set_defaults(handler=cmd_roster_add)

    lp = rsub.add_parser("list", help="everyone on the roster, by outpost")
    lp.add_argument("--outpost", action="append", default=[], help="only these (repeatable)")
    lp.add_argument("--json", action="store_true")
    lp.set_defaults(handler=cmd_roster_list)

    sp = rsub.add_parser("show", help="one person, with emergency details if cleared")
    sp.add_argument("person", help="callsign, name or id")
    sp.add_argument("--json", action="store_true")
    sp.set_defaults(handler=cmd_roster_show)

    kp = rsub.add_parser("link", help="record that a person uses a device")
    kp.add_argument("person")
    kp.add_argument("device", help="the device id (32 hex digits)")
    kp.set_defaults(handler=cmd_roster_link)


def cmd_roster_add(ctx: CommandContext) -> int:
    a = ctx.args
    emergency = {k: getattr(a, k) for k in EMERGENCY_OPTIONS if getattr(a, k) is not None}
    with ctx.session() as session:
        extra = {"sensitivity": a.sensitivity} if a.sensitivity else {}
        person_id = session.roster.add(
            a.name, callsign=a.callsign, role=a.role, unit=a.unit, outpost=a.outpost,
            devices=a.device, emergency=emergency or None, **extra,
        )  # fmt: skip
    ctx.out(f"Person {person_id} added to the roster.")
    return 0


def cmd_roster_list(ctx: CommandContext) -> int:
    with ctx.session() as session:
        entries = session.roster.entries(ctx.args.outpost)
    if ctx.args.json:
        ctx.out_json([e.as_json() for e in entries])
        return 0
    if not entries:
        ctx.out("No one on the roster.")
    for e in entries:
        p = e.person
        ctx.out(f"{e.id}  {e.outpost:<16} {e.label:<14} {p.name:<24} "
                f"{p.role.value:<16} {p.unit}")  # fmt: skip
    return 0


def cmd_roster_show(ctx: CommandContext) -> int:
    with ctx.session() as session:
        card = session.roster.card(session.roster.resolve(ctx.args.person))
    if ctx.args.json:
        ctx.out_json(card.as_json())
        return 0
    e, p = card.entry, card.entry.person
    ctx.out(f"{p.name} ({e.label})  [{p.sensitivity.label}]  id {e.id}")
    ctx.out(f"  Role:     {p.role.value.replace('_', ' ')}")
    ctx.out(f"  Unit:     {p.unit or '-'}")
    ctx.out(f"  Outpost:  {p.outpost or '-'}")
    ctx.out(f"  Devices:  {', '.join(e.devices) or '-'}")
    if card.withheld:
        ctx.out("  Emergency details: withheld (this laptop's clearance does not cover them)")
    elif card.emergency is not None:
        d = card.emergency
        ctx.out(f"  Emergency details [{d.sensitivity.label}]:")
        for name, (label, _) in EMERGENCY_OPTIONS.items():
            if value := getattr(d, name):
                ctx.out(f"    {label}: {value}")
    return 0


def cmd_roster_link(ctx: CommandContext) -> int:
    with ctx.session() as session:
        entry = session.roster.link_device(session.roster.resolve(ctx.args.person), ctx.args.device)
    ctx.out(f"{entry.label} uses {len(entry.devices)} device(s).")
    return 0
