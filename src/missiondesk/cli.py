"""The `missiondesk` command: the same services as the desktop app, driven from a shell.

Exit codes: 0 ok, 1 unexpected internal error, 2 usage, 3 wrong passphrase or vault locked,
4 invalid input or failed verification, 5 vault missing or unreadable (or disk full).
No traceback reaches the user unless --debug asks for it.
"""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NoReturn

from missiondesk import __version__

EXIT_INTERNAL = 1
EXIT_OUTPUT_CLOSED = 141  # as a shell reports a process ended by SIGPIPE (128 + 13)


def data_dir(portable: Path | None = None) -> Path:
    """The portable data folder when there is one, else the platform's data folder."""
    if portable is not None:
        return portable
    if sys.platform.startswith("linux"):
        # what platformdirs gives here (the XDG base directories), without loading it and its
        # regular expressions (~5 ms) before the unlock dialog
        base = os.environ.get("XDG_DATA_HOME", "").strip()
        return Path(base or os.path.expanduser("~/.local/share")) / "MissionDesk"
    import platformdirs

    return Path(platformdirs.user_data_dir("MissionDesk", appauthor=False))


class OneLineParser(argparse.ArgumentParser):
    """argparse, with its errors as the rest: one line on stderr starting `missiondesk:`, exit 2,
    and where the command's options are told (its usage block is `--help`'s)."""

    def error(self, message: str) -> NoReturn:
        from missiondesk.commands.terminal_text import visible  # the message quotes the typing

        print(f"missiondesk: {visible(message)} (see: {self.prog} --help)", file=sys.stderr)
        raise SystemExit(2)


