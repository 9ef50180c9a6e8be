"""The message being written when the vault locked: kept inside the vault (encrypted, never
synced, on this laptop only) and put back in the box when its channel is opened again.

A lock (Ctrl+L, the idle timer, a panic lock) closes every view; without this an auto-lock in
the middle of a long report threw the report away. One draft is kept: the box holds one.
Attachments chosen for it are not kept (they are files the officer can choose again).
"""

from __future__ import annotations

import json

from missiondesk.domain.markings import Precedence, Sensitivity
from missiondesk.domain.named_tuple import NamedTuple
from missiondesk.domain.record_enums import MAX_MESSAGE_TEXT
from missiondesk.store.vault import Vault

DRAFT_KEY = "draft.message"  # in the vault's own meta table: local, never an operation


class Draft(NamedTuple):
    channel: str
    text: str
    precedence: Precedence
    sensitivity: Sensitivity


class DraftService:
    def __init__(self, vault: Vault) -> None:
        self._vault = vault
        self._none_kept = False  # known empty: no read at each channel opened (only `keep` adds)

    def keep(self, draft: Draft) -> None:
        """Keep the unsent message (replacing any kept before)."""
        self._none_kept = False
        self._vault.set_meta(
            DRAFT_KEY,
            json.dumps(
                {
                    "channel": draft.channel,
                    "text": draft.text[:MAX_MESSAGE_TEXT],
                    "precedence": draft.precedence.value,
                    "sensitivity": draft.sensitivity.value,
                }
            ),
        )

    def take(self, channel: str) -> Draft | None:
        """The draft kept for `channel`, handed over once (it is then no longer kept)."""
        if self._none_kept:
            return None
        raw = self._vault.get_meta(DRAFT_KEY)
        if not raw:
            self._none_kept = True
            return None
        try:
            data = json.loads(raw)
            draft = Draft(
                str(data["channel"]),
                str(data["text"]),
                Precedence(data["precedence"]),
                Sensitivity(data["sensitivity"]),
            )
        except (ValueError, KeyError, TypeError):  # unreadable: not worth keeping
            self._vault.delete_meta(DRAFT_KEY)
            self._none_kept = True
            return None
        if draft.channel != channel:
            return None
        self._vault.delete_meta(DRAFT_KEY)
        self._none_kept = True
        return draft
