"""conflicts list / resolve."""

from __future__ import annotations

import argparse
import json

from missiondesk.commands.context import CommandContext


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("conflicts", help="concurrent edits that lost, for review")
    csub = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    lp = csub.add_parser("list", help="every unresolved conflict")
    lp.add_argument("--json", action="store_true")
    lp.set_defaults(handler=cmd_conflicts_list)
    rp = csub.add_parser("resolve", help="settle a conflict; the choice syncs to every laptop")
    rp.add_argument("conflict", help="the conflict's id from 'conflicts list'")
    rp.add_argument(
        "--keep",
        required=True,
        choices=("current", "other"),
        type=str.lower,
        help="keep the value shown now, or the other (losing) value",
    )
    rp.set_defaults(handler=cmd_conflicts_resolve)


def _show(value: object) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def cmd_conflicts_list(ctx: CommandContext) -> int:
    with ctx.session() as session:
        conflicts = session.conflicts.list()
    if ctx.args.json:
        ctx.out_json([c.as_json() for c in conflicts])
        return 0
    for c in conflicts:
        ctx.out(f"{c.id}  {c.record_type} '{c.title}', field {c.field}:")
        ctx.out(f"    current: {_show(c.current)}   (by {c.current_by})")
        ctx.out(f"    other:   {_show(c.other)}   (by {c.other_by}, {c.other_at})")
    if not conflicts:
        ctx.out("No conflicts.")
    return 0


def cmd_conflicts_resolve(ctx: CommandContext) -> int:
    with ctx.session() as session:
        view = session.conflicts.resolve(ctx.args.conflict, ctx.args.keep)
    kept = view.current if ctx.args.keep == "current" else view.other
    ctx.out(
        f"Resolved: {view.field} of '{view.title}' is {_show(kept)}. "
        "The resolution reaches the other laptops at their next sync."
    )
    return 0
