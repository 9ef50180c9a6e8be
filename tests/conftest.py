"""Shared fixtures: real SQLCipher vaults in temp folders, with a light Argon2id where the test is
not about the key derivation itself (the CLI tests use the real default parameters)."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before anything imports Qt

from collections.abc import Iterator
from pathlib import Path

import pytest

from missiondesk.crypto.keywrap import KdfParams
from missiondesk.services.session import Session
from missiondesk.services.vault_access import create_vault

FAST_KDF = KdfParams(memory_kib=8192, iterations=1, lanes=1)
PASSPHRASE = "correct horse battery staple"


@pytest.fixture
def vault_dir(tmp_path: Path) -> Path:
    return tmp_path / "vault"


@pytest.fixture
def session(vault_dir: Path) -> Iterator[Session]:
    s = create_vault(vault_dir, PASSPHRASE, name="Anna Berg", callsign="ALPHA-1", kdf=FAST_KDF)
    try:
        yield s
    finally:
        s.close()


@pytest.fixture
def make_session(tmp_path: Path) -> Iterator[object]:
    """Factory for more vaults (other devices) in the same test."""
    made: list[Session] = []

    def make(name: str = "Ben Okafor", callsign: str = "BRAVO-2") -> Session:
        s = create_vault(
            tmp_path / f"vault-{len(made)}", PASSPHRASE, name=name, callsign=callsign, kdf=FAST_KDF
        )
        made.append(s)
        return s

    yield make
    for s in made:
        s.close()
