"""Mission packages over real vaults: what the authority's laptop writes, what a new laptop is
set up with, and every way a package that was changed, swapped or misused is refused (with
nothing written)."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from missiondesk.domain.errors import AccessDenied, InvalidInput
from missiondesk.domain.markings import Sensitivity
from missiondesk.domain.mission_package import MANIFEST, SIGNATURE
from missiondesk.domain.records.messaging import Channel, ChannelKind
from missiondesk.domain.records.people import Role
from missiondesk.services.mission_package import PackageRefused, read_package
from missiondesk.services.session import Session
from missiondesk.services.vault_access import create_vault
from tests.conftest import FAST_KDF, PASSPHRASE
from tests.layer_files import TILES, make_mbtiles, write

GEOJSON = json.dumps(
    {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"name": "Checkpoint 4"},
                "geometry": {"type": "Point", "coordinates": [29.22, -1.68]},
            }
        ],
    }
)
ZONE = [(-1.60, 29.10), (-1.60, 29.30), (-1.75, 29.30)]


def new_vault(path: Path, name: str, callsign: str) -> Session:
    return create_vault(path, PASSPHRASE, name=name, callsign=callsign, kdf=FAST_KDF)


@pytest.fixture
def authority(tmp_path):
    """The mission authority's laptop, with something of every kind a package carries."""
    session = new_vault(tmp_path / "hq", "Anna Berg", "HQ-1")
    session.mission.create("Sector North")
    session.channels.create("Ops North", ChannelKind.OUTPOST, description="Outpost traffic")
    session.checklists.templates.install_library()
    session.incidents.add_category("fuel_theft", "Fuel theft")
    session.layers.import_file(make_mbtiles(tmp_path / "sector.mbtiles"), name="Sector tiles")
    session.layers.import_file(
        write(tmp_path / "checkpoints.geojson", GEOJSON), sensitivity=Sensitivity.CONFIDENTIAL
    )
    session.features.create("Market", "no_go", ZONE)
    yield session
    session.close()


def records_of(session: Session, record_type: str) -> dict[str, dict]:
    return {r.id: r.doc for r in session.vault.reads.of_type(record_type)}


def rewrite(source: Path, target: Path, change) -> Path:
    """A copy of the package with `change(name, data)` applied to each member."""
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w") as zout:
        for info in zin.infolist():
            data = change(info.filename, zin.read(info))
            if data is not None:
                zout.writestr(info.filename, data)
    return target


def test_a_new_laptop_starts_with_the_missions_records(authority, tmp_path):
    out = tmp_path / "north.mission"
    done = authority.packages.export(out)
    assert done.skipped == ()
    package = read_package(out)
    manifest = package.manifest
    assert manifest.mission.name == "Sector North"
    assert manifest.mission.id == authority.mission.require().id
    assert manifest.sensitivity is Sensitivity.CONFIDENTIAL  # the highest of what it holds
    assert dict(manifest.counts()) == {
        "incident_taxonomy": 1,
        "channel": 2,
        "checklist_template": 6,
        "map_layer": 2,
        "map_feature": 1,
    }
    assert manifest.contents().startswith("1 incident taxonomy, 2 channels, 6 checklist")

    laptop = new_vault(tmp_path / "bravo", "Ben Ode", "BRAVO-2")
    try:
        result = laptop.packages.import_(package)
        assert (result.records, result.tiles) == (12, len(TILES))
        for kind in ("channel", "checklist_template", "incident_taxonomy", "map_feature"):
            assert records_of(laptop, kind) == records_of(authority, kind), kind
        assert records_of(laptop, "map_layer") == records_of(authority, "map_layer")
        assert "fuel_theft" in laptop.incidents.categories()
        assert {c.name for _, c in laptop.channels.all()} >= {"general", "Ops North"}
        tiles, overlay = laptop.layers.layers()
        for z, x, y in TILES:
            assert laptop.layers.tile(tiles.id, z, x, y) == authority.layers.tile(tiles.id, z, x, y)
        assert [s.name for s in laptop.layers.shapes(overlay.id)] == ["Checkpoint 4"]
        assert [f.positions() for f in laptop.features.list()] == [ZONE]
        assert laptop.mission.info() is None  # not a member until approved
        pinned = laptop.mission.pinned()
        assert pinned is not None and pinned.code == manifest.mission.code
        assert laptop.conflicts.list() == []
        assert laptop.verify_operations().ok
    finally:
        laptop.close()


