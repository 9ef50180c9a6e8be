"""Another process holding a vault open, for tests of the lock."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def held_by_another_process(vault: Path, passphrase: str) -> Iterator[None]:
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(f"""
            import sys
            from missiondesk.services.vault_access import unlock_vault
            s = unlock_vault({str(vault)!r}, {passphrase!r})
            print("ready", flush=True)
            sys.stdin.readline()
            s.close()
        """),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "ready"
        yield
    finally:
        holder.communicate("done\n", timeout=30)
