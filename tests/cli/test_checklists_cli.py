"""Checklists from the command line, through real subprocesses."""

from __future__ import annotations

import json
import re

import pytest

from tests.cli.test_cli import run

pytestmark = pytest.mark.slow
DUE = "311200Z DEC 39"


@pytest.fixture(scope="module")
def vault(tmp_path_factory):
    path = tmp_path_factory.mktemp("checklists") / "vault"
    assert run(path, "init", "--name", "Anna Berg", "--callsign", "ALPHA-1").returncode == 0
    done = run(path, "checklist", "library")
    assert done.returncode == 0 and "Installed 6 templates" in done.stdout, done.stderr
    return path


def ok(done):
    assert done.returncode == 0, (done.stdout, done.stderr)
    return done.stdout


def test_start_tick_with_evidence_and_read_the_status(vault, tmp_path):
    assert "already installed" in ok(run(vault, "checklist", "library"))
    out = ok(run(vault, "checklist", "start", "Movement / convoy pre-departure",
                 "--assignee", "Convoy 7", "--outpost", "OP North", "--due", DUE))  # fmt: skip
    checklist = re.search(r"Checklist (\S+) started, due 311200Z DEC 39", out).group(1)
    photo = tmp_path / "flags.jpg"
    photo.write_bytes(b"\xff\xd8\xff" + b"f" * 100)
    ok(run(vault, "checklist", "tick", checklist[:18], "fuel", "--value", "80"))
    ok(run(vault, "checklist", "tick", checklist, "markings", "--photo", str(photo)))
    ok(run(vault, "checklist", "tick", checklist, "leader", "--sign-off", "Maj. Okafor"))
    refused = run(vault, "checklist", "tick", checklist, "fuel", "--value", "180")
    assert refused.returncode == 4
    assert (
        "Invalid tick of item fuel (Fuel level of the lead vehicle): value: at most 100 %"
        in refused.stderr
    )
    refused = run(vault, "checklist", "tick", checklist, "route-brief")
    assert refused.returncode == 4 and "note: this item asks for a note" in refused.stderr
    refused = run(vault, "checklist", "tick", checklist, "markings", "--photo", "/nowhere.jpg")
    assert refused.returncode == 4 and "does not exist" in refused.stderr
    shown = ok(run(vault, "checklist", "status", checklist))
    assert "[PENDING]" in shown and "3 of 14 done" in shown
    assert "80 %; by ALPHA-1 at" in shown
    assert "photo: flags.jpg" in shown and "signed off by Maj. Okafor" in shown
    data = json.loads(ok(run(vault, "checklist", "status", checklist, "--json")))
    items = {i["key"]: i for i in data["items"]}
    assert items["markings"]["photo"]["type"] == "image/jpeg"
    assert items["leader"]["status"] == "complete" and items["route-brief"]["status"] == "pending"
    listed = json.loads(ok(run(vault, "checklist", "list", "--templates", "--json")))
    assert len(listed["templates"]) == 6
    assert [c["id"] for c in listed["checklists"]] == [checklist]
    assert listed["checklists"][0]["done"] == 3
    compliance = json.loads(ok(run(vault, "checklist", "compliance", "--json")))
    assert compliance == [
        {"outpost": "OP North", "template": "convoy-predeparture",
         "template_name": "Movement / convoy pre-departure", "complete": 0, "complete_late": 0,
         "late": 0, "pending": 1, "total": 1}
    ]  # fmt: skip
    assert "No checklist turned late" in ok(
        run(vault, "checklist", "late", "--since", "010000Z JAN 26")
    )


def test_a_template_edited_as_json_becomes_a_new_version(vault, tmp_path):
    template = json.loads(ok(run(vault, "checklist", "template", "radio-check", "--json")))
    template["sections"][0]["items"].append({"key": "antenna", "label": "Antenna secured"})
    edited = tmp_path / "radio.json"
    edited.write_text(json.dumps(template))
    out = ok(run(vault, "checklist", "template-save", str(edited)))
    assert "Template radio-check is at version 2" in out
    assert re.search(r"radio-check\s+v2\s+6 items", ok(run(vault, "checklist", "templates")))
    broken = tmp_path / "broken.json"
    broken.write_text('{"key": "radio-check", "name": "RC", "sections": []}')
    refused = run(vault, "checklist", "template-save", str(broken))
    assert refused.returncode == 4 and "Invalid checklist template: sections:" in refused.stderr
    broken.write_text("{not json")
    refused = run(vault, "checklist", "template-save", str(broken))
    assert refused.returncode == 4 and "is not JSON (line 1" in refused.stderr


def test_bad_input_is_named_without_a_traceback(vault):
    refused = run(vault, "checklist", "start", "patrol", "--assignee", "X", "--due", DUE)
    assert refused.returncode == 4 and "no checklist template 'patrol'" in refused.stderr
    refused = run(vault, "checklist", "list", "--status", "overdue")
    assert refused.returncode == 4 and "not a checklist status" in refused.stderr
    refused = run(vault, "checklist", "status", "zz")
    assert refused.returncode == 4 and "at least the first 4" in refused.stderr
    refused = run(vault, "checklist", "start", "radio-check", "--due", DUE)
    assert refused.returncode == 2 and "--assignee" in refused.stderr