def test_direct_channels_stay_out_and_only_the_authority_makes_packages(authority, tmp_path):
    bravo = new_vault(tmp_path / "bravo", "Ben Ode", "BRAVO-2")
    try:
        request, _ = bravo.mission.request_enrollment()
        approval, _ = authority.mission.approve(request, role=Role.COMMANDER)
        bravo.mission.accept(approval)
        with pytest.raises(AccessDenied, match="mission authority key"):
            bravo.packages.export(tmp_path / "bravo.mission")
        assert not (tmp_path / "bravo.mission").exists()
    finally:
        bravo.close()
    authority.records.create(Channel(name="Anna and Ben", kind=ChannelKind.DIRECT), "dm-ab")
    authority.packages.export(tmp_path / "north.mission")
    kinds = [
        Channel.model_validate(r.fields).kind
        for r in read_package(tmp_path / "north.mission").manifest.records
        if r.type == "channel"
    ]
    assert ChannelKind.DIRECT not in kinds and len(kinds) == 2


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (
            lambda name, data: (
                data.replace(b"Ops North", b"Ops Nerth") if name == MANIFEST else data
            ),
            "its signature does not match its contents",
        ),
        (
            lambda name, data: (
                data[:-1] + bytes([data[-1] ^ 1]) if name.endswith(".tiles") else data
            ),
            "checksum differs",
        ),
        (
            lambda name, data: (
                data.replace(b"Checkpoint 4", b"Checkpoint 9")
                if name.endswith(".json") and name != MANIFEST
                else data
            ),
            "checksum differs",
        ),
        (lambda name, data: None if name == SIGNATURE else data, "no manifest.sig"),
        (
            lambda name, data: None if name.endswith(".tiles") else data,
            "its files are not the ones its manifest lists",
        ),
    ],
    ids=["manifest-edited", "tile-flipped", "overlay-edited", "unsigned", "file-missing"],
)
def test_a_changed_package_is_refused_and_writes_nothing(authority, tmp_path, change, problem):
    good = tmp_path / "north.mission"
    authority.packages.export(good)
    bad = rewrite(good, tmp_path / "bad.mission", change)
    with pytest.raises(PackageRefused, match=problem) as refused:
        read_package(bad)
    assert str(refused.value).startswith("bad.mission was not used:")
    assert str(refused.value).endswith("Nothing was changed.")


def test_an_extra_file_or_a_foreign_key_is_refused(authority, tmp_path):
    good = tmp_path / "north.mission"
    authority.packages.export(good)
    extra = rewrite(good, tmp_path / "extra.mission", lambda name, data: data)
    with zipfile.ZipFile(extra, "a") as zf:
        zf.writestr("layers/evil.json", b"{}")
    with pytest.raises(PackageRefused, match="not the ones its manifest lists"):
        read_package(extra)

    # Someone re-signs an edited manifest with a key of their own: the mission id and the CA
    # certificate no longer match the key, so it does not pass for this mission's package.
    from missiondesk.crypto.authority import MissionAuthority, b64

    impostor = MissionAuthority.generate()
    with zipfile.ZipFile(good) as zf:
        manifest = json.loads(zf.read(MANIFEST))
    manifest["mission"]["authority_key"] = b64(impostor.public_key)
    raw = json.dumps(manifest).encode()

    def resign(name: str, data: bytes) -> bytes:
        if name == MANIFEST:
            return raw
        return impostor.sign_package(raw) if name == SIGNATURE else data

    with pytest.raises(PackageRefused, match="does not match its authority's key"):
        read_package(rewrite(good, tmp_path / "impostor.mission", resign))
    not_zip = write(tmp_path / "notes.mission", "just text")
    with pytest.raises(PackageRefused, match="not a ZIP file"):
        read_package(not_zip)
    with pytest.raises(InvalidInput, match="does not exist"):
        read_package(tmp_path / "absent.mission")


