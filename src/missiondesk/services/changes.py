"""A typed event feed of ChangeSets: how views learn what to refresh, without imports upward."""

from __future__ import annotations

import logging
from collections.abc import Callable

from missiondesk.domain.changeset import ChangeSet

log = logging.getLogger(__name__)
Listener = Callable[[ChangeSet], None]


class ChangeFeed:
    def __init__(self) -> None:
        self._listeners: list[Listener] = []

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener)

    def publish(self, changes: ChangeSet) -> None:
        if changes.is_empty:
            return
        for listener in list(self._listeners):
            try:
                listener(changes)
            except Exception:  # a broken view must not undo a committed change
                log.exception("a change listener failed")
