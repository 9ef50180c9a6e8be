"""sync serve / now / status."""

from __future__ import annotations

import argparse
import signal
import sys
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from missiondesk.commands import arguments
from missiondesk.commands.context import CommandContext
from missiondesk.domain.dtg import format_dtg
from missiondesk.domain.errors import InvalidInput
from missiondesk.domain.ids import fingerprint

if TYPE_CHECKING:  # the sync engine (asyncio, TLS) is imported when a sync command runs
    from missiondesk.services.session import Session
    from missiondesk.services.sync_node import SyncNode
    from missiondesk.sync.session import SessionReport

T = TypeVar("T")


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("sync", help="exchange operations with peers over the network")
    ssub = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    sp = ssub.add_parser("serve", help="serve peers (a headless node or HQ relay) until Ctrl+C")
    sp.add_argument("--listen", required=True, metavar="HOST:PORT", help="e.g. 0.0.0.0:7447")
    sp.add_argument(
        "--timeout",
        type=arguments.positive,
        default=30,
        help="seconds a silent peer is given before it is dropped (default 30)",
    )
    sp.add_argument(
        "--no-announce", action="store_true", help="do not announce this node on the LAN (mDNS)"
    )
    sp.set_defaults(handler=cmd_sync_serve)
    np = ssub.add_parser("now", help="sync once with a peer")
    np.add_argument("--peer", required=True, metavar="HOST:PORT")
    np.add_argument(
        "--timeout",
        type=arguments.positive,
        default=30,
        help="seconds to wait for a silent peer (default 30)",
    )
    np.add_argument("--json", action="store_true")
    np.set_defaults(handler=cmd_sync_now)
    dp = ssub.add_parser("discover", help="find peers of this mission on the LAN (mDNS)")
    dp.add_argument("--seconds", type=arguments.positive, default=3)
    dp.add_argument("--json", action="store_true")
    dp.set_defaults(handler=cmd_sync_discover)
    tp = ssub.add_parser("status", help="peers, what they lack, devices held for review")
    tp.add_argument("--json", action="store_true")
    tp.set_defaults(handler=cmd_sync_status)