def test_a_package_swapped_after_it_was_checked_leaves_the_vault_untouched(authority, tmp_path):
    path = tmp_path / "north.mission"
    authority.packages.export(path)
    package = read_package(path)
    flipped = rewrite(
        path,
        tmp_path / "flipped.mission",
        lambda name, data: data[:-1] + bytes([data[-1] ^ 1]) if name.endswith(".tiles") else data,
    )
    flipped.replace(path)  # swapped on the stick between the preview and the import
    laptop = new_vault(tmp_path / "bravo", "Ben Ode", "BRAVO-2")
    try:
        head = laptop.writer.head_seq
        with pytest.raises(PackageRefused, match="checksum differs"):
            laptop.packages.import_(package)
        assert laptop.writer.head_seq == head
        assert laptop.mission.pinned() is None
        assert laptop.layers.layers() == [] and laptop.features.list() == []
        assert laptop.vault.reads.count("checklist_template") == 0
    finally:
        laptop.close()


def test_misuse_is_refused_with_a_reason(authority, tmp_path):
    path = tmp_path / "north.mission"
    authority.packages.export(path)
    package = read_package(path)
    with pytest.raises(InvalidInput, match="already belongs to this mission"):
        authority.packages.import_(package)
    laptop = new_vault(tmp_path / "bravo", "Ben Ode", "BRAVO-2")
    try:
        with pytest.raises(InvalidInput, match="not 0000-0000"):
            laptop.packages.import_(package, expect_code="0000-0000")
        assert laptop.mission.pinned() is None
        laptop.packages.import_(package, expect_code=package.mission.code.lower())
        laptop.packages.import_(package)  # again: the same records, nothing doubled
        assert laptop.vault.reads.count("checklist_template") == 6

        other = new_vault(tmp_path / "other", "Olga Ray", "OSCAR-1")
        try:
            other.mission.create("Sector South")
            other.packages.export(tmp_path / "south.mission")
            south = read_package(tmp_path / "south.mission")
            with pytest.raises(InvalidInput, match="set up for the mission Sector North"):
                laptop.packages.import_(south)
            # An approval from another authority is refused: the package pinned this one.
            request, _ = laptop.mission.request_enrollment()
            approval, _ = other.mission.approve(request, role=Role.OFFICER)
            with pytest.raises(InvalidInput, match="not from the authority of Sector North"):
                laptop.mission.accept(approval)
            assert laptop.mission.info() is None
        finally:
            other.close()
    finally:
        laptop.close()


def test_a_join_request_must_come_after_the_import(authority, tmp_path):
    package = read_package(authority.packages.export(tmp_path / "north.mission").package.path)
    laptop = new_vault(tmp_path / "bravo", "Ben Ode", "BRAVO-2")
    try:
        early, _ = laptop.mission.request_enrollment()
        laptop.packages.import_(package)
        approval, _ = authority.mission.approve(early, role=Role.OFFICER)
        with pytest.raises(InvalidInput, match="write a new join request"):
            laptop.mission.accept(approval)
        request, _ = laptop.mission.request_enrollment()
        approval, _ = authority.mission.approve(request, role=Role.OFFICER)
        assert laptop.mission.accept(approval).mission == package.mission.id
    finally:
        laptop.close()


def test_an_approval_s_unsigned_parts_cannot_rename_the_mission_or_slip_in_a_list(
    authority, tmp_path
):
    """The mission's name is the one the authority signed into the membership, not the file's
    own; a revocation list the authority did not sign refuses the approval."""
    for case in ("renamed", "bad list"):
        laptop = new_vault(tmp_path / case, "Ben Ode", "BRAVO-2")
        try:
            request, _ = laptop.mission.request_enrollment()
            approval, _ = authority.mission.approve(request, role=Role.OFFICER)
            data = json.loads(approval)
            if case == "renamed":
                data["join_approval"]["mission"]["name"] = "Sector South"
                laptop.mission.accept(json.dumps(data).encode())
                assert laptop.mission.require().name == "Sector North"
            else:
                data["join_approval"]["crl"] = "garbage"
                with pytest.raises(InvalidInput, match="revocation list is not the mission"):
                    laptop.mission.accept(json.dumps(data).encode())
                assert laptop.mission.info() is None
        finally:
            laptop.close()
