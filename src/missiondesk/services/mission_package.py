"""Mission packages: what the mission authority hands a new laptop so it is ready in a few clicks.

A package is a ZIP file: `manifest.json` (`domain/mission_package.Manifest`: the mission, its
authority's public key and CA certificate, and the records a new laptop starts with: incident
taxonomy, channels, checklist templates, map layers and overlays), `manifest.sig` (the
authority's Ed25519 signature over the manifest's bytes) and one file per map layer's content
(`layers/<id>.json` for an overlay's shapes, `layers/<id>.tiles` for an MBTiles layer's tiles),
each named in the manifest with its SHA-256. Reading a package checks the signature and every
file's checksum before anything is shown or written: a package changed after it was signed is
refused, whole.

Importing restates the package's records as this laptop's own operations, stamped with the
moment the package was made and naming, per field, the authority's write they restate (their
base). So a change the mission makes after the package was issued still wins everywhere, and
the restatements never show as conflicts. The laptop also keeps the mission's identity (its
authority key): an enrollment approval from any other authority is refused later.

The package is signed, not encrypted (the new laptop has no keys yet): it is an export, marked
with the highest sensitivity of what it carries.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import os
import struct
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from pydantic import ValidationError

from missiondesk.crypto.authority import b64, ca_public_key, unb64, verify_package
from missiondesk.domain.errors import InvalidInput, Unavailable
from missiondesk.domain.hlc import HybridClock, unpack
from missiondesk.domain.kinds import RECORD_TYPES
from missiondesk.domain.markings import Sensitivity
from missiondesk.domain.mission_package import (
    FORMAT,
    MANIFEST,
    PACKAGE_TYPES,
    SIGNATURE,
    Manifest,
    PackageFile,
    PackageMission,
    PackageRecord,
)
from missiondesk.domain.records.layers import LayerKind
from missiondesk.domain.records.messaging import ChannelKind
from missiondesk.domain.trust import mission_id_for
from missiondesk.domain.web_mercator import MAX_ZOOM
from missiondesk.services.audit import AuditEvent, AuditService
from missiondesk.services.mission import MissionService
from missiondesk.services.writer import OperationWriter
from missiondesk.store.connection import Connection
from missiondesk.store.layer_tiles import has_tiles, iter_tiles, write_tiles
from missiondesk.store.mbtiles import MAX_TILE_BYTES
from missiondesk.store.vault import Vault

SUFFIX = ".mission"
MAX_MANIFEST = 64 * 1024 * 1024
MAX_SIGNATURE = 1024
TILE = struct.Struct(">BIII")  # z, x, y (XYZ row), length of the image that follows
CHUNK = 1024 * 1024


class PackageRefused(InvalidInput):
    """A file that is not a mission package, or one changed after it was signed."""


def _refused(path: Path, problem: str) -> PackageRefused:
    return PackageRefused(f"{path.name} was not used: {problem}. Nothing was changed.")


def normalise_code(text: str) -> str:
    return "".join(ch for ch in text.upper() if ch.isalnum())


def check_code(package: MissionPackage, expect_code: str | None) -> None:
    """Refuse the package when the code the officer was given differs from its mission's."""
    code = package.mission.code
    if expect_code is not None and normalise_code(expect_code) != normalise_code(code):
        raise InvalidInput(
            f"The package's mission code is {code}, not {expect_code}: do not use it; ask the "
            "mission authority for the right package."
        )


@dataclass(frozen=True)
class MissionPackage:
    """A package whose signature and checksums were verified when it was read."""

    path: Path
    manifest: Manifest

    @property
    def mission(self) -> PackageMission:
        return self.manifest.mission

    def file(self, name: str) -> PackageFile:
        return next(f for f in self.manifest.files if f.name == name)

    def summary(self) -> str:
        m = self.manifest
        return (
            f"Mission {m.mission.name} (code {m.mission.code}), issued {m.issued}: "
            f"{m.contents()}. Marked {m.sensitivity.label}."
        )

    def as_json(self) -> dict[str, Any]:
        m = self.manifest
        return {
            "file": str(self.path),
            "mission": m.mission.name,
            "mission_id": m.mission.id,
            "code": m.mission.code,
            "issued": m.issued,
            "issued_by": m.issued_by,
            "sensitivity": m.sensitivity.value,
            "contents": dict(m.counts()),
            "channels": m.names_of("channel"),
            "checklist_templates": m.names_of("checklist_template"),
            "map_layers": m.names_of("map_layer"),
            "map_overlays": m.names_of("map_feature"),
            "size": sum(f.size for f in m.files),
        }


