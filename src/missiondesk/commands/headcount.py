"""headcount start/mark/status/close: an emergency headcount and its roll-up."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from missiondesk.commands.context import CommandContext
from missiondesk.domain.dtg import format_dtg

if TYPE_CHECKING:
    from missiondesk.services.headcount import HeadcountView


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("headcount", help="emergency headcount: Safe, Needs help, Unaccounted")
    hsub = p.add_subparsers(dest="action", required=True, metavar="ACTION")

    sp = hsub.add_parser("start", help="start one (duty officer, security officer, commander)")
    sp.add_argument("--title", default="Emergency headcount")
    sp.add_argument("--outpost", action="append", default=[],
                    help="in scope (repeatable; default the whole mission)")  # fmt: skip
    sp.set_defaults(handler=cmd_headcount_start)

    mp = hsub.add_parser("mark", help="mark a person's status")
    mp.add_argument("person", help="callsign, name or id")
    mp.add_argument("status", help="safe, needs_help or unaccounted")
    mp.add_argument("--headcount", default=None, help="its id (default: the latest open one)")
    mp.add_argument("--note", default="")
    mp.add_argument("--position", default=None, help="MGRS or lat, lon")
    mp.set_defaults(handler=cmd_headcount_mark)

    tp = hsub.add_parser("status", help="everyone in scope and the roll-up")
    tp.add_argument("--headcount", default=None, help="its id (default: the latest open one)")
    tp.add_argument("--json", action="store_true")
    tp.set_defaults(handler=cmd_headcount_status)

    cp = hsub.add_parser("close", help="close a headcount")
    cp.add_argument("--headcount", default=None)
    cp.set_defaults(handler=cmd_headcount_close)


def cmd_headcount_start(ctx: CommandContext) -> int:
    a = ctx.args
    with ctx.session() as session:
        headcount_id = session.headcount.start(a.title, a.outpost)
        view = session.headcount.status(headcount_id)
    ctx.out(f"Headcount {headcount_id} started: {view.mission.total} people unaccounted.")
    return 0


def cmd_headcount_mark(ctx: CommandContext) -> int:
    a = ctx.args
    with ctx.session() as session:
        headcount_id = session.headcount.resolve_id(a.headcount)
        before = session.headcount.status(headcount_id)
        line = session.headcount.mark(headcount_id, a.person, a.status, a.note, a.position)
        view = session.headcount.status(headcount_id)
    ctx.out(f"{line.label}: {line.status.label}. Still unaccounted: {view.mission.unaccounted}.")
    if line.person not in {p.person for p in before.people}:  # a visitor: counted, and said
        shown = line.outpost if line.outpost.startswith("(") else f"({line.outpost})"
        where = f" {shown}" if line.outpost else ""  # "(OP South)", "(no outpost)"
        ctx.out(
            f"{line.label}{where} was not in this headcount: now counted in it"
            f" ({view.mission.total} in all)."
        )
    return 0


def _print(ctx: CommandContext, view: HeadcountView) -> None:
    h = view.headcount
    scope = ", ".join(h.outposts) or "the whole mission"
    ctx.out(f"Headcount {view.id}  [{h.status.value.upper()}]  {h.title}")
    ctx.out(f"  Started {format_dtg(h.started)} by {h.started_by or '-'}; scope: {scope}")
    for r in (*view.outposts, view.mission):
        done = f"all accounted for at {format_dtg(r.accounted_at)}" if r.accounted_at else ""
        ctx.out(f"  {r.name:<18} safe {r.safe:>3}  needs help {r.needs_help:>3}  "
                f"unaccounted {r.unaccounted:>3}  of {r.total:>3}  {done}")  # fmt: skip
    for line in view.people:
        marked = f"{format_dtg(line.marked)} by {line.marked_by}" if line.marked else ""
        note = f"  ({line.note})" if line.note else ""
        ctx.out(f"    {line.outpost:<18} {line.label:<14} {line.status.label:<12} {marked}{note}")


def cmd_headcount_status(ctx: CommandContext) -> int:
    with ctx.session() as session:
        view = session.headcount.status(session.headcount.resolve_id(ctx.args.headcount))
    if ctx.args.json:
        ctx.out_json(view.as_json())
    else:
        _print(ctx, view)
    return 0


def cmd_headcount_close(ctx: CommandContext) -> int:
    with ctx.session() as session:
        view = session.headcount.close(session.headcount.resolve_id(ctx.args.headcount))
    _print(ctx, view)
    return 0
