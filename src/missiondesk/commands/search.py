"""search TEXT."""

from __future__ import annotations

import argparse

from missiondesk.commands import arguments
from missiondesk.commands.context import CommandContext


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("search", help="full-text search across messages, incidents and records")
    p.add_argument("text", help="words to find; the last word also matches as a prefix")
    p.add_argument("--limit", type=arguments.positive, default=50)
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(handler=cmd_search)


def cmd_search(ctx: CommandContext) -> int:
    with ctx.session() as session:
        results = session.search.search(ctx.args.text, limit=ctx.args.limit)
    if ctx.args.json:
        ctx.out_json([r.as_json() for r in results])
        return 0
    for r in results:
        ctx.out(f"{r.dtg}  {r.type:<9} {r.title}  {r.snippet}  ({r.id})")
    if not results:
        ctx.out("Nothing found.")
    return 0
