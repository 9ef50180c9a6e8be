"""`missiondesk --self-test`: does this installation work? One line, exit 0 or the failed step.

Steps, in order: resources (icons, basemap), vault (created in a temporary folder with a light
Argon2id, a canary message written), cipher (no SQLite header, a wrong key fails), signatures,
sealing, Qt offscreen (or the platform `QT_QPA_PLATFORM` names), main window (built over the
vault, every section shown, drawn into an image in memory). Then the canary is looked for in
every file of the temporary folder, which is removed whatever happened.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from missiondesk import __version__

EXIT_FAILED = 1


def run_self_test(*, debug: bool = False) -> int:
    if not os.environ.get("QT_QPA_PLATFORM"):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    started = time.perf_counter()
    folder = Path(tempfile.mkdtemp(prefix="missiondesk-self-test-"))
    passed: list[str] = []
    step = "start"

    def run(name: str, check: Callable[[], object]) -> None:
        nonlocal step
        step = name
        check()
        passed.append(name)

    try:
        from missiondesk.services import self_test as checks

        vault = checks.SelfTestVault(folder)
        run("resources", checks.check_resources)
        run("vault", vault.create)
        run("cipher", lambda: checks.check_cipher(vault))
        run("signatures", checks.check_signatures)
        run("sealing", checks.check_sealing)
        from missiondesk.ui import self_test as qt_checks

        platform = ""

        def start_qt() -> None:
            nonlocal platform
            platform = qt_checks.start_qt()

        run("Qt", start_qt)
        passed[-1] = f"Qt {platform}"
        run("main window", lambda: qt_checks.render_main_window(vault.unlock()))
        run("no plaintext on disk", lambda: checks.check_no_plaintext(folder, vault.canary))
    except Exception as exc:  # noqa: BLE001 - the report names the step; no traceback
        if debug:
            import traceback

            traceback.print_exc()
        print(f"self-test FAILED at {step}: {_reason(exc)}", file=sys.stderr)
        return EXIT_FAILED
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    seconds = time.perf_counter() - started
    print(f"MissionDesk {__version__} self-test: ok ({', '.join(passed)}) in {seconds:.1f} s")
    return 0


def _reason(exc: Exception) -> str:
    from missiondesk.domain.errors import MissionDeskError

    if isinstance(exc, MissionDeskError):
        return exc.message
    text = str(exc).splitlines()[0] if str(exc) else ""
    name = type(exc).__name__
    if name == "SelfTestFailure":
        return text
    return f"{name}: {text}" if text else name
