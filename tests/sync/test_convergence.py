"""Three nodes as separate processes over loopback TLS: partitioned, rejoined, identical."""

from __future__ import annotations

import pytest

from missiondesk.domain.markings import Precedence
from missiondesk.domain.records.incidents import Incident
from tests.opfactory import state_of
from tests.sync.nodes import make_mission, open_node, pair

pytestmark = pytest.mark.slow


def write(path, *texts, precedence=Precedence.ROUTINE):
    session = open_node(path)
    try:
        for text in texts:
            session.messaging.send("general", text, precedence)
    finally:
        session.close()


def snapshot(paths):
    states = []
    for path in paths:
        session = open_node(path)
        try:
            assert session.verify_operations().ok
            states.append((state_of(session.vault), session.vault.oplog.count()))
        finally:
            session.close()
    return states


def test_partitioned_nodes_converge_after_rejoining_in_any_pattern(tmp_path):
    a, b, c = make_mission(tmp_path, 3)
    write(a, "A1 convoy leaves at 0600", "A2 radio check")
    write(b, "B1 checkpoint quiet")
    write(c, "C1 flooding on MSR Amber", precedence=Precedence.FLASH)
    # pattern 1: a-b, then c alone writes more, then b-c, then c-a
    assert pair(a, b)["returncode"] == 0
    write(c, "C2 road reopened")
    assert pair(b, c)["returncode"] == 0
    write(a, "A3 after partition")
    assert pair(c, a)["returncode"] == 0
    assert pair(b, a)["returncode"] == 0
    states = snapshot([a, b, c])
    assert states[0] == states[1] == states[2]
    texts = sorted(doc for (_, _, doc, _, _) in states[0][0]["entities"] if '"text"' in doc)
    assert len(texts) == 6
    # pattern 2: a second partition where everyone writes, healed as a chain c-b-a-b-c
    write(a, "A4")
    write(b, "B2")
    write(c, "C3")
    for x, y in ((c, b), (b, a), (a, c), (b, c)):
        assert pair(x, y)["returncode"] == 0
    states = snapshot([a, b, c])
    assert states[0] == states[1] == states[2]
    report = pair(a, b)
    assert report["in_sync"] and report["frames_sent"] == 2  # HELLO and DONE
    assert report["bytes_sent"] < 600 and report["bytes_received"] < 600


def test_concurrent_edits_merge_the_same_everywhere(tmp_path):
    a, b, c = make_mission(tmp_path, 3)
    session = open_node(a)
    incident_id = session.incidents.add(title="Roadblock", category="crime", severity=2)
    session.close()
    pair(b, a)
    pair(c, a)
    for path, changes in (
        (a, {"severity": 3}),
        (b, {"severity": 4, "title": "Armed roadblock"}),
        (c, {"assessment": "Likely to recur"}),
    ):
        session = open_node(path)
        session.records.update(Incident, incident_id, changes)
        session.close()
    pair(a, b)
    pair(b, c)
    pair(c, a)
    pair(a, b)
    docs = []
    for path in (a, b, c):
        session = open_node(path)
        docs.append(session.records.get(Incident, incident_id))
        session.close()
    assert docs[0] == docs[1] == docs[2]
    assert docs[0].title == "Armed roadblock" and docs[0].assessment == "Likely to recur"
    assert docs[0].severity == 4  # b edited after a (later hybrid clock)


def test_conflict_is_listed_on_both_laptops_and_its_resolution_syncs(tmp_path):
    import json

    from tests.sync.nodes import cli

    a, b = make_mission(tmp_path, 2)
    session = open_node(a)
    incident_id = session.incidents.add(
        title="Bridge at Km 12", category="natural_hazard", severity=2
    )
    session.close()
    assert pair(b, a)["returncode"] == 0
    for path, title in ((a, "Bridge at Km 12 collapsed"), (b, "Bridge at Km 12 passable")):
        session = open_node(path)
        session.records.update(Incident, incident_id, {"title": title})
        session.close()
    assert pair(b, a)["returncode"] == 0
    lists = [json.loads(cli(p, "conflicts", "list", "--json").stdout) for p in (a, b)]
    assert lists[0] == lists[1] and len(lists[0]) == 1
    conflict = lists[0][0]
    assert conflict["field"] == "title"
    assert {conflict["current"], conflict["other"]} == {
        "Bridge at Km 12 collapsed",
        "Bridge at Km 12 passable",
    }
    done = cli(b, "conflicts", "resolve", conflict["id"], "--keep", "other")
    assert done.returncode == 0, done.stderr
    assert pair(a, b)["returncode"] == 0
    for path in (a, b):
        assert json.loads(cli(path, "conflicts", "list", "--json").stdout) == []
        session = open_node(path)
        assert session.records.get(Incident, incident_id).title == conflict["other"]
        session.close()


def test_a_relay_serves_several_peers_at_once(tmp_path):
    import json
    import subprocess
    import sys

    from tests.sync.nodes import Server, env

    hq, *outposts = make_mission(tmp_path, 4)
    for i, path in enumerate(outposts):
        write(path, *(f"outpost {i} report {n}" for n in range(50)))
    with Server(hq) as relay:
        clients = [
            subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "missiondesk",
                    "--vault",
                    str(path),
                    "sync",
                    "now",
                    "--peer",
                    relay.address,
                    "--json",
                ],
                env=env(),
                stdout=subprocess.PIPE,
                text=True,
            )
            for path in outposts
        ]
        reports = [json.loads(c.communicate(timeout=120)[0]) for c in clients]
        assert all(not r["error"] for r in reports)
        log = relay.stop()
    assert log.count("received") == 3
    session = open_node(hq)
    texts = {m.text for m in session.messaging.list(limit=1000)}
    session.close()
    assert all(f"outpost {i} report 49" in texts for i in range(3))
