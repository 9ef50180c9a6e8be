"""`mission package export | show | import` and `init --package` through real subprocesses:
what an officer reads, and refusals in one line (exit 4) that leave no vault behind."""

from __future__ import annotations

import json
import zipfile

import pytest

from tests.cli.test_cli import run
from tests.layer_files import make_mbtiles

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def package(tmp_path_factory):
    folder = tmp_path_factory.mktemp("package")
    hq = folder / "hq"
    assert run(hq, "init", "--name", "Anna Berg", "--callsign", "HQ-1").returncode == 0
    assert run(hq, "mission", "create", "--name", "Sector North").returncode == 0
    assert run(hq, "channel", "create", "Ops North", "--kind", "outpost").returncode == 0
    assert run(hq, "checklist", "library").returncode == 0
    tiles = make_mbtiles(folder / "sector.mbtiles")
    assert run(hq, "layer", "import", str(tiles), "--name", "Sector tiles").returncode == 0
    out = folder / "north.mission"
    done = run(hq, "mission", "package", "export", "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert f"Mission package written to {out}, marked UNCLASSIFIED." in done.stdout
    code = json.loads(run(hq, "mission", "show", "--json").stdout)["code"]
    return out, code


def init_from(laptop, package, *extra: str):
    return run(laptop, "init", "--name", "Ben Ode", "--package", str(package), *extra)


def test_show_needs_no_vault_and_names_what_is_inside(package):
    path, code = package
    done = run(None, "mission", "package", "show", str(path), passphrase=None)
    assert done.returncode == 0, done.stderr
    assert "signed by the mission authority, every file intact" in done.stdout
    assert f"Mission code: {code}" in done.stdout
    assert "Contents:     2 channels, 6 checklist templates, 1 map layer" in done.stdout
    listed = json.loads(run(None, "mission", "package", "show", str(path), "--json").stdout)
    assert listed["channels"] == ["general", "Ops North"] and listed["code"] == code


def test_init_from_a_package_then_enroll(package, tmp_path):
    path, code = package
    laptop = tmp_path / "bravo"
    done = init_from(laptop, path, "--callsign", "BRAVO-2", "--code", code)
    assert done.returncode == 0, done.stderr
    assert "Set up from north.mission: 9 records, 5 tiles." in done.stdout
    assert "Next: write the join request" in done.stdout
    channels = json.loads(run(laptop, "channel", "list", "--json").stdout)
    assert {c["name"] for c in channels} == {"general", "Ops North"}
    layers = json.loads(run(laptop, "layer", "list", "--json").stdout)
    assert [(x["name"], x["tiles_here"]) for x in layers] == [("Sector tiles", 5)]
    again = run(laptop, "mission", "package", "import", str(path), "--code", code)
    assert again.returncode == 0, again.stderr  # the same package twice: nothing doubled
    assert len(json.loads(run(laptop, "checklist", "templates", "--json").stdout)) == 6


def test_a_wrong_code_or_a_tampered_package_leaves_no_vault(package, tmp_path):
    path, _ = package
    laptop = tmp_path / "bravo"
    done = init_from(laptop, path, "--code", "1111-2222")
    assert done.returncode == 4
    assert "not 1111-2222: do not use it" in done.stderr
    assert not laptop.exists()
    tampered = tmp_path / "tampered.mission"
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(tampered, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info)
            zout.writestr(info, data.replace(b"Ops North", b"Ops South"))
    done = init_from(laptop, tampered)
    assert done.returncode == 4
    assert done.stderr.strip().splitlines() == [
        "missiondesk: tampered.mission was not used: its signature does not match its "
        "contents: it was changed after the mission authority signed it. Nothing was changed."
    ]
    assert not laptop.exists()
    shown = run(None, "mission", "package", "show", str(tampered))
    assert shown.returncode == 4 and "signature does not match" in shown.stderr
    flipped = tmp_path / "flipped.mission"  # one bit flipped inside its compressed manifest
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo("manifest.json")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    data[start + info.compress_size // 2] ^= 0x01
    flipped.write_bytes(bytes(data))
    for done in (
        run(None, "mission", "package", "show", str(flipped)),
        init_from(laptop, flipped),
    ):
        assert done.returncode == 4, done.stderr
        assert "flipped.mission was not used" in done.stderr
    assert not laptop.exists()


def test_enroll_approve_without_a_terminal_needs_the_code(package, tmp_path):
    """No one to ask whether the codes match: nothing is approved unless --code is given."""
    path, code = package
    hq = path.parent / "hq"
    laptop = tmp_path / "charlie"
    assert init_from(laptop, path, "--callsign", "CHARLIE-3", "--code", code).returncode == 0
    request = tmp_path / "join.json"
    asked = run(laptop, "enroll", "request", "--out", str(request))
    assert asked.returncode == 0, asked.stderr
    shown = asked.stdout.split("Your code: ")[1].split()[0]
    approval = tmp_path / "approval.json"
    done = run(hq, "enroll", "approve", str(request), "--role", "officer", "--out", str(approval))
    assert done.returncode == 2 and "--code" in done.stderr
    assert not approval.exists()
    done = run(hq, "enroll", "approve", str(request), "--role", "officer", "--out",
               str(approval), "--code", shown)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert approval.exists() and "already a member" not in done.stdout
    again = run(hq, "enroll", "approve", str(request), "--role", "duty_officer", "--out",
                str(tmp_path / "again.json"), "--code", shown)  # fmt: skip
    assert again.returncode == 0, again.stderr
    assert "Note: this device is already a member (officer, active)" in again.stdout


def test_a_file_that_is_no_join_request_or_bundle_is_invalid_input(package, tmp_path):
    """Nested without end, missing, or a folder: one line and exit 4, never 'unexpected'."""
    path, code = package
    hq = path.parent / "hq"
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100_000 + "]" * 100_000)
    approve = ("enroll", "approve", "--role", "officer", "--code", "1234-5678", "--out")
    for given in (deep, tmp_path / "none.json", tmp_path):
        done = run(hq, *approve, str(tmp_path / "a.json"), str(given))
        assert done.returncode == 4, (given, done.stderr)
        assert "unexpected" not in done.stderr and len(done.stderr.splitlines()) == 1
    for given in (tmp_path / "none.bundle", tmp_path):
        done = run(hq, "bundle", "import", str(given))
        assert done.returncode == 4, (given, done.stderr)
        assert "Cannot read" in done.stderr or "is a folder" in done.stderr