@dataclass(frozen=True)
class PackageImport:
    package: MissionPackage
    records: int
    tiles: int

    def as_json(self) -> dict[str, Any]:
        return {**self.package.as_json(), "records_written": self.records, "tiles": self.tiles}


@dataclass(frozen=True)
class PackageExport:
    package: MissionPackage
    skipped: tuple[str, ...]  # layers whose tiles this vault does not hold

    def as_json(self) -> dict[str, Any]:
        return {**self.package.as_json(), "skipped": list(self.skipped)}


# -- reading ---------------------------------------------------------------------------------


def _open_zip(path: Path) -> zipfile.ZipFile:
    if path.is_dir():
        raise _refused(path, "it is a folder, not a file")
    try:
        return zipfile.ZipFile(path)
    except FileNotFoundError:
        raise InvalidInput(f"{path} does not exist.") from None
    except PermissionError:
        raise _refused(path, "it cannot be read (permission denied)") from None
    except OSError as exc:
        raise Unavailable(f"Cannot read {path}: {exc.strerror or exc}.") from None
    except zipfile.BadZipFile:
        raise _refused(path, "it is not a MissionDesk mission package (not a ZIP file)") from None


def _read_member(zf: zipfile.ZipFile, name: str, limit: int, path: Path) -> bytes:
    try:
        info = zf.getinfo(name)
    except KeyError:
        raise _refused(path, f"it is not a MissionDesk mission package (no {name})") from None
    if info.file_size > limit:
        raise _refused(path, f"its {name} is too large")
    with zf.open(info) as member:
        data = member.read(limit + 1)
    if len(data) > limit:
        raise _refused(path, f"its {name} is too large")
    return data


def _check_record(record: PackageRecord, files: dict[str, PackageFile], path: Path) -> None:
    model = RECORD_TYPES[record.type]
    try:
        parsed = model.model_validate(record.fields)
    except ValidationError:
        raise _refused(path, f"its {record.type} record {record.id} is not valid") from None
    if record.type == "channel" and record.fields.get("kind") == ChannelKind.DIRECT.value:
        raise _refused(path, "it carries a direct channel, which is personal")
    if record.type == "map_layer":
        kind = getattr(parsed, "kind", None)
        wanted = ".tiles" if kind is LayerKind.TILES else ".json"
        if record.file != f"layers/{record.id}{wanted}" or record.file not in files:
            raise _refused(path, f"the content of its map layer {record.id} is missing")
    elif record.file is not None:
        raise _refused(path, f"its {record.type} record {record.id} names a file")


def _check_digest(listed: PackageFile, size: int, sha256: str, path: Path, since: str) -> None:
    """Refuse the package when a file's size or SHA-256 is not the one its manifest lists."""
    if size != listed.size or sha256 != listed.sha256:
        raise _refused(
            path, f"{listed.name} inside it was changed after it was {since} (checksum differs)"
        )


def _hash_member(zf: zipfile.ZipFile, listed: PackageFile, path: Path) -> None:
    digest = hashlib.sha256()
    size = 0
    with zf.open(listed.name) as member:
        while chunk := member.read(CHUNK):
            size += len(chunk)
            if size > listed.size:
                break
            digest.update(chunk)
    _check_digest(listed, size, digest.hexdigest(), path, "signed")


def read_package(path: Path) -> MissionPackage:
    """Open and verify a package: its signature, its manifest, and every file's checksum."""
    zf = _open_zip(path)
    try:
        with zf:
            raw = _read_member(zf, MANIFEST, MAX_MANIFEST, path)
            signature = _read_member(zf, SIGNATURE, MAX_SIGNATURE, path)
            try:
                data = json.loads(raw)
                key = unb64(data["mission"]["authority_key"])
                declared = data["format"]
            except (ValueError, KeyError, TypeError, RecursionError):
                raise _refused(path, "its manifest cannot be read") from None
            if declared != FORMAT:
                raise _refused(path, "it is not a MissionDesk mission package")
            if not verify_package(key, raw, signature):
                raise _refused(
                    path,
                    "its signature does not match its contents: it was changed after the "
                    "mission authority signed it",
                )
            try:
                manifest = Manifest.model_validate(data)
            except ValidationError:
                raise _refused(
                    path, "its manifest is not one this version of MissionDesk can read"
                ) from None
            mission = manifest.mission
            try:
                ca_ok = ca_public_key(mission.ca_certificate.encode()) == key
            except ValueError:
                ca_ok = False
            if mission_id_for(key) != mission.id or not ca_ok:
                raise _refused(path, "its mission does not match its authority's key")
            files = {f.name: f for f in manifest.files}
            present = {i.filename for i in zf.infolist()} - {MANIFEST, SIGNATURE}
            if present != set(files):
                raise _refused(path, "its files are not the ones its manifest lists")
            for record in manifest.records:
                _check_record(record, files, path)
            for listed in manifest.files:
                _hash_member(zf, listed, path)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError) as exc:
        if isinstance(exc, PackageRefused):
            raise
        raise _refused(path, "it is damaged (the ZIP file cannot be read)") from None
    return MissionPackage(path, manifest)


