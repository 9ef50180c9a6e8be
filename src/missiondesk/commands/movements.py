"""movement plan/checkin/arrive/revise/cancel/status, alert list/ack/panic, and watch (one tick)."""

from __future__ import annotations

import argparse
from datetime import datetime
from typing import TYPE_CHECKING

from missiondesk.commands import arguments
from missiondesk.commands.context import CommandContext
from missiondesk.domain.dtg import format_dtg
from missiondesk.domain.errors import InvalidInput

if TYPE_CHECKING:
    from missiondesk.services.alert_views import AlertView
    from missiondesk.services.movements import MovementView


def minutes(text: str) -> int:
    """Minutes, 0 or more (the escalation steps may be at the due time itself)."""
    if text.strip().isdecimal():
        return int(text)
    raise InvalidInput(f"'{text}' is not a number of minutes (0 or more).")


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    _register_movement(sub)
    _register_alerts(sub)


def _register_movement(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("movement", help="plan movements, check in, arrive; see what is overdue")
    msub = p.add_subparsers(dest="action", required=True, metavar="ACTION")

    pp = msub.add_parser("plan", help="plan a movement (its check-ins are due from departure)")
    pp.add_argument("--title", required=True)
    pp.add_argument("--person", action="append", required=True, metavar="WHO",
                    help="callsign, name or id of someone on it (repeatable)")  # fmt: skip
    pp.add_argument("--via", action="append", required=True, metavar="WAYPOINT",
                    help="a waypoint, in order: NAME or NAME=LOCATION (MGRS or lat, lon); "
                    "at least the start and the end")  # fmt: skip
    pp.add_argument("--vehicle", action="append", default=[], help="repeatable")
    pp.add_argument("--depart", type=arguments.dtg, default=None, help="DTG (default now)")
    pp.add_argument("--eta", type=arguments.dtg, required=True, help="DTG of arrival")
    pp.add_argument("--interval", type=arguments.positive, required=True, metavar="MIN",
                    help="minutes between check-ins")  # fmt: skip
    pp.add_argument("--warning-after", type=minutes, default=None, metavar="MIN",
                    help="minutes after a missed check-in's due time (default 0)")  # fmt: skip
    pp.add_argument("--alarm-after", type=minutes, default=None, metavar="MIN",
                    help="(default half the interval)")  # fmt: skip
    pp.add_argument("--flash-after", type=minutes, default=None, metavar="MIN",
                    help="(default the interval)")  # fmt: skip
    pp.add_argument("--sensitivity", type=arguments.sensitivity, default=None,
                    help="default confidential")  # fmt: skip
    pp.set_defaults(handler=cmd_movement_plan)

    cp = msub.add_parser("checkin", help="check in on a movement (now, or --at)")
    cp.add_argument("movement", help="its id or first characters")
    cp.add_argument("--position", default=None, help="MGRS or lat, lon")
    cp.add_argument("--note", default="")
    cp.add_argument("--at", type=arguments.dtg, default=None, help="DTG (default now)")
    cp.set_defaults(handler=cmd_movement_checkin)

    arp = msub.add_parser("arrive", help="the movement arrived: no more check-ins are due")
    arp.add_argument("movement")
    arp.add_argument("--position", default=None)
    arp.add_argument("--at", type=arguments.dtg, default=None)
    arp.set_defaults(handler=cmd_movement_arrive)

    rp = msub.add_parser("revise", help="change an active movement's ETA or check-in interval")
    rp.add_argument("movement", help="its id or first characters")
    rp.add_argument("--eta", type=arguments.dtg, default=None, help="the new ETA (DTG)")
    rp.add_argument("--interval", type=arguments.positive, default=None, metavar="MIN",
                    help="the new time between check-ins, in minutes")  # fmt: skip
    rp.set_defaults(handler=cmd_movement_revise)

    xp = msub.add_parser("cancel", help="cancel a planned movement")
    xp.add_argument("movement")
    xp.set_defaults(handler=cmd_movement_cancel)

    sp = msub.add_parser("status", help="active movements (or one), next check-in, escalation")
    sp.add_argument("movement", nargs="?", default=None)
    sp.add_argument("--json", action="store_true")
    sp.set_defaults(handler=cmd_movement_status)


def _register_alerts(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    ap = sub.add_parser("alert", help="escalation and panic alerts")
    asub = ap.add_subparsers(dest="action", required=True, metavar="ACTION")
    lp = asub.add_parser("list", help="alerts, the latest first")
    lp.add_argument("--open", action="store_true", help="only those not acknowledged")
    lp.add_argument("--json", action="store_true")
    lp.set_defaults(handler=cmd_alert_list)
    kp = asub.add_parser("ack", help="acknowledge an alert")
    kp.add_argument("alert", help="its id or first characters")
    kp.set_defaults(handler=cmd_alert_ack)
    pn = asub.add_parser("panic", help="FLASH to the mission: a person in danger")
    pn.add_argument("--person", default=None, help="who (default: this laptop's officer)")
    pn.add_argument("--position", default=None, help="default: the last check-in position")
    pn.add_argument("--note", default="")
    pn.add_argument("--json", action="store_true")
    pn.set_defaults(handler=cmd_alert_panic)

    wp = sub.add_parser("watch", help="raise what is due now (missed check-ins), once")
    wp.add_argument("--json", action="store_true")
    wp.set_defaults(handler=cmd_watch)


def _when(at: datetime | None) -> str:
    return format_dtg(at) if at else "-"


def _movement_line(v: MovementView) -> str:
    return (
        f"{v.id}  {v.state.value.upper():<13} next due {_when(v.next_due):<15} "
        f"last {_when(v.last_checkin):<15} {v.movement.title}  ({', '.join(v.people)})"
    )


def _alert_line(v: AlertView) -> str:
    a = v.alert
    where = f"  at {a.position.mgrs or f'{a.position.lat}, {a.position.lon}'}" if a.position else ""
    acked = f"  ack {a.acknowledged_by} {_when(a.acknowledged)}" if a.acknowledged else ""
    return (
        f"{v.id}  {a.precedence.value.upper():<9} {a.step.value:<7} to "
        f"{a.audience.value.replace('_', ' '):<12} {_when(a.raised)}  {a.text}{where}{acked}"
    )


def cmd_movement_plan(ctx: CommandContext) -> int:
    a = ctx.args
    with ctx.session() as session:
        extra = {"sensitivity": a.sensitivity} if a.sensitivity else {}
        movement_id = session.movements.plan(
            a.title, a.person, a.via, eta=a.eta, interval=a.interval, depart=a.depart,
            vehicles=a.vehicle, warning=a.warning_after, alarm=a.alarm_after,
            flash=a.flash_after, **extra,
        )  # fmt: skip
        view = session.movements.get(movement_id)
    ctx.out(f"Movement {movement_id} planned; first check-in due {_when(view.next_due)}.")
    return 0


def cmd_movement_checkin(ctx: CommandContext) -> int:
    a = ctx.args
    with ctx.session() as session:
        movement_id = session.movements.resolve_id(a.movement)
        done = session.movements.check_in(movement_id, a.position, a.note, a.at)
    ctx.out(f"Checked in on {movement_id} at {_when(done.at)}; "
            f"next due {_when(done.next_due)}.")  # fmt: skip
    return 0


def cmd_movement_arrive(ctx: CommandContext) -> int:
    a = ctx.args
    with ctx.session() as session:
        view = session.movements.arrive(session.movements.resolve_id(a.movement), a.position, a.at)
    ctx.out(f"Movement {view.id} arrived at {_when(view.movement.arrived)}.")
    return 0


def cmd_movement_revise(ctx: CommandContext) -> int:
    a = ctx.args
    with ctx.session() as session:
        movement_id = session.movements.resolve_id(a.movement)
        view = session.movements.revise(movement_id, eta=a.eta, interval=a.interval)
    m = view.movement
    ctx.out(f"Movement {view.id} revised: ETA {_when(m.eta)}, a check-in every "
            f"{m.interval} min; next due {_when(view.next_due)}.")  # fmt: skip
    return 0


def cmd_movement_cancel(ctx: CommandContext) -> int:
    with ctx.session() as session:
        view = session.movements.cancel(session.movements.resolve_id(ctx.args.movement))
    ctx.out(f"Movement {view.id} cancelled.")
    return 0


def cmd_movement_status(ctx: CommandContext) -> int:
    a = ctx.args
    with ctx.session() as session:
        if a.movement:
            views = [session.movements.get(session.movements.resolve_id(a.movement))]
        else:
            views = session.movements.active()
    if a.json:
        ctx.out_json([v.as_json() for v in views])
        return 0
    if not views:
        ctx.out("No active movement.")
    for v in views:
        ctx.out(_movement_line(v))
    return 0


def cmd_alert_list(ctx: CommandContext) -> int:
    with ctx.session() as session:
        views = session.alerts.list(open_only=ctx.args.open)
    if ctx.args.json:
        ctx.out_json([v.as_json() for v in views])
        return 0
    if not views:
        ctx.out("No alert.")
    for v in views:
        ctx.out(_alert_line(v))
    return 0


def cmd_alert_ack(ctx: CommandContext) -> int:
    with ctx.session() as session:
        view = session.alerts.acknowledge(session.alerts.resolve_id(ctx.args.alert))
    ctx.out(f"Alert {view.id} acknowledged by {view.alert.acknowledged_by}.")
    return 0


def cmd_alert_panic(ctx: CommandContext) -> int:
    a = ctx.args
    with ctx.session() as session:
        view = session.alerts.panic(a.person, a.position, a.note)
    if a.json:
        ctx.out_json(view.as_json())
        return 0
    ctx.out(f"FLASH panic alert {view.id} raised: {_alert_line(view)}")
    return 0


def cmd_watch(ctx: CommandContext) -> int:
    from missiondesk.services.alert_views import AlertView

    with ctx.session() as session:
        report = session.watch.tick()
    raised = [v for v in report.found.get("movements", ()) if isinstance(v, AlertView)]
    if ctx.args.json:
        ctx.out_json(
            {"now": report.now.isoformat(), "raised": [v.as_json() for v in raised],
             "errors": report.errors}
        )  # fmt: skip
        return 0
    ctx.out(f"{len(raised)} alert(s) raised at {_when(report.now)}.")
    for v in raised:
        ctx.out(_alert_line(v))
    for name, error in report.errors.items():
        ctx.out(f"{name}: {error}")
    return 0
