"""Test helpers: missions of real vaults, and nodes running `sync serve` as processes."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from missiondesk.domain.records.people import Role
from missiondesk.services.session import Session
from missiondesk.services.vault_access import create_vault, unlock_vault
from tests.conftest import FAST_KDF, PASSPHRASE

CALLSIGNS = ["HQ-1", "BRAVO-2", "CHARLIE-3", "DELTA-4", "ECHO-5"]


def env() -> dict[str, str]:
    e = {k: v for k, v in os.environ.items() if not k.startswith("MISSIONDESK_")}
    e["MISSIONDESK_PASSPHRASE"] = PASSPHRASE
    return e


def make_mission(
    root: Path,
    count: int,
    name: str = "Sector North",
    wall: Callable[[], int] | None = None,
    roles: dict[int, Role] | None = None,
) -> list[Path]:
    """`count` vaults in one mission: the first is the authority, the others enrolled by file
    (as officers, or the role `roles` gives their index)."""
    paths = [root / f"node{i}" for i in range(count)]
    extra: dict[str, Any] = {"wall": wall} if wall else {}
    authority = create_vault(
        paths[0],
        PASSPHRASE,
        name=f"Officer {CALLSIGNS[0]}",
        callsign=CALLSIGNS[0],
        kdf=FAST_KDF,
        **extra,
    )
    authority.mission.create(name)
    try:
        for i, path in enumerate(paths[1:], start=1):
            member = create_vault(
                path,
                PASSPHRASE,
                name=f"Officer {CALLSIGNS[i]}",
                callsign=CALLSIGNS[i],
                kdf=FAST_KDF,
                **extra,
            )
            request, _ = member.mission.request_enrollment()
            role = (roles or {}).get(i, Role.OFFICER)
            approval, _ = authority.mission.approve(request, role=role)
            member.mission.accept(approval)
            member.close()
    finally:
        authority.close()
    return paths


def open_node(path: Path) -> Session:
    return unlock_vault(path, PASSPHRASE)


def cli(path: Path, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [sys.executable, "-m", "missiondesk", "--vault", str(path), *args],
        env=env(),
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert "Traceback" not in done.stderr, done.stderr
    return done


class Server:
    """`missiondesk sync serve` in its own process, on a free loopback port."""

    def __init__(self, path: Path, timeout: int = 30, *, announce: bool = False) -> None:
        """`announce`: by mDNS on the LAN (registering takes about 2 s; only discovery needs it)."""
        self.path = path
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "missiondesk",
                "--vault",
                str(path),
                "sync",
                "serve",
                "--listen",
                "127.0.0.1:0",
                "--timeout",
                str(timeout),
                *([] if announce else ["--no-announce"]),
            ],
            env=env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        match = re.search(r"on 127\.0\.0\.1:(\d+)", line)
        assert match, (line, self.process.stderr.read() if self.process.poll() is not None else "")
        self.port = int(match.group(1))
        self.address = f"127.0.0.1:{self.port}"

    def stop(self, how: signal.Signals = signal.SIGINT) -> str:
        """Stop it (as Ctrl+C would, or with `how`) and return what it printed."""
        if self.process.poll() is None:
            self.process.send_signal(how)
            try:
                out, err = self.process.communicate(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                out, err = self.process.communicate()
        else:
            out, err = self.process.communicate()
        assert "Traceback" not in err, err
        return out

    def kill(self) -> None:
        self.process.kill()
        self.process.communicate()

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.process.poll() is None:
            self.stop()


def sync(client: Path, server: Server) -> dict[str, Any]:
    done = cli(client, "sync", "now", "--peer", server.address, "--json")
    report = json.loads(done.stdout) if done.stdout.strip().startswith("{") else {}
    report["returncode"] = done.returncode
    report["stderr"] = done.stderr
    return report


def pair(a: Path, b: Path) -> dict[str, Any]:
    """Sync a with b: b serves, a connects."""
    with Server(b) as server:
        return sync(a, server)
