"""channel create/list/direct, message send/list/show/ack/pending, attachment save."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from missiondesk.commands import arguments
from missiondesk.commands.context import CommandContext
from missiondesk.commands.terminal_text import one_line
from missiondesk.domain.errors import InvalidInput
from missiondesk.domain.markings import Precedence, Sensitivity
from missiondesk.domain.record_enums import ChannelKind

if TYPE_CHECKING:
    from missiondesk.services.session import Session


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("channel", help="message channels")
    csub = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    cp = csub.add_parser("create", help="create a channel")
    cp.add_argument("name")
    cp.add_argument(
        "--kind", choices=[k.value for k in ChannelKind], default="ad_hoc", type=str.lower
    )
    cp.add_argument("--description", default="")
    cp.add_argument("--sensitivity", type=arguments.sensitivity, default=Sensitivity.UNCLASSIFIED)
    cp.add_argument(
        "--member",
        action="append",
        default=[],
        metavar="CALLSIGN",
        help="a member by callsign or name (repeat; none: everyone in the mission)",
    )
    cp.set_defaults(handler=cmd_channel_create)
    lp = csub.add_parser("list", help="list channels with their unread counts")
    lp.add_argument("--json", action="store_true", help="machine-readable output")
    lp.set_defaults(handler=cmd_channel_list)
    dp = csub.add_parser("direct", help="the direct channel with one person (made if needed)")
    dp.add_argument("person", metavar="CALLSIGN", help="callsign or name")
    dp.set_defaults(handler=cmd_channel_direct)

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
    sp.add_argument(
        "--attach",
        action="append",
        default=[],
        type=Path,
        metavar="FILE",
        help="attach a file (repeat); kept encrypted in the vault, at most 8 MB each",
    )
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
    shp = msub.add_parser("show", help="one message in full: state, acknowledgements, files")
    shp.add_argument("message_id")
    shp.add_argument("--json", action="store_true", help="machine-readable output")
    shp.set_defaults(handler=cmd_message_show)
    pp = msub.add_parser("pending", help="FLASH and IMMEDIATE messages waiting for your ack")
    pp.add_argument("--json", action="store_true", help="machine-readable output")
    pp.set_defaults(handler=cmd_message_pending)

    p = sub.add_parser("attachment", help="files attached to messages")
    atsub = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    sv = atsub.add_parser("save", help="write a decrypted copy of an attachment (audited)")
    sv.add_argument("attachment_id")
    sv.add_argument("--out", required=True, type=arguments.out_file, metavar="FILE")
    sv.set_defaults(handler=cmd_attachment_save)


def _person(session: Session, wanted: str) -> str:
    """The id of the one person whose callsign, name or id is `wanted`."""
    key = wanted.strip().casefold()
    found = [
        e.id
        for e in session.people.directory()
        if key in (e.id.casefold(), e.person.callsign.casefold(), e.person.name.casefold())
    ]
    if len(found) != 1:
        known = ", ".join(e.label for e in session.people.directory()) or "nobody yet"
        raise InvalidInput(f"No single person is called '{wanted}' (known: {known}).")
    return found[0]


def cmd_channel_create(ctx: CommandContext) -> int:
    a = ctx.args
    with ctx.session() as session:
        members = tuple(_person(session, m) for m in a.member)
        channel_id = session.channels.create(
            a.name, ChannelKind(a.kind), a.description, a.sensitivity, members
        )
    ctx.out(f"Channel #{a.name.lstrip('#')} created ({channel_id})")
    return 0


def cmd_channel_list(ctx: CommandContext) -> int:
    with ctx.session() as session:
        views = session.channels.overview()
    if ctx.args.json:
        ctx.out_json(
            [
                {
                    "id": v.id,
                    **v.channel.as_json(),
                    "title": v.title,
                    "unread": v.unread,
                    "unread_urgent": v.unread_urgent,
                    "member_names": list(v.members),
                }
                for v in views
            ]
        )
        return 0
    for v in views:
        unread = f"{v.unread_text} unread" if v.unread else ""
        ctx.out(f"#{v.title:<20} {v.kind.value:<8} {unread:<12} {v.id}  {v.channel.description}")
    return 0


def cmd_channel_direct(ctx: CommandContext) -> int:
    with ctx.session() as session:
        channel_id = session.channels.direct(_person(session, ctx.args.person))
    ctx.out(channel_id)
    return 0


def cmd_message_send(ctx: CommandContext) -> int:
    from missiondesk.services.attachments import NewAttachment

    a = ctx.args
    files = list(dict.fromkeys(NewAttachment.read(path) for path in a.attach))  # once each
    with ctx.session() as session:
        message_id = session.messaging.send(
            a.channel, a.text, a.precedence, a.sensitivity, attachments=files
        )
    extra = f" with {len(files)} attachment{'s' if len(files) != 1 else ''}" if files else ""
    ctx.out(f"Sent {a.precedence.value.upper()} message {message_id}{extra}")
    return 0


def cmd_message_show(ctx: CommandContext) -> int:
    with ctx.session() as session:
        found = session.messaging.views_of([ctx.args.message_id])
    if not found:
        raise InvalidInput(f"There is no message with id {ctx.args.message_id}.")
    v = found[0]
    if ctx.args.json:
        ctx.out_json(v.as_json())
        return 0
    ctx.out(f"{v.precedence.value.upper()}  {v.dtg}  {v.author_name} in #{v.channel}")
    ctx.out(f"Sensitivity: {v.sensitivity.label}")
    ctx.out(f"State: {v.state.value}" + (f" ({v.status_text})" if v.mine else ""))
    if v.needs_acknowledgement:
        ctx.out("Acknowledged by: " + (", ".join(v.acknowledged_by) or "nobody yet"))
        if v.awaiting:
            ctx.out("Waiting for: " + ", ".join(v.awaiting))
    for a in v.attachments:
        ctx.out(f"Attachment: {a.name} ({a.mime}, {a.size_text})  {a.id}")
    ctx.out("")
    ctx.out(v.text)
    return 0


def cmd_message_pending(ctx: CommandContext) -> int:
    with ctx.session() as session:
        views = session.messaging.waiting_for_my_ack()
    if ctx.args.json:
        ctx.out_json([v.as_json() for v in views])
        return 0
    for v in views:
        ctx.out(f"{v.dtg}  [{v.precedence.value.upper()}] #{v.channel}  {v.author_name}: {v.text}")
        ctx.out(f"    acknowledge with: missiondesk message ack {v.id}")
    if not views:
        ctx.out("Nothing waits for your acknowledgement.")
    return 0


def cmd_attachment_save(ctx: CommandContext) -> int:
    a = ctx.args
    target: Path = a.out
    if target.is_dir():
        raise InvalidInput(f"{target} is a folder; give the file name to write.")
    if not target.parent.is_dir():
        raise InvalidInput(f"The folder {target.parent} does not exist.")
    with ctx.session() as session:
        info = session.attachments.export(a.attachment_id, target)
    ctx.out(
        f"Saved {info.name} ({info.size_text}) to {target}. This copy is not encrypted; "
        f"it is {info.sensitivity.label}."
    )
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
        files = f"  [{len(v.attachments)} file(s)]" if v.attachments else ""
        text = one_line(v.text)
        ctx.out(f"{v.dtg}  #{v.channel}  {v.author_name}: {marker}{classification}{text}{files}")
    if not views:
        ctx.out("No messages.")
    return 0


def cmd_message_ack(ctx: CommandContext) -> int:
    with ctx.session() as session:
        session.messaging.acknowledge(ctx.args.message_id)
    ctx.out("Acknowledged.")
    return 0
