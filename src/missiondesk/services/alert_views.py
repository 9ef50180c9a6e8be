"""An alert as the screens and the command line show it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from missiondesk.domain.records.alerts import Alert


@dataclass(frozen=True)
class AlertView:
    id: str
    alert: Alert
    people: tuple[str, ...]  # callsigns (else names) of the people concerned

    @property
    def open(self) -> bool:
        return self.alert.acknowledged is None

    def as_json(self) -> dict[str, Any]:
        return {"id": self.id, **self.alert.model_dump(mode="json"), "labels": list(self.people)}
