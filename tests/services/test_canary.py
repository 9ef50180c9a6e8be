"""No plaintext of user data on disk: a canary written through every record type must appear in no
file under the vault folder, the temp folder, or the log folder."""

import os
import subprocess
import sys
import textwrap
from pathlib import Path

CANARY = "CANARY-7f3a9c-KILO-BRIDGE"

WRITER = textwrap.dedent("""
    import base64, hashlib, logging, sys
    from datetime import UTC, datetime
    from pathlib import Path
    from missiondesk.diagnostics import configure_logging
    from missiondesk.crypto.keywrap import KdfParams
    from missiondesk.domain.records.attachments import Attachment
    from missiondesk.domain.records.incidents import Incident
    from missiondesk.domain.records.mapping import Geometry, MapFeature
    from missiondesk.domain.markings import Precedence
    from missiondesk.domain.records.people import Person
    from missiondesk.services.vault_access import create_vault, unlock_vault

    vault, logs, canary = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
    configure_logging(logs)
    kdf = KdfParams(memory_kib=8192, iterations=1, lanes=1)
    s = create_vault(vault, "passphrase for canary", name=canary, callsign=canary[:40], kdf=kdf)
    r = s.records
    s.messaging.create_channel(canary, description=canary)
    s.messaging.send(canary, canary, Precedence.FLASH)
    incident = s.incidents.add(
        title=canary, category="other", severity=3, location="33.3,44.4", place=canary,
        description=canary, perpetrators=canary, assessment=canary, source=canary,
        action_taken=canary)
    s.incidents.add_category("canary_kind", canary)
    s.incidents.submit(incident)
    s.incidents.transition(incident, "draft", canary)
    s.incidents.save_draft({"title": canary})
    from missiondesk.domain.incident_filter import IncidentFilter
    s.incidents.save_filter(canary, IncidentFilter(text=canary))
    assert s.incidents.page(IncidentFilter(text=canary.split("-")[0])).total == 2
    # reports and exports are made in memory; only an explicit write puts them on disk
    from missiondesk.services.incident_exports import ExportFormat
    from missiondesk.services.reports import ReportFormat
    for fmt in ReportFormat:
        assert s.reports.render(s.reports.increp(incident), fmt)
        start = datetime(2000, 1, 1, tzinfo=UTC)
        assert s.reports.render(s.reports.sitrep(start, datetime.now(UTC))[0], fmt)
    for fmt in ExportFormat:
        assert canary.encode() in s.exports.render(fmt, IncidentFilter())[0]
    r.create(Person(name=canary, callsign="X", emergency_contact=canary))
    c = s.checklists
    c.templates.install_library()
    c.templates.save({"key": "canary", "name": canary, "description": canary, "sections": [
        {"title": canary, "items": [{"key": "k", "label": canary, "type": "text",
                                     "evidence": "note", "hint": canary}]}]})
    checklist_id = c.start("canary", assignee=canary, outpost=canary, title=canary,
                           due=datetime(2030, 1, 1, tzinfo=UTC))
    c.tick(checklist_id, "k", value=canary, note=canary)
    convoy = c.start("convoy-predeparture", assignee=canary, due=datetime(2030, 1, 1, tzinfo=UTC))
    from missiondesk.services.attachments import NewAttachment
    picture = NewAttachment.of(canary + ".jpg", bytes([255, 216, 255]) + (canary * 9).encode())
    c.tick(convoy, "markings", photo=picture)
    c.tick(convoy, "leader", sign_off=canary)
    assert c.lines() and c.compliance() and c.detail(checklist_id).status.value == "complete"
    r.create(MapFeature(name=canary, notes=canary,
                        geometry=Geometry(type="Point", coordinates=(44.4, 33.3))))
    data = (canary * 50).encode()
    r.create(Attachment(name=canary, size=len(data), sha256=hashlib.sha256(data).hexdigest()),
             extra={"data": base64.b64encode(data).decode()})
    # map layers: the input files are the officer's own; removed before the scan
    import json, sqlite3
    inputs = vault.parent / "inputs"
    inputs.mkdir()
    overlay = inputs / "canary.geojson"
    overlay.write_text(json.dumps({"type": "Feature", "properties": {"name": canary},
                                   "geometry": {"type": "Point", "coordinates": [44.4, 33.3]}}))
    package = inputs / "canary.mbtiles"
    db = sqlite3.connect(package)
    db.execute("CREATE TABLE metadata (name TEXT, value TEXT)")
    db.execute("CREATE TABLE tiles (zoom_level, tile_column, tile_row, tile_data)")
    db.executemany("INSERT INTO metadata VALUES (?, ?)", [("name", canary), ("format", "png")])
    tile = b"\\x89PNG\\r\\n\\x1a\\n" + canary.encode()
    db.execute("INSERT INTO tiles VALUES (1, 0, 0, ?)", (tile,))
    db.commit()
    db.close()
    for path in (overlay, package):
        layer = s.layers.import_file(path, name=canary)
        assert layer.has_content
    shown = s.layers.layers()
    assert s.layers.shapes(shown[0].id)[0].name == canary
    assert canary.encode() in s.layers.tile(shown[1].id, 1, 0, 1)
    for path in inputs.iterdir():
        path.unlink()
    inputs.rmdir()
    assert s.search.search(canary.split("-")[0])
    logging.getLogger("missiondesk.test").warning("an event with no user data")
    try:
        s.incidents.add(title=canary, category="fire", severity=99)
    except Exception:
        logging.getLogger("missiondesk.test").exception("validation failed")
    s.close()
    s = unlock_vault(vault, "passphrase for canary")  # reopen: WAL replay, audit writes
    assert s.verify_operations().ok
    s.close()
    print("written")
""")


def files_containing(root: Path, needles: list[bytes]) -> list[Path]:
    hits = []
    for path in root.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            if any(n in data for n in needles):
                hits.append(path)
    return hits


def needles() -> list[bytes]:
    return [CANARY.encode(), CANARY.encode("utf-16-le"), CANARY.lower().encode()]


def test_scanner_finds_a_planted_canary(tmp_path):
    (tmp_path / "deep").mkdir()
    (tmp_path / "deep" / "leak.bin").write_bytes(b"xx" + CANARY.encode("utf-16-le") + b"yy")
    assert files_containing(tmp_path, needles()) == [tmp_path / "deep" / "leak.bin"]


def test_canary_never_reaches_disk_in_plaintext(tmp_path):
    vault, logs, tmp = tmp_path / "vault", tmp_path / "logs", tmp_path / "tmp"
    tmp.mkdir()
    env = {**os.environ, "TMPDIR": str(tmp), "TEMP": str(tmp), "TMP": str(tmp)}
    done = subprocess.run(
        [sys.executable, "-c", WRITER, str(vault), str(logs), CANARY],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "written" in done.stdout
    assert (logs / "missiondesk.log").stat().st_size > 0  # the log was written, and is clean
    assert {p.name for p in vault.iterdir()} >= {"vault.db", "vault.key"}
    assert files_containing(tmp_path, needles()) == []
    assert CANARY not in done.stderr