def _tiles_of(
    member: IO[bytes], listed: PackageFile, path: Path
) -> Iterator[tuple[int, int, int, bytes]]:
    """Yield (z, x, y, data) from a `.tiles` member, checking its checksum at the end (the
    caller's transaction rolls back when it raises)."""
    digest = hashlib.sha256()
    size = 0
    while True:
        head = member.read(TILE.size)
        if not head:
            break
        if len(head) != TILE.size:
            raise _refused(path, f"{listed.name} inside it is cut short")
        z, x, y, length = TILE.unpack(head)
        if z > MAX_ZOOM or length > MAX_TILE_BYTES or x >= 1 << z or y >= 1 << z:
            raise _refused(path, f"{listed.name} inside it holds a tile that cannot be")
        data = member.read(length)
        if len(data) != length:
            raise _refused(path, f"{listed.name} inside it is cut short")
        digest.update(head)
        digest.update(data)
        size += len(head) + length
        yield z, x, y, data
    _check_digest(listed, size, digest.hexdigest(), path, "checked")


# -- the service -----------------------------------------------------------------------------


class MissionPackageService:
    def __init__(
        self,
        vault: Vault,
        writer: OperationWriter,
        mission: MissionService,
        audit: AuditService,
        clock: HybridClock,
    ) -> None:
        self._vault = vault
        self._writer = writer
        self._mission = mission
        self._audit = audit
        self._clock = clock

    # -- making one (the mission authority's laptop) -------------------------------------------

    def _records(self) -> tuple[list[PackageRecord], list[str]]:
        records: list[PackageRecord] = []
        skipped: list[str] = []
        conn = self._vault.conn
        for record_type in PACKAGE_TYPES:
            for stored in self._vault.reads.of_type(record_type, limit=100_000):
                doc = stored.doc
                if record_type == "channel" and doc.get("kind") == ChannelKind.DIRECT.value:
                    continue
                file = None
                if record_type == "map_layer":
                    tiles = doc.get("kind") == LayerKind.TILES.value
                    if tiles and not has_tiles(conn, stored.id):
                        skipped.append(str(doc.get("name", stored.id)))
                        continue
                    file = f"layers/{stored.id}{'.tiles' if tiles else '.json'}"
                clocks = stored.clocks or {}
                records.append(
                    PackageRecord(
                        type=record_type,
                        id=stored.id,
                        fields=doc,
                        clocks={k: (int(v[0]), str(v[1])) for k, v in clocks.items() if k in doc},
                        file=file,
                    )
                )
        return records, skipped

    def _write_layer(self, zf: zipfile.ZipFile, record: PackageRecord) -> PackageFile:
        assert record.file is not None
        digest = hashlib.sha256()
        size = 0
        with zf.open(record.file, "w", force_zip64=True) as member:
            if record.file.endswith(".tiles"):
                for z, x, y, data in iter_tiles(self._vault.conn, record.id):
                    chunk = TILE.pack(z, x, y, len(data)) + data
                    member.write(chunk)
                    digest.update(chunk)
                    size += len(chunk)
            else:
                content = self._vault.reads.blob(str(record.fields.get("sha256", "")))
                if content is None:
                    raise InvalidInput(
                        f"The content of the map layer {record.fields.get('name')} has not "
                        "arrived in this vault yet; the package cannot carry it."
                    )
                member.write(content)
                digest.update(content)
                size = len(content)
        return PackageFile(name=record.file, sha256=digest.hexdigest(), size=size)

    def export(self, out: Path) -> PackageExport:
        """Write a package of this mission to `out` (mission authority's laptop only)."""
        authority = self._mission.authority()
        info = self._mission.require()
        records, skipped = self._records()
        issued_at = self._clock.now()
        wall_ms, _ = unpack(issued_at)
        highest = max(
            (Sensitivity.of_stored(r.fields.get("sensitivity", "unclassified")) for r in records),
            key=lambda s: s.rank,
            default=Sensitivity.UNCLASSIFIED,
        )
        partial = out.with_name(out.name + ".partial")
        try:
            with zipfile.ZipFile(partial, "w", zipfile.ZIP_STORED) as zf:
                files = []
                for record in records:
                    if record.file is not None:
                        files.append(self._write_layer(zf, record))
                manifest = Manifest(
                    format=FORMAT,
                    version=1,
                    mission=PackageMission(
                        id=info.id,
                        name=info.name,
                        authority_key=b64(info.authority_key),
                        ca_certificate=info.ca_certificate.decode(),
                    ),
                    issued_at=issued_at,
                    issued=datetime.fromtimestamp(wall_ms / 1000, UTC).strftime(
                        "%Y-%m-%d %H:%M UTC"
                    ),
                    issued_by=self._writer.author,
                    sensitivity=highest,
                    records=tuple(records),
                    files=tuple(files),
                )
                raw = manifest.model_dump_json(indent=1).encode()
                zf.writestr(MANIFEST, raw, zipfile.ZIP_DEFLATED)
                zf.writestr(SIGNATURE, authority.sign_package(raw))
            os.replace(partial, out)
        except BaseException as exc:  # nothing half-written is left beside the package
            with contextlib.suppress(OSError):
                partial.unlink()
            if isinstance(exc, OSError):
                raise Unavailable(f"Cannot write {out}: {exc.strerror or exc}.") from None
            raise
        with contextlib.suppress(OSError):  # carried to another laptop, read by another user
            out.chmod(0o644)
        self._audit.record(AuditEvent.EXPORTED, what="mission package", sensitivity=highest.value)
        return PackageExport(MissionPackage(out, manifest), tuple(skipped))

    # -- setting a laptop up from one ----------------------------------------------------------

    def import_(
        self,
        package: MissionPackage,
        *,
        expect_code: str | None = None,
    ) -> PackageImport:
        """Restate the package's records here, and keep the mission's identity for enrollment.

        Refused when the vault already belongs to a mission (its records come by sync), was
        set up from another mission's package, or when `expect_code` differs."""
        manifest = package.manifest
        mission = manifest.mission
        check_code(package, expect_code)
        joined = self._mission.info()
        if joined is not None:
            where = "this mission" if joined.id == mission.id else "another mission"
            raise InvalidInput(
                f"This vault already belongs to {where} ({joined.name}); a mission package "
                "sets up a new laptop. Records arrive by sync; `layer import` adds a map layer."
            )
        pinned = self._mission.pinned()
        if pinned is not None and pinned.id != mission.id:
            raise InvalidInput(
                f"This laptop was set up for the mission {pinned.name} (code {pinned.code}); "
                "a package of another mission cannot be added to it."
            )
        if self._clock.is_too_far_ahead(manifest.issued_at):
            raise InvalidInput(
                "The package was made more than 24 hours ahead of this laptop's clock: check "
                "the date and time here, then import it again."
            )
        changes: list[tuple[str, str, dict[str, Any]]] = []
        tile_layers: list[PackageRecord] = []
        zf = _open_zip(package.path)
        with zf:
            for record in manifest.records:
                base = {k: list(v) for k, v in record.clocks.items() if k in record.fields}
                body: dict[str, Any] = {"fields": record.fields, "base": base}
                if record.file is not None and record.file.endswith(".json"):
                    content = self._overlay(zf, package, record.file)
                    body["data"] = base64.b64encode(content).decode("ascii")
                elif record.file is not None:
                    tile_layers.append(record)
                changes.append((f"{record.type}.create", record.id, body))
            written = 0

            def alongside(conn: Connection) -> None:
                nonlocal written
                self._mission.pin_package(conn, mission)
                for record in tile_layers:
                    assert record.file is not None
                    listed = package.file(record.file)
                    with zf.open(record.file) as member:
                        written += write_tiles(
                            conn, record.id, _tiles_of(member, listed, package.path)
                        )

            try:
                self._writer.submit_many(changes, alongside=alongside, at=manifest.issued_at)
            except (zipfile.BadZipFile, zlib.error, EOFError, OSError):
                raise _refused(
                    package.path, "it is damaged (the ZIP file cannot be read)"
                ) from None
        self._mission.note_package_seq(self._writer.head_seq)
        self._audit.record(
            AuditEvent.IMPORTED,
            what="mission package",
            mission=mission.id,
            sensitivity=manifest.sensitivity.value,
        )
        return PackageImport(package, len(changes), written)

    @staticmethod
    def _overlay(zf: zipfile.ZipFile, package: MissionPackage, name: str) -> bytes:
        listed = package.file(name)
        with zf.open(name) as member:
            content = member.read(listed.size + 1)
        sha256 = hashlib.sha256(content).hexdigest()
        _check_digest(listed, len(content), sha256, package.path, "checked")
        return content
