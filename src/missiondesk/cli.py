"""The `missiondesk` command: the same services as the desktop app, driven from a shell.

Exit codes: 0 ok, 1 unexpected internal error, 2 usage, 3 wrong passphrase or vault locked,
4 invalid input or failed verification, 5 vault missing or unreadable (or disk full).
No traceback reaches the user unless --debug asks for it.
"""

from __future__ import annotations

import argparse
import sys
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path

from missiondesk import __version__

EXIT_INTERNAL = 1


def data_dir() -> Path:
    import platformdirs

    return Path(platformdirs.user_data_dir("MissionDesk", appauthor=False))


def build_parser() -> argparse.ArgumentParser:
    from missiondesk.commands import (
        conflicts,
        incidents,
        messages,
        mission,
        reports,
        search,
        sync,
        vault,
    )

    parser = argparse.ArgumentParser(
        prog="missiondesk",
        description="Secure coordination for field missions. With no command, opens the "
        "desktop app.",
        epilog="Passphrases come from MISSIONDESK_PASSPHRASE or a prompt, never an argument. "
        "Exit codes: 0 ok, 2 usage, 3 wrong passphrase or vault locked, 4 invalid "
        "input or failed verification, 5 vault missing or unreadable.",
    )
    parser.add_argument("--version", action="version", version=f"MissionDesk {__version__}")
    parser.add_argument(
        "--vault",
        metavar="PATH",
        help="vault folder (default: MISSIONDESK_VAULT, then the platform's data folder)",
    )
    parser.add_argument("--debug", action="store_true", help="show tracebacks of unexpected errors")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in (vault, messages, incidents, reports, search, mission, conflicts):
        module.register(sub)
    sync.register_all(sub)
    return parser


def _fail(message: str, code: int) -> int:
    print(f"missiondesk: {message}", file=sys.stderr)
    return code


def main(argv: Sequence[str] | None = None) -> int:
    from missiondesk.diagnostics import configure_logging, disable_core_dumps

    disable_core_dumps()
    from missiondesk.domain.errors import MissionDeskError
    from missiondesk.services.vault_access import resolve_vault_dir
    from missiondesk.store.connection import DatabaseError, storage_error

    parser = build_parser()
    debug = "--debug" in (sys.argv[1:] if argv is None else argv)
    configure_logging(None, verbose=debug)
    try:
        args = parser.parse_args(argv)
        vault_dir = resolve_vault_dir(args.vault, data_dir())
        if args.command is None:
            from missiondesk.app import run_app

            return run_app(vault_dir, data_dir())
        from missiondesk.commands.context import CommandContext

        handler: Callable[[CommandContext], int] = args.handler
        return handler(CommandContext(args, vault_dir))
    except MissionDeskError as exc:
        return _fail(str(exc), int(exc.kind))
    except DatabaseError as exc:  # a read that met a damaged page after the vault opened
        translated = storage_error(exc)
        if isinstance(translated, MissionDeskError):
            return _fail(str(translated), int(translated.kind))
        return _fail("The vault database could not be read; it may be damaged.", 5)
    except KeyboardInterrupt:
        return _fail("interrupted; nothing half-done was saved.", 130)
    except Exception as exc:  # noqa: BLE001 - the last line of defence: no traceback at the user
        if debug:
            traceback.print_exc()
        return _fail(
            f"unexpected error ({type(exc).__name__}). Nothing was changed by the failed step. "
            "Run again with --debug to see details.",
            EXIT_INTERNAL,
        )
