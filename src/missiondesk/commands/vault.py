"""init, passphrase change, status, ops verify, audit verify/list."""

from __future__ import annotations

import argparse
from pathlib import Path

from missiondesk.commands.context import (
    NEW_PASSPHRASE_ENV,
    PASSPHRASE_ENV,
    CommandContext,
    read_passphrase,
)
from missiondesk.domain.errors import InvalidInput
from missiondesk.domain.hlc import to_datetime
from missiondesk.domain.ids import fingerprint


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("init", help="create a new vault for this laptop")
    p.add_argument("--name", required=True, help="your full name")
    p.add_argument("--callsign", default="", help="your callsign, e.g. ALPHA-1")
    p.add_argument(
        "--package", type=Path, help="set the laptop up from the mission authority's package"
    )
    p.add_argument("--code", help="with --package: the mission code; refused if it differs")
    p.set_defaults(handler=cmd_init)

    p = sub.add_parser("passphrase", help="change the vault passphrase")
    psub = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    psub.add_parser("change", help="rewrap the vault key under a new passphrase").set_defaults(
        handler=cmd_passphrase_change
    )

    p = sub.add_parser("status", help="what this vault holds and who this device is")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(handler=cmd_status)

    p = sub.add_parser("ops", help="the signed operation log")
    osub = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    osub.add_parser("verify", help="check every signature and hash link").set_defaults(
        handler=cmd_ops_verify
    )

    p = sub.add_parser("audit", help="the audit log of security events")
    asub = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    asub.add_parser("verify", help="check the audit log's hash chain").set_defaults(
        handler=cmd_audit_verify
    )
    lp = asub.add_parser("list", help="show the audit log")
    lp.add_argument("--json", action="store_true", help="machine-readable output")
    lp.set_defaults(handler=cmd_audit_list)


def cmd_init(ctx: CommandContext) -> int:
    from missiondesk.services.vault_access import create_vault

    args = ctx.args
    if args.code and not args.package:
        raise InvalidInput("--code goes with --package (the mission code of the package).")
    package = None
    if args.package is not None:  # checked before the vault is made: a bad one leaves nothing
        from missiondesk.services.mission_package import read_package

        package = read_package(args.package)
    passphrase = read_passphrase(PASSPHRASE_ENV, "New vault passphrase: ", confirm=True)
    if package is not None:
        from missiondesk.services.mission_package import check_code

        check_code(package, args.code)
    session = create_vault(ctx.vault_dir, passphrase, name=args.name, callsign=args.callsign)
    try:
        ctx.out(f"Vault created at {ctx.vault_dir}")
        ctx.out(f"Device fingerprint: {fingerprint(session.device_id)}")
        if package is not None:
            from missiondesk.commands.mission_package import report_import

            report_import(ctx, session.packages.import_(package, expect_code=args.code))
    finally:
        session.close()
    return 0


def cmd_passphrase_change(ctx: CommandContext) -> int:
    from missiondesk.services.vault_access import change_passphrase

    current = read_passphrase(PASSPHRASE_ENV, "Current passphrase: ")
    with ctx.session(current) as session:
        new = read_passphrase(NEW_PASSPHRASE_ENV, "New passphrase: ", confirm=True)
        change_passphrase(session, current, new)
    ctx.out("Passphrase changed. The vault's data was not re-encrypted; its key was rewrapped.")
    return 0


def cmd_status(ctx: CommandContext) -> int:
    with ctx.session() as session:
        me = session.people.me()
        reads = session.vault.reads
        status = {
            "vault": str(ctx.vault_dir),
            "device_id": session.device_id,
            "fingerprint": fingerprint(session.device_id),
            "name": me.name if me else "",
            "callsign": me.callsign if me else "",
            "schema_version": session.vault.schema_version,
            "operations": session.vault.oplog.count(),
            "last_change": to_datetime(session.clock.last).isoformat()
            if session.clock.last
            else None,
            "channels": reads.count("channel"),
            "messages": reads.count("message"),
            "incidents": reads.count("incident"),
        }
    if ctx.args.json:
        ctx.out_json(status)
    else:
        width = max(len(k) for k in status)
        for key, value in status.items():
            ctx.out(f"{key.replace('_', ' '):<{width}}  {value}")
    return 0


def cmd_ops_verify(ctx: CommandContext) -> int:
    with ctx.session() as session:
        report = session.verify_operations()
    if report.ok:
        ctx.out(
            f"OK: {report.operations} operations from {report.authors} device(s); every "
            "signature and hash link checks out."
        )
        return 0
    for line in report.problems:
        ctx.out(f"FAIL {line}")
    raise InvalidInput(
        f"Verification failed: {len(report.problems)} problem(s) in {report.operations} operations."
    )


def cmd_audit_verify(ctx: CommandContext) -> int:
    with ctx.session() as session:
        report = session.audit.verify()
    if report.ok:
        ctx.out(f"OK: {report.entries} audit entries, chain intact.")
        return 0
    for line in report.problems:
        ctx.out(f"FAIL {line}")
    raise InvalidInput(f"The audit log has been tampered with: {len(report.problems)} problem(s).")


def cmd_audit_list(ctx: CommandContext) -> int:
    with ctx.session() as session:
        entries = session.audit.entries()
    if ctx.args.json:
        ctx.out_json(
            [{"seq": e.seq, "at": e.at, "event": e.event, "detail": e.detail} for e in entries]
        )
    else:
        for e in entries:
            detail = "" if e.detail == "{}" else f"  {e.detail}"
            ctx.out(f"{e.seq:>5}  {e.at}  {e.event}{detail}")
    return 0
