"""channel create/list, message send/list/ack."""

from __future__ import annotations

import argparse

from missiondesk.commands import arguments
from missiondesk.commands.context import CommandContext
from missiondesk.domain.records.base import Sensitivity
from missiondesk.domain.records.messaging import ChannelKind, Precedence


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("channel", help="message channels")
    csub = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    cp = csub.add_parser("create", help="create a channel")
    cp.add_argument("name")
    cp.add_argument("--kind", choices=[k.value for k in ChannelKind], default="ad_hoc")
    cp.add_argument("--description", default="")
    cp.add_argument("--sensitivity", type=arguments.sensitivity, default=Sensitivity.UNCLASSIFIED)
    cp.set_defaults(handler=cmd_channel_create)
    lp = csub.add_parser("list", help="list channels")
    lp.add_argument("--json", action="store_true", help="machine-readable output")
    lp.set_defaults(handler=cmd_channel_list)

    p = sub.add_parser("message", help="send and read messages")
    msub = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    sp = msub.add_parser("send", help="send a message to a channel")
    sp.add_argument("--channel", required=True, help="channel name, e.g. general")
    sp.add_argument("--text", required=True)
    sp.add_argument(
        "--precedence",
        type=arguments.precedence,
        default=Precedence.ROUTINE,
        help="FLASH, IMMEDIATE, PRIORITY or ROUTINE (default ROUTINE)",
    )
    sp.add_argument("--sensitivity", type=arguments.sensitivity, default=Sensitivity.UNCLASSIFIED)
    sp.set_defaults(handler=cmd_message_send)
    lp = msub.add_parser("list", help="list messages, oldest first")
    lp.add_argument("--channel", help="only this channel")
    lp.add_argument(
        "--limit", type=arguments.positive, default=100, help="newest N messages (default 100)"
    )
    lp.add_argument("--json", action="store_true", help="machine-readable output")
    lp.set_defaults(handler=cmd_message_list)
    ap = msub.add_parser("ack", help="acknowledge a message")
    ap.add_argument("message_id")
    ap.set_defaults(handler=cmd_message_ack)


def cmd_channel_create(ctx: CommandContext) -> int:
    a = ctx.args
    with ctx.session() as session:
        channel_id = session.messaging.create_channel(
            a.name, ChannelKind(a.kind), a.description, a.sensitivity
        )
    ctx.out(f"Channel #{a.name} created ({channel_id})")
    return 0


def cmd_channel_list(ctx: CommandContext) -> int:
    with ctx.session() as session:
        channels = session.messaging.channels()
    if ctx.args.json:
        ctx.out_json([{"id": cid, **c.model_dump(mode="json")} for cid, c in channels])
    else:
        for cid, c in channels:
            ctx.out(f"#{c.name:<20} {c.kind.value:<8} {cid}  {c.description}")
    return 0


def cmd_message_send(ctx: CommandContext) -> int:
    a = ctx.args
    with ctx.session() as session:
        message_id = session.messaging.send(a.channel, a.text, a.precedence, a.sensitivity)
    ctx.out(f"Sent {a.precedence.value.upper()} message {message_id}")
    return 0


def cmd_message_list(ctx: CommandContext) -> int:
    a = ctx.args
    with ctx.session() as session:
        views = session.messaging.list(a.channel, limit=a.limit)
    if a.json:
        ctx.out_json([v.as_json() for v in views])
        return 0
    for v in views:
        marker = "" if v.precedence is Precedence.ROUTINE else f"[{v.precedence.value.upper()}] "
        classification = (
            "" if v.sensitivity is Sensitivity.UNCLASSIFIED else f"({v.sensitivity.label}) "
        )
        ctx.out(f"{v.dtg}  #{v.channel}  {v.author_name}: {marker}{classification}{v.text}")
    if not views:
        ctx.out("No messages.")
    return 0


def cmd_message_ack(ctx: CommandContext) -> int:
    with ctx.session() as session:
        session.messaging.acknowledge(ctx.args.message_id)
    ctx.out("Acknowledged.")
    return 0
