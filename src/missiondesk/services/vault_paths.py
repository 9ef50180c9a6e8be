"""Where the vault is, and whether there is one: answered before anything heavy loads."""

from __future__ import annotations

import os
from pathlib import Path

from missiondesk.domain.errors import UsageError
from missiondesk.store.layout import VaultLayout
from missiondesk.store.lock import check_free


def vault_exists(root: Path) -> bool:
    """A vault is there: the first run is not offered. Also a database whose key file is lost:
    its unlock says so, and a first run would only be refused (it never replaces one)."""
    layout = VaultLayout(root)
    return layout.exists() or layout.key_lost()


def require_vault_free(root: Path) -> None:
    """Refuse at once (VaultInUse, an AccessDenied) when another window or process has the
    vault open, as unlocking it would."""
    check_free(VaultLayout(root).lock_file)


def default_vault_dir(data_dir: Path) -> Path:
    return data_dir / "vault"


def resolve_vault_dir(explicit: str | None, data_dir: Path) -> Path:
    """--vault wins, then MISSIONDESK_VAULT (which portable mode clears), then the data
    directory's vault folder."""
    if explicit is not None and not explicit.strip():
        raise UsageError("--vault was empty: give the vault's folder (or leave --vault out).")
    chosen = explicit or os.environ.get("MISSIONDESK_VAULT", "").strip()  # set but empty: unset
    return Path(chosen).expanduser().resolve() if chosen else default_vault_dir(data_dir)
