"""A laptop set up from a mission package, then synced for real (`sync serve` and `sync now`
over TLS): the mission's changes made after the package was issued win on it, its restated
records merge with the authority's into one each, and nobody is shown a conflict."""

from __future__ import annotations

from missiondesk.domain.records.messaging import Channel, ChannelKind
from missiondesk.domain.records.people import Role
from missiondesk.services.mission_package import read_package
from missiondesk.services.vault_access import create_vault
from tests.conftest import FAST_KDF, PASSPHRASE
from tests.layer_files import TILES, make_mbtiles

from .nodes import make_mission, open_node, pair

PACKAGED = ("channel", "checklist_template", "incident_taxonomy", "map_layer", "map_feature")
ZONE = [(-1.60, 29.10), (-1.60, 29.30), (-1.75, 29.30)]


def state(path) -> dict:
    session = open_node(path)
    try:
        reads = session.vault.reads
        return {
            "records": {t: {r.id: r.doc for r in reads.of_type(t)} for t in PACKAGED},
            "conflicts": session.conflicts.list(),
            "categories": session.incidents.categories(),
            "channels": sorted(c.name for _, c in session.channels.all()),
            "tiles": sum(info.tiles_here for info in session.layers.layers()),
        }
    finally:
        session.close()


def test_a_packaged_laptop_takes_later_changes_and_shows_no_conflict(tmp_path):
    hq, charlie = make_mission(tmp_path, 2)
    session = open_node(hq)
    try:
        ops = session.channels.create("Ops North", ChannelKind.OUTPOST)
        session.checklists.templates.install_library()
        session.incidents.add_category("fuel_theft", "Fuel theft")
        session.layers.import_file(make_mbtiles(tmp_path / "sector.mbtiles"), name="Sector")
        zone = session.features.create("Market", "no_go", ZONE).id
        package = session.packages.export(tmp_path / "north.mission").package
        # After the package was issued, the mission moves on.
        session.records.update(Channel, ops, {"name": "Ops North (main)"})
        session.incidents.add_category("arson", "Arson")
        session.features.rename(zone, "Market (curfew)")
    finally:
        session.close()

    bravo = tmp_path / "bravo"
    laptop = create_vault(bravo, PASSPHRASE, name="Ben Ode", callsign="BRAVO-2", kdf=FAST_KDF)
    try:
        laptop.packages.import_(read_package(package.path))
        request, _ = laptop.mission.request_enrollment()
    finally:
        laptop.close()
    authority = open_node(hq)
    try:
        approval, _ = authority.mission.approve(request, role=Role.OFFICER)
    finally:
        authority.close()
    laptop = open_node(bravo)
    try:
        laptop.mission.accept(approval)
        before = {c.name for _, c in laptop.channels.all()}
    finally:
        laptop.close()
    assert "Ops North" in before  # what the package said, before any link

    assert pair(bravo, hq)["returncode"] == 0
    assert pair(charlie, bravo)["returncode"] == 0  # and on to a laptop enrolled the usual way
    assert pair(hq, charlie)["returncode"] == 0
    hq_state, bravo_state, charlie_state = state(hq), state(bravo), state(charlie)
    assert bravo_state["records"] == hq_state["records"] == charlie_state["records"]
    assert hq_state["conflicts"] == bravo_state["conflicts"] == charlie_state["conflicts"] == []
    assert "Ops North (main)" in bravo_state["channels"]
    assert "Ops North" not in bravo_state["channels"]
    assert {"fuel_theft", "arson"} <= set(bravo_state["categories"])
    assert hq_state["records"]["map_feature"][zone]["name"] == "Market (curfew)"
    # The package's tiles are on the laptop it set up; they never travel by sync.
    assert (hq_state["tiles"], bravo_state["tiles"], charlie_state["tiles"]) == (
        len(TILES),
        len(TILES),
        0,
    )