def build_parser() -> argparse.ArgumentParser:
    from missiondesk.commands import (
        checklists,
        conflicts,
        features,
        headcount,
        incidents,
        layers,
        maps,
        messages,
        mission,
        movements,
        reports,
        roster,
        search,
        sync,
        vault,
    )

    parser: argparse.ArgumentParser = OneLineParser(  # its sub-commands are OneLineParsers too
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
    parser.add_argument(
        "--portable",
        metavar="DIR",
        help="portable mode: keep the vault, settings, logs and every file Qt and the desktop "
        "libraries would write in DIR, nothing on this computer (default: MISSIONDESK_PORTABLE, "
        "then a missiondesk-portable file beside the executable)",
    )
    parser.add_argument("--debug", action="store_true", help="show tracebacks of unexpected errors")
    parser.add_argument(
        "--self-test",
        action="store_true",
        help="check this installation (a temporary vault, the cipher, signatures, sealing, Qt "
        "offscreen, the main window) and print one line; exit 0 when it works",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in (vault, messages, incidents, reports, search, mission, conflicts, checklists):
        module.register(sub)
    maps.register(sub)
    layers.register(sub)
    features.register(sub)
    for module in (roster, movements, headcount):  # personnel protection
        module.register(sub)
    sync.register_all(sub)
    return parser


def desktop_options(argv: Sequence[str]) -> tuple[str | None, bool] | None:
    """(vault, debug) when argv holds only the global options, i.e. opens the desktop app.

    The app then starts without loading the command modules (and every service they use):
    the unlock dialog is on screen sooner. Anything else goes to the full parser."""
    vault: str | None = None
    debug = False
    items = list(argv)
    while items:
        item = items.pop(0)
        if item == "--debug":
            debug = True
        elif item == "--vault" and items and not items[0].startswith("-"):
            vault = items.pop(0)
        elif item.startswith("--vault=") and len(item) > len("--vault="):
            vault = item.partition("=")[2]
        else:
            return None
    return vault, debug


def portable_option(argv: Sequence[str]) -> tuple[str | None, list[str]]:
    """(DIR of --portable, the other arguments), --portable read among the global options that
    come before the command, so it takes effect before anything else loads."""
    items = list(argv)
    portable: str | None = None
    index = 0
    while index < len(items):
        item = items[index]
        if item == "--portable" or item.startswith("--portable="):
            value = item.partition("=")[2] if "=" in item else ""
            if item == "--portable" and index + 1 < len(items):
                value = items[index + 1]
                del items[index + 1]
            if not value or value.startswith("-"):
                raise _usage("--portable needs a folder: missiondesk --portable DIR [COMMAND ...]")
            portable = value
            del items[index]
        elif item in ("--debug", "--self-test") or item.startswith("--vault="):
            index += 1
        elif item == "--vault":
            index += 2
        else:
            break
    return portable, items


def _usage(message: str) -> Exception:
    from missiondesk.domain.errors import UsageError

    return UsageError(message)


def self_test_options(argv: Sequence[str]) -> bool | None:
    """debug when argv asks for the self-test alone (with --debug at most), else None."""
    items = list(argv)
    if "--self-test" not in items or not set(items) <= {"--self-test", "--debug"}:
        return None
    return "--debug" in items


def _database_failure(exc: Exception) -> int | None:
    """The exit code for a read that met a damaged page after the vault opened, else None."""
    if "sqlcipher3" not in sys.modules:  # no vault was opened: not a database error
        return None
    from missiondesk.domain.errors import MissionDeskError
    from missiondesk.store.connection import DatabaseError, storage_error

    if not isinstance(exc, DatabaseError):
        return None
    translated = storage_error(exc)
    if isinstance(translated, MissionDeskError):
        return _fail(str(translated), int(translated.kind))
    return _fail("The vault database could not be read; it may be damaged.", 5)


def _file_failure(exc: Exception) -> int | None:
    """The exit code for a file the command was given that the system refused, else None: a
    name too long or a folder missing is invalid input (4); the rest, unreadable (5)."""
    import errno

    if not isinstance(exc, OSError) or exc.filename is None:
        return None
    name = str(exc.filename)
    shown = name if len(name) <= 80 else name[:40] + "…" + name[-20:]
    reason = exc.strerror or type(exc).__name__
    invalid = exc.errno in (errno.ENAMETOOLONG, errno.ENOENT, errno.ENOTDIR, errno.EISDIR)
    return _fail(f"{shown}: {reason}.", 4 if invalid else 5)


def _fail(message: str, code: int) -> int:
    from missiondesk.commands.terminal_text import visible  # errors quote what was typed

    print(f"missiondesk: {visible(message)}", file=sys.stderr)
    return code


def main(argv: Sequence[str] | None = None) -> int:
    from missiondesk.diagnostics import (
        configure_logging,
        disable_core_dumps,
        refuse_validation_plugins,
    )

    disable_core_dumps()
    refuse_validation_plugins()
    from missiondesk.domain.errors import MissionDeskError, UsageError
    from missiondesk.services.portable import enter as enter_portable
    from missiondesk.services.portable import portable_data_dir
    from missiondesk.services.vault_paths import resolve_vault_dir

    arguments = sys.argv[1:] if argv is None else list(argv)
    debug = "--debug" in arguments
    configure_logging(None, verbose=debug)
    try:
        # Portable mode first: the environment it sets must be in place before Qt, fontconfig
        # or anything else that writes for the user loads (services/portable.py).
        explicit, arguments = portable_option(arguments)
        portable = portable_data_dir(
            explicit, os.environ, Path(sys.executable), getattr(sys, "frozen", False)
        )
        if portable is not None:
            enter_portable(portable)
        self_test = self_test_options(arguments)
        if self_test is not None:
            from missiondesk.commands.self_test import run_self_test

            return run_self_test(debug=self_test)
        folder = data_dir(portable)

        def desktop_app(vault: str | None) -> int:
            from missiondesk.app import run_app

            return run_app(resolve_vault_dir(vault, folder), folder, portable=portable is not None)

        desktop = desktop_options(arguments)
        if desktop is not None:
            return desktop_app(desktop[0])
        args = build_parser().parse_args(arguments)
        if args.self_test:
            raise UsageError("--self-test runs alone (with --debug at most); it takes no command.")
        if args.command is None:
            return desktop_app(args.vault)
        from missiondesk.commands.context import CommandContext

        handler: Callable[[CommandContext], int] = args.handler
        status = handler(CommandContext(args, resolve_vault_dir(args.vault, folder)))
        sys.stdout.flush()  # a reader that went away is told here, not at interpreter exit
        return status
    except BrokenPipeError:
        # The output was closed early (`missiondesk message list | head`): stop quietly, as
        # other command-line tools do. Commands print after their work is committed.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OUTPUT_CLOSED
    except MissionDeskError as exc:
        return _fail(str(exc), int(exc.kind))
    except KeyboardInterrupt:
        return _fail("interrupted; nothing half-done was saved.", 130)
    except Exception as exc:  # noqa: BLE001 - the last line of defence: no traceback at the user
        code = _database_failure(exc)
        if code is None:
            code = _file_failure(exc)
        if code is not None:
            return code
        if debug:
            traceback.print_exc()
        return _fail(
            f"unexpected error ({type(exc).__name__}). Nothing was changed by the failed step. "
            "Run again with --debug to see details.",
            EXIT_INTERNAL,
        )
