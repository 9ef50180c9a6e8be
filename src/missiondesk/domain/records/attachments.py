"""Attachments: files kept encrypted inside the vault."""

from __future__ import annotations

from pydantic import Field

from missiondesk.domain.record_enums import MAX_ATTACHMENT_BYTES
from missiondesk.domain.records.base import Record


class Attachment(Record):
    name: str = Field(min_length=1, max_length=255)
    mime: str = Field(default="application/octet-stream", max_length=127)
    size: int = Field(ge=0, le=MAX_ATTACHMENT_BYTES)
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")


__all__ = ["MAX_ATTACHMENT_BYTES", "Attachment"]
