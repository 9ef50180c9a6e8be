"""report increp / sitrep / medevac."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from missiondesk.commands import arguments
from missiondesk.commands.context import CommandContext
from missiondesk.commands.incident_options import add_filter_options, incident_status
from missiondesk.commands.terminal_text import visible
from missiondesk.domain.errors import InvalidInput
from missiondesk.domain.markings import Sensitivity


def _output(p: argparse.ArgumentParser) -> None:
    p.add_argument("--format", choices=("text", "pdf"), type=str.lower,
                   help="of the file (--out)")  # fmt: skip
    p.add_argument("--out", metavar="FILE", type=arguments.out_file_or_dash,
                   help="where to write it; '-' prints a text report")  # fmt: skip
    p.add_argument("--send", metavar="CHANNEL",
                   help="also post its text to this channel, as a message that syncs")  # fmt: skip
    p.add_argument("--precedence", type=arguments.precedence, default=None,
                   help="of the message (default: MEDEVAC flash with urgent patients, else "
                   "immediate; INCREP priority; SITREP routine)")  # fmt: skip


def _check_output(args: argparse.Namespace) -> None:
    """Before any work: somewhere for the report to go, and a format for a file."""
    if args.out is None and args.send is None:
        raise InvalidInput("Say where the report goes: --out FILE (or -), --send CHANNEL, or both.")
    if args.out is not None and args.format is None:
        raise InvalidInput("Give the file's format: --format pdf or --format text.")
    if args.precedence is not None and args.send is None:
        raise InvalidInput("--precedence is the message's: give --send CHANNEL with it.")


def _codes(text: str) -> dict[str, int]:
    """``A=1,C=2`` as {"A": 1, "C": 2}."""
    found: dict[str, int] = {}
    for part in (p.strip() for p in text.split(",") if p.strip()):
        code, _, number = part.partition("=")
        if len(code.strip()) != 1 or not number.strip().isdecimal():
            raise InvalidInput(f"'{text}' is not a list of counts by letter; write e.g. A=1,C=2.")
        found[code.strip().upper()] = int(number)
    return found


def _letters(text: str) -> tuple[str, ...]:
    if text.strip().lower() in ("none", "nil", ""):
        return ()
    return tuple(p.strip().upper() for p in text.split(",") if p.strip())


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("report", help="INCREP, SITREP and 9-line MEDEVAC as text or PDF")
    rsub = p.add_subparsers(dest="action", required=True, metavar="REPORT")

    ip = rsub.add_parser("increp", help="the incident report of one incident")
    ip.add_argument("incident", help="the incident's id (or its first characters)")
    _output(ip)
    ip.set_defaults(handler=cmd_report_increp)

    sp = rsub.add_parser(
        "sitrep", help="situation report for a period and an area: incidents, movements, "
        "personnel and headcount, logistics, communications, assessment, next steps"
    )  # fmt: skip
    add_filter_options(sp, period_required=True)
    sp.add_argument("--status", action="append", default=[], type=incident_status,
                    help="statuses to include (default submitted, verified, closed)")  # fmt: skip
    sp.add_argument("--sensitivity", type=arguments.sensitivity,
                    help="mark it at least this level")  # fmt: skip
    for option, line, what in (
        ("--logistics", 10, "logistics: supplies, fuel, water, vehicles"),
        ("--communications", 11, "communications (this laptop's last syncs are added)"),
        ("--assessment", 12, "the assessment paragraph"),
        ("--next-steps", 13, "next steps: what is planned, what is asked for"),
    ):
        sp.add_argument(option, default="", metavar="TEXT", help=f"line {line}: {what}")
    _output(sp)
    sp.set_defaults(handler=cmd_report_sitrep)

    mp = rsub.add_parser("medevac", help="9-line MEDEVAC request")
    mp.add_argument("--incident", help="the incident it is about (location and sensitivity)")
    mp.add_argument("--location", help="line 1: pickup site (MGRS, lat,lon or DMS)")
    mp.add_argument("--frequency", required=True, help="line 2: radio frequency")
    mp.add_argument("--callsign", required=True, help="line 2: callsign and suffix")
    mp.add_argument("--patients", required=True, type=_codes, metavar="A=N,...",
                    help="line 3: by precedence A urgent, B urgent surgical, C priority, "
                    "D routine, E convenience")  # fmt: skip
    mp.add_argument("--equipment", type=_letters, default=("A",),
                    help="line 4: A none, B hoist, C extraction, D ventilator (A,B)")  # fmt: skip
    mp.add_argument("--litter", type=arguments.count, default=0, help="line 5: litter patients")
    mp.add_argument("--ambulatory", type=arguments.count, default=0,
                    help="line 5: ambulatory patients")  # fmt: skip
    mp.add_argument("--security", help="line 6: N, P, E or X")
    mp.add_argument("--peacetime", action="store_true",
                    help="peacetime lines 6 and 9: --wounds and --terrain")  # fmt: skip
    mp.add_argument("--wounds", default="", help="line 6 in peacetime")
    mp.add_argument("--marking", default="D", help="line 7: A panels, B pyro, C smoke, D none, "
                    "E other")  # fmt: skip
    mp.add_argument("--marking-detail", default="", help="e.g. 'green smoke'")
    mp.add_argument("--nationality", required=True, type=_codes, metavar="A=N,...",
                    help="line 8: A UN military, B UN civilian, C non-UN forces, "
                    "D non-UN civilian, E opposing forces/detainee, F child")  # fmt: skip
    mp.add_argument("--cbrn", type=_letters, default=(), help="line 9: C,B,R,N or none")
    mp.add_argument("--terrain", default="", help="line 9 in peacetime")
    mp.add_argument("--sensitivity", type=arguments.sensitivity)
    _output(mp)
    mp.set_defaults(handler=cmd_report_medevac)


def _emit(ctx: CommandContext, session: object, document: object) -> int:
    from missiondesk.reports.document import ReportDocument
    from missiondesk.services.reports import ReportFormat
    from missiondesk.services.session import Session

    assert isinstance(session, Session) and isinstance(document, ReportDocument)
    if ctx.args.send is not None:
        sent = session.reports.send(document, ctx.args.send, ctx.args.precedence)
        asked = " Acknowledgements are asked for." if sent.precedence.needs_acknowledgement else ""
        line = (
            f"Sent the {document.kind} to #{sent.channel} as {sent.precedence.value.upper()}, "
            f"marked {sent.sensitivity.label} (message {sent.message_id}).{asked}"
        )
        if ctx.args.out == "-":
            print(line, file=sys.stderr)  # standard output is the report's
        else:
            ctx.out(line)
    if ctx.args.out is None:
        return 0
    fmt = ReportFormat(ctx.args.format)
    if ctx.args.out == "-":
        if fmt is not ReportFormat.TEXT:
            raise InvalidInput("A PDF cannot be printed here; give --out FILE.")
        session.audit.record(
            "data.exported",
            what=f"report {document.kind}",
            format="text",
            to="standard output",
            sensitivity=Sensitivity.parse(document.marking).value,
        )
        print(visible(session.reports.render(document, fmt).decode()), end="")
        return 0
    written = session.reports.write(document, fmt, Path(ctx.args.out))
    ctx.out(
        f"Wrote the {written.kind} to {written.path} ({written.format.value}, {written.size} "
        f"bytes), marked {written.sensitivity.label}. The file is NOT encrypted; the export "
        "is recorded in the audit log."
    )
    return 0


def cmd_report_increp(ctx: CommandContext) -> int:
    _check_output(ctx.args)
    with ctx.session() as session:
        incident_id = session.incidents.resolve_id(ctx.args.incident)
        return _emit(ctx, session, session.reports.increp(incident_id))


def cmd_report_sitrep(ctx: CommandContext) -> int:
    _check_output(ctx.args)
    from missiondesk.services.reports import REPORTED_STATUSES

    a = ctx.args
    with ctx.session() as session:
        document, _ = session.reports.sitrep(
            a.start,
            a.end,
            area=a.area,
            grid=a.grid or "",
            statuses=tuple(a.status) or REPORTED_STATUSES,
            floor=a.sensitivity or Sensitivity.UNCLASSIFIED,
            assessment=a.assessment,
            logistics=a.logistics,
            communications=a.communications,
            next_steps=a.next_steps,
        )
        return _emit(ctx, session, document)


def cmd_report_medevac(ctx: CommandContext) -> int:
    _check_output(ctx.args)
    from missiondesk.domain.coordinates import parse_location
    from missiondesk.domain.medevac import MedevacRequest
    from missiondesk.services.records import validate_model

    a = ctx.args
    with ctx.session() as session:
        values: dict[str, object] = {
            "frequency": a.frequency,
            "callsign": a.callsign,
            "patients": a.patients,
            "equipment": a.equipment,
            "litter": a.litter,
            "ambulatory": a.ambulatory,
            "security": a.security.upper() if a.security else None,
            "wounds": a.wounds,
            "marking": a.marking.upper(),
            "marking_detail": a.marking_detail,
            "nationality": a.nationality,
            "cbrn": a.cbrn,
            "terrain": a.terrain,
            "peacetime": a.peacetime,
        }
        if a.incident:
            incident_id = session.incidents.resolve_id(a.incident)
            detail = session.incidents.get(incident_id)
            values["incident"] = incident_id
            values["sensitivity"] = detail.fields.get("sensitivity", "unclassified")
            if detail.fields.get("location") and not a.location:
                values["location"] = detail.fields["location"]
        if a.location:
            values["location"] = parse_location(a.location)
        if "location" not in values:
            raise InvalidInput("Line 1 needs the pickup site: give --location (or --incident).")
        if a.sensitivity is not None:
            values["sensitivity"] = a.sensitivity
        request = validate_model(MedevacRequest, values, "MEDEVAC request")
        return _emit(ctx, session, session.reports.medevac(request))
