"""Attachments: files of any type kept encrypted inside the vault, never as plaintext on disk.

A file travels as an `attachment.create` operation whose body carries its bytes (base64) and
whose fields carry its name, type, size and SHA-256; the store keeps the bytes once in `blobs`.
Reading one returns the bytes in memory (previews are drawn from memory). "Save as" is the only
way a file leaves the vault decrypted: an explicit export, recorded in the audit log.
"""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

from missiondesk.domain.cards import AttachmentCard
from missiondesk.domain.digest import sha256
from missiondesk.domain.errors import InvalidInput
from missiondesk.domain.ids import uuid7
from missiondesk.domain.markings import Sensitivity
from missiondesk.domain.named_tuple import NamedTuple
from missiondesk.domain.record_enums import MAX_ATTACHMENT_BYTES
from missiondesk.services.audit import AuditEvent, AuditService
from missiondesk.services.records import RecordService, type_name, validate
from missiondesk.services.writer import Change
from missiondesk.store.atomic import write_atomically
from missiondesk.store.vault import Vault

MAX_NAME = 255
# What a preview can draw: a picture, or text.
IMAGE_TYPES = frozenset({"image/png", "image/jpeg", "image/gif", "image/bmp", "image/webp"})
_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF8", "image/gif"),
    (b"BM", "image/bmp"),
    (b"%PDF-", "application/pdf"),
)


NAME_CHARACTERS = 40  # a file's name on a button or chip, shortened in the middle beyond this


def short_name(name: str, limit: int = NAME_CHARACTERS) -> str:
    """`name` shortened in its middle, so its start and its extension stay readable."""
    if len(name) <= limit:
        return name
    keep = limit - 1
    return name[: keep - keep // 3] + "…" + name[len(name) - keep // 3 :]


def _size_text(size: int) -> str:
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size / (1024 * 1024):.1f} MB"


def too_large(name: str, size: int) -> str:
    """Why a file is refused for its size; in bytes when the rounded sizes would read the same."""
    shown, limit = _size_text(size), _size_text(MAX_ATTACHMENT_BYTES)
    if shown == limit:
        shown, limit = f"{size:,} bytes", f"{MAX_ATTACHMENT_BYTES:,} bytes"
    return f"{name} is {shown}; attachments may be at most {limit}."


def guess_type(name: str, data: bytes) -> str:
    """The file's type from its first bytes, else from its name."""
    for magic, mime in _SIGNATURES:
        if data.startswith(magic):
            return mime
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    import mimetypes  # for attaching only

    guessed, _ = mimetypes.guess_type(name, strict=False)
    return guessed or "application/octet-stream"


class AttachmentInfo(NamedTuple):
    id: str
    name: str
    mime: str
    size: int
    sensitivity: Sensitivity

    @property
    def size_text(self) -> str:
        return _size_text(self.size)

    @property
    def is_image(self) -> bool:
        return self.mime in IMAGE_TYPES

    @property
    def is_text(self) -> bool:
        return self.mime.startswith("text/") or self.mime in (
            "application/json",
            "application/xml",
            "application/geo+json",
        )

    def as_json(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "type": self.mime, "size": self.size}


class NewAttachment(NamedTuple):
    """A file chosen for a message that is not sent yet: held in memory only."""

    name: str
    mime: str
    data: bytes = b""

    @property
    def size(self) -> int:
        return len(self.data)

    @property
    def size_text(self) -> str:
        return _size_text(self.size)

    @classmethod
    def of(cls, name: str, data: bytes) -> NewAttachment:
        clean = Path(name).name.strip() or "attachment"
        if len(data) > MAX_ATTACHMENT_BYTES:
            raise InvalidInput(too_large(clean, len(data)))
        return cls(clean[-MAX_NAME:], guess_type(clean, data), data)

    @classmethod
    def read(cls, path: Path) -> NewAttachment:
        """Read a file to attach, with a clear refusal for a folder, a missing or huge file."""
        try:
            if path.is_dir():
                raise InvalidInput(f"{path.name} is a folder; attach the files inside it.")
            size = path.stat().st_size
            if size > MAX_ATTACHMENT_BYTES:
                raise InvalidInput(too_large(path.name, size))
            data = path.read_bytes()
        except FileNotFoundError:
            raise InvalidInput(f"{path} does not exist.") from None
        except PermissionError:
            raise InvalidInput(f"{path.name} cannot be read: permission denied.") from None
        except OSError as exc:
            raise InvalidInput(f"{path.name} cannot be read ({exc.strerror}).") from None
        return cls.of(path.name, data)


def _info(entity_id: str, attachment: AttachmentCard) -> AttachmentInfo:
    return AttachmentInfo(
        entity_id, attachment.name, attachment.mime, attachment.size, attachment.sensitivity
    )


class AttachmentService:
    def __init__(self, vault: Vault, records: RecordService, audit: AuditService) -> None:
        self._vault = vault
        self._records = records
        self._audit = audit

    def change_for(self, new: NewAttachment, sensitivity: Sensitivity) -> tuple[str, Change]:
        """The operation that stores `new` (to submit with the message that carries it)."""
        from missiondesk.domain.records.attachments import Attachment  # pydantic: for writes

        attachment = validate(
            Attachment,
            {
                "name": new.name,
                "mime": new.mime,
                "size": new.size,
                "sha256": sha256(new.data).hex(),
                "sensitivity": sensitivity,
            },
        )
        entity = uuid7()
        body = {
            "fields": attachment.model_dump(mode="json"),
            "data": base64.b64encode(new.data).decode("ascii"),
        }
        return entity, (f"{type_name(Attachment)}.create", entity, body)

    def info(self, ids: tuple[str, ...] | list[str]) -> list[AttachmentInfo]:
        """What the listed attachments are; ones not (yet) in this vault are left out."""
        found = []
        for entity_id in ids:
            card = self._records.card("attachment", entity_id, AttachmentCard.from_doc)
            if card is not None:
                found.append(_info(entity_id, card))
        return found

    def _require(self, attachment_id: str) -> AttachmentCard:
        card = self._records.card("attachment", attachment_id, AttachmentCard.from_doc)
        if card is None:
            raise InvalidInput(f"There is no attachment with id {attachment_id}.")
        return card

    def content(self, attachment_id: str) -> tuple[AttachmentInfo, bytes]:
        """The attachment and its bytes, checked against the SHA-256 it was sent with."""
        attachment = self._require(attachment_id)
        data = self._vault.reads.blob(attachment.sha256)
        if data is None:
            raise InvalidInput(f"The content of {attachment.name} has not arrived yet.")
        if sha256(data).hex() != attachment.sha256:
            raise InvalidInput(f"The content of {attachment.name} is damaged in this vault.")
        return _info(attachment_id, attachment), data

    def export(self, attachment_id: str, destination: Path) -> AttachmentInfo:
        """Save a decrypted copy where the officer chose; recorded in the audit log."""
        if destination.is_dir():
            raise InvalidInput(f"{destination} is a folder; give a file name.")
        info, data = self.content(attachment_id)
        write_atomically(destination, data)
        self._audit.record(
            AuditEvent.EXPORTED,
            what="attachment",
            id=attachment_id,
            bytes=info.size,
            sensitivity=info.sensitivity.value,
        )
        return info
