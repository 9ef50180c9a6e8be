"""What every sub-command needs: the vault folder, the passphrase, an open session, output."""

from __future__ import annotations

import argparse
import contextlib
import getpass
import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from missiondesk.commands.terminal_text import visible
from missiondesk.domain.errors import InvalidInput, UsageError

if TYPE_CHECKING:  # the services load with the command that opens the vault
    from missiondesk.services.session import Session

PASSPHRASE_ENV = "MISSIONDESK_PASSPHRASE"  # noqa: S105 - a variable name, not a secret
NEW_PASSPHRASE_ENV = "MISSIONDESK_NEW_PASSPHRASE"  # noqa: S105


def read_passphrase(env: str, prompt: str, *, confirm: bool = False) -> str:
    """From the environment variable, else typed at a terminal (twice when `confirm`)."""
    value = os.environ.get(env)
    if value is not None:
        return value
    if not sys.stdin.isatty():
        raise UsageError(f"No passphrase: set {env} or run the command in a terminal.")
    first = getpass.getpass(prompt)
    if confirm and getpass.getpass("Repeat to confirm: ") != first:
        raise InvalidInput("The two passphrases differ; nothing was changed.")
    return first


class CommandContext:
    def __init__(self, args: argparse.Namespace, vault_dir: Path) -> None:
        self.args = args
        self.vault_dir = vault_dir

    @contextlib.contextmanager
    def session(self, passphrase: str | None = None) -> Iterator[Session]:
        if passphrase is None:
            if os.environ.get(PASSPHRASE_ENV) is None:  # it will be asked for: say it first
                from missiondesk.services.vault_paths import require_vault_free

                require_vault_free(self.vault_dir)
            passphrase = read_passphrase(PASSPHRASE_ENV, f"Passphrase for {self.vault_dir}: ")
        from missiondesk.services.vault_access import unlock_vault

        session = unlock_vault(self.vault_dir, passphrase)
        try:
            yield session
        finally:
            session.close()

    @staticmethod
    def out(text: str = "") -> None:
        """One line (or block) for the officer; control characters written out."""
        print(visible(text))

    @staticmethod
    def out_json(value: Any) -> None:
        print(json.dumps(value, indent=2, ensure_ascii=False))
