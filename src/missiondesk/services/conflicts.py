"""Reviewing and resolving concurrent edits that lost."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from missiondesk.domain.errors import InvalidInput
from missiondesk.domain.hlc import to_datetime
from missiondesk.domain.kinds import RECORD_TYPES
from missiondesk.services.people import PeopleService
from missiondesk.services.records import RecordService
from missiondesk.store.vault import Vault


@dataclass(frozen=True)
class ConflictView:
    id: str
    record_type: str
    entity: str
    title: str
    field: str
    current: Any
    current_by: str
    other: Any
    other_by: str
    other_at: str
    loser: tuple[int, str]

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "record_type": self.record_type,
            "entity": self.entity,
            "title": self.title,
            "field": self.field,
            "current": self.current,
            "current_by": self.current_by,
            "other": self.other,
            "other_by": self.other_by,
            "other_at": self.other_at,
        }


def conflict_id(entity: str, field: str, loser: tuple[int, str]) -> str:
    return hashlib.sha256(f"{entity}|{field}|{loser[0]}|{loser[1]}".encode()).hexdigest()[:10]


class ConflictService:
    def __init__(self, vault: Vault, records: RecordService, people: PeopleService) -> None:
        self._vault = vault
        self._records = records
        self._people = people

    def list(self) -> list[ConflictView]:
        views = []
        for conflict in self._vault.conflicts.all():
            stored = self._vault.reads.get(conflict.entity)
            if stored is None or stored.deleted:
                continue
            doc, clocks = stored.doc, stored.clocks or {}
            shown_by = clocks.get(conflict.field, [0, ""])[1]
            title = str(doc.get("title") or doc.get("name") or conflict.entity)
            views.append(
                ConflictView(
                    id=conflict_id(conflict.entity, conflict.field, conflict.loser),
                    record_type=stored.type,
                    entity=conflict.entity,
                    title=title,
                    field=conflict.field,
                    current=doc.get(conflict.field),
                    current_by=self._people.display_name(shown_by) if shown_by else "",
                    other=conflict.value,
                    other_by=self._people.display_name(conflict.loser[1]),
                    other_at=to_datetime(conflict.loser[0]).isoformat(timespec="seconds"),
                    loser=conflict.loser,
                )
            )
        return views

    def resolve(self, conflict: str, keep: str) -> ConflictView:
        """Keep the value shown now ('current') or the losing one ('other'); either way every
        losing write of that field is settled, and the choice syncs as an operation."""
        if keep not in ("current", "other"):
            raise InvalidInput("Choose --keep current or --keep other.")
        views = self.list()
        matches = [v for v in views if v.id.startswith(conflict.lower())]
        if len(matches) != 1:
            raise InvalidInput(f"No single conflict matches '{conflict}'; see 'conflicts list'.")
        view = matches[0]
        losers = [list(v.loser) for v in views if v.entity == view.entity and v.field == view.field]
        value = view.current if keep == "current" else view.other
        self._records.resolve(
            RECORD_TYPES[view.record_type], view.entity, view.field, value, losers
        )
        return view
