"""Full-text search across records, with results that say what and where they are."""

from __future__ import annotations

from dataclasses import dataclass

from missiondesk.domain.dtg import format_dtg
from missiondesk.domain.hlc import to_datetime
from missiondesk.store.vault import Vault


@dataclass(frozen=True)
class SearchResult:
    type: str
    id: str
    title: str
    snippet: str
    hlc: int

    @property
    def dtg(self) -> str:
        return format_dtg(to_datetime(self.hlc))

    def as_json(self) -> dict[str, object]:
        return {
            "type": self.type,
            "id": self.id,
            "title": self.title,
            "snippet": self.snippet,
            "time": to_datetime(self.hlc).isoformat(),
            "dtg": self.dtg,
        }


class SearchService:
    def __init__(self, vault: Vault) -> None:
        self._vault = vault

    def search(self, text: str, limit: int = 50) -> list[SearchResult]:
        hits = self._vault.reads.search(text, limit=limit)
        channel_names: dict[str, str] = {}
        results = []
        for hit in hits:
            title = hit.title
            if hit.type == "message":
                channel_id = str(hit.doc.get("channel", ""))
                if channel_id not in channel_names:
                    channel = self._vault.reads.get(channel_id)
                    channel_names[channel_id] = (
                        str(channel.doc.get("name", "?")) if channel else "?"
                    )
                title = f"#{channel_names[channel_id]}"
            results.append(SearchResult(hit.type, hit.id, title, hit.snippet, hit.created_hlc))
        return results