def register_all(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    register(sub)
    register_bundles(sub)


def _node(
    session: Session, db: ThreadPoolExecutor, report: Callable[[SessionReport], None] | None = None
) -> SyncNode:
    from missiondesk.services.sync_node import SyncNode

    return SyncNode(session.sync, db, report)


def _line(report: SessionReport) -> str:
    who = fingerprint(report.peer) if report.peer else "unknown peer"
    return f"{datetime.now(UTC):%H%M%SZ} {who}: {report.summary()}"


def _wait(future: Future[T], stop: list[int]) -> T | None:
    """The future's result, or None once a stop signal arrived (checked five times a second;
    a signal handler that only appends to a list cannot deadlock with the waiting thread)."""
    while not stop:
        try:
            return future.result(timeout=0.2)
        except TimeoutError:
            continue
    return None


def cmd_sync_serve(ctx: CommandContext) -> int:
    def report(r: SessionReport) -> None:
        print(_line(r), flush=True)

    stop: list[int] = []

    def on_signal(signum: int, frame: object) -> None:
        stop.append(signum)  # Ctrl+C and a service manager's SIGTERM stop alike

    previous = [(s, signal.signal(s, on_signal)) for s in (signal.SIGINT, signal.SIGTERM)]
    try:
        with (
            ctx.session() as session,
            ThreadPoolExecutor(1, thread_name_prefix="vault") as db,
            _node(session, db, report) as node,
        ):
            serving = node.serve(
                ctx.args.listen, timeout=ctx.args.timeout, announce=not ctx.args.no_announce
            )
            listening = _wait(serving.ready, stop)
            if listening is not None:
                print(f"Serving peers on {listening.address}. Press Ctrl+C to stop.", flush=True)
                if listening.note:
                    print(f"Note: {listening.note}.", file=sys.stderr, flush=True)
                _wait(serving.ended, stop)
    finally:
        for signum, handler in previous:
            signal.signal(signum, handler)
    print("Stopped.", file=sys.stderr)
    return 0


def cmd_sync_now(ctx: CommandContext) -> int:
    with (
        ctx.session() as session,
        ThreadPoolExecutor(1, thread_name_prefix="vault") as db,
        _node(session, db) as node,
    ):
        report = node.sync_with(ctx.args.peer, timeout=ctx.args.timeout).result()
        device = session.device_id
    if ctx.args.json:
        ctx.out_json(report.as_json())
    else:
        if not report.error:  # a failure is said once, on stderr, below
            ctx.out(_line(report))
        if device in report.held:
            ctx.out(
                "This laptop is held: the peer saw it sign two different operations with one"
                " number (a copied vault?). Its new work is not taken until the mission"
                " authority releases it (members release)."
            )
    if report.error:
        raise InvalidInput(f"Sync with {ctx.args.peer} failed: {report.error}")
    return 0


def cmd_sync_discover(ctx: CommandContext) -> int:
    with ctx.session() as session:
        peers = session.sync.discover(ctx.args.seconds)
    if ctx.args.json:
        ctx.out_json([{"device": p.device, "address": p.address} for p in peers])
        return 0
    for peer in peers:
        ctx.out(
            f"{fingerprint(peer.device)}  {peer.address}   sync with: missiondesk sync now "
            f"--peer {peer.address}"
        )
    if not peers:
        ctx.out("No peers of this mission announce themselves on this network.")
    return 0


def cmd_sync_status(ctx: CommandContext) -> int:
    with ctx.session() as session:
        status = session.sync.status()
    if ctx.args.json:
        ctx.out_json(status)
        return 0
    ctx.out(f"mission     {status['mission_name']} ({status['mission']})")
    ctx.out(f"operations  {status['operations']} from {status['authors']} device(s)")
    for peer in status["peers"]:
        seen = datetime.fromtimestamp(peer["last_seen"] / 1000, UTC)
        pending = peer["pending_for_peer"]
        where = f"at {peer['address']}" if peer["address"] else "(it called this laptop)"
        ctx.out(
            f"peer {fingerprint(peer['device'])} {where}: last seen "
            f"{format_dtg(seen)}, {peer['last_result']}; "
            f"{'?' if pending is None else pending} op(s) here it may lack"
        )
    for held in status["held"]:
        ctx.out(f"HELD {fingerprint(held['device'])}: {held['reason']} ({held['detail']})")
    return 0


def register_bundles(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("bundle", help="carry operations on a removable drive")
    bsub = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    ep = bsub.add_parser("export", help="write what the chosen members likely lack")
    ep.add_argument("--out", required=True, type=arguments.out_file)
    ep.add_argument(
        "--for",
        dest="recipients",
        action="append",
        default=[],
        metavar="DEVICE",
        help="a recipient (device id or callsign); repeat; default every member",
    )
    ep.add_argument("--json", action="store_true")
    ep.set_defaults(handler=cmd_bundle_export)
    ip = bsub.add_parser("import", help="import a bundle addressed to this laptop")
    ip.add_argument("file", type=Path)
    ip.add_argument(
        "--dry-run", action="store_true", help="show what would be added, change nothing"
    )
    ip.add_argument("--json", action="store_true")
    ip.set_defaults(handler=cmd_bundle_import)


def cmd_bundle_export(ctx: CommandContext) -> int:
    with ctx.session() as session:
        report = session.bundles.export(ctx.args.out, ctx.args.recipients)
    if ctx.args.json:
        ctx.out_json(report.as_json())
    else:
        names = ", ".join(fingerprint(r) for r in report.recipients)
        ctx.out(
            f"Bundle {report.bundle_id}: {report.operations} operation(s) for {names}, "
            f"written to {ctx.args.out} (encrypted; only those devices can open it)."
        )
    return 0


def cmd_bundle_import(ctx: CommandContext) -> int:
    with ctx.session() as session:
        report = session.bundles.import_(ctx.args.file, dry_run=ctx.args.dry_run)
    if ctx.args.json:
        ctx.out_json(report.as_json())
        return 0
    verb = "would add" if report.dry_run else "added"
    added = ", ".join(f"{n} {kind}" for kind, n in sorted(report.added.items())) or "nothing new"
    ctx.out(f"Bundle {report.bundle_id} from {fingerprint(report.sender)}: {verb} {added}.")
    if report.refused:
        ctx.out(f"Refused {report.refused} operation(s): {'; '.join(sorted(set(report.reasons)))}")
    return 0
