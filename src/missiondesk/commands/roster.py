"""roster add/update/remove/list/show/link: the mission's people and their emergency details."""

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


def _card_options(p: argparse.ArgumentParser, *, adding: bool) -> None:
    """The card's and the emergency details' options: `add` with the card's defaults,
    `update` with none (only what is given changes; '' clears a text)."""
    blank = "" if adding else None
    p.add_argument("--name", required=adding, default=None)
    p.add_argument("--callsign", default=blank, help=None if adding else "'' to clear it")
    p.add_argument("--role", type=role, default=Role.OFFICER if adding else None,
                   help="officer, duty_officer, comms_officer, security_officer, commander, "
                   "observer")  # fmt: skip
    p.add_argument("--unit", default=blank, help="unit or contingent")
    p.add_argument("--outpost", default=blank, help="assigned outpost")
    if adding:
        p.add_argument("--device", action="append", default=[], metavar="ID",
                       help="a device id this person uses (repeatable)")  # fmt: skip
    p.add_argument("--sensitivity", type=arguments.sensitivity, default=None,
                   help="of the card" + (" (default unclassified)" if adding else ""))  # fmt: skip
    for name, (_, text) in EMERGENCY_OPTIONS.items():
        p.add_argument(f"--{name.replace('_', '-')}", dest=name, default=None,
                       help=f"emergency details: {text} (Strictly Confidential)")  # fmt: skip


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("roster", help="the mission's people, their outposts and devices")
    rsub = p.add_subparsers(dest="action", required=True, metavar="ACTION")

    ap = rsub.add_parser("add", help="put a person on the roster")
    _card_options(ap, adding=True)
    ap.set_defaults(handler=cmd_roster_add)

    up = rsub.add_parser("update", help="change a person's card or emergency details")
    up.add_argument("person", help="callsign, name or id")
    _card_options(up, adding=False)
    up.set_defaults(handler=cmd_roster_update)

    rp = rsub.add_parser("remove", help="take a person who left the mission off the roster")
    rp.add_argument("person", help="callsign, name or id")
    rp.set_defaults(handler=cmd_roster_remove)

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


CARD_OPTIONS = ("name", "callsign", "role", "unit", "outpost", "sensitivity")


def cmd_roster_update(ctx: CommandContext) -> int:
    a = ctx.args
    card = {k: getattr(a, k) for k in CARD_OPTIONS if getattr(a, k) is not None}
    emergency = {k: getattr(a, k) for k in EMERGENCY_OPTIONS if getattr(a, k) is not None}
    if not card and not emergency:
        raise InvalidInput(
            "Say what to change: --name, --callsign, --role, --unit, --outpost, --sensitivity "
            "or an emergency detail (--blood-group, --next-of-kin, ...)."
        )
    with ctx.session() as session:
        person_id = session.roster.resolve(a.person)
        entry = session.roster.update(person_id, card) if card else session.roster.entry(person_id)
        if emergency:
            session.roster.set_emergency(person_id, emergency)
    ctx.out(f"{entry.label} updated ({', '.join([*card, *emergency])}).")
    return 0


def cmd_roster_remove(ctx: CommandContext) -> int:
    with ctx.session() as session:
        entry = session.roster.remove(session.roster.resolve(ctx.args.person))
    ctx.out(f"{entry.label} ({entry.person.name}) is off the roster; past records still name them.")
    if entry.devices:
        ctx.out(
            f"Their laptop(s) stay members of the mission until revoked: "
            f"missiondesk members revoke {entry.devices[0]}"
            + (f" (and {len(entry.devices) - 1} more)" if len(entry.devices) > 1 else "")
        )
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
