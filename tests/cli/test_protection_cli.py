"""Personnel protection from the command line, through real subprocesses: the roster, a
movement whose check-ins were missed escalating in one `watch`, check-in and arrival, alerts,
a headcount and the panic alarm, with the errors a script meets."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta

import pytest

from tests.cli.test_cli import run

pytestmark = pytest.mark.slow


def ok(done):
    assert done.returncode == 0, (done.stdout, done.stderr)
    return done.stdout


def iso(delta: timedelta) -> str:
    return (datetime.now(UTC) + delta).strftime("%Y-%m-%dT%H:%M:%SZ")


def test_roster_movement_escalation_headcount_and_panic(tmp_path):
    vault = tmp_path / "vault"
    ok(run(vault, "init", "--name", "Anna Berg", "--callsign", "ALPHA-1"))
    card = ["--name", "Ben Okafor", "--callsign", "BRAVO-2", "--outpost", "OP North"]
    ok(run(vault, "roster", "add", *card, "--blood-group", "O+", "--next-of-kin", "Ada Okafor"))
    bad = run(vault, "roster", "add", "--name", "Chen", "--blood-group", "Q+")
    assert bad.returncode == 4 and "blood_group" in bad.stderr
    shown = ok(run(vault, "roster", "show", "bravo-2"))
    assert "Emergency details [STRICTLY CONFIDENTIAL]" in shown and "Blood group: O+" in shown

    # departed 3 hours ago, check-ins every hour, none made: every step is due at once
    out = ok(run(vault, "movement", "plan", "--title", "Resupply OP North", "--person", "BRAVO-2",
                 "--via", "Camp Alpha=38S MB 44845 36965", "--via", "OP North",
                 "--depart", iso(timedelta(hours=-3)), "--eta", iso(timedelta(hours=1)),
                 "--interval", "60", "--vehicle", "UN-1234"))  # fmt: skip
    movement = re.search(r"Movement (\S+) planned", out).group(1)
    refused = run(vault, "movement", "plan", "--title", "x", "--person", "ZULU", "--via",
                  "Gate=behind the hill", "--via", "b", "--eta", iso(timedelta(hours=1)),
                  "--interval", "30")  # fmt: skip
    assert refused.returncode == 4
    assert "people.0: No one on the roster is called 'ZULU'" in refused.stderr
    assert "route.0" in refused.stderr and "Traceback" not in refused.stderr

    raised = json.loads(ok(run(vault, "watch", "--json")))["raised"]
    assert [a["step"] for a in raised] == ["warning", "alarm", "flash"]
    assert [a["precedence"] for a in raised] == ["priority", "immediate", "flash"]
    assert json.loads(ok(run(vault, "watch", "--json")))["raised"] == []  # each step once
    status = json.loads(ok(run(vault, "movement", "status", "--json")))
    assert [(s["id"], s["state"]) for s in status] == [(movement, "FLASH")]

    ok(run(vault, "movement", "checkin", movement[:8], "--position", "38S MB 45000 37000"))
    status = json.loads(ok(run(vault, "movement", "status", movement, "--json")))[0]
    assert status["state"] == "on time" and status["last_position"]["mgrs"].startswith("38S MB")
    flash = raised[2]["id"]
    ok(run(vault, "alert", "ack", flash[:8]))
    opened = json.loads(ok(run(vault, "alert", "list", "--open", "--json")))
    assert flash not in [a["id"] for a in opened] and len(opened) == 2
    revised = ok(run(vault, "movement", "revise", movement[:8], "--interval", "120",
                     "--eta", iso(timedelta(hours=3))))  # fmt: skip
    assert re.search(r"revised: ETA \d{6}Z [A-Z]{3} \d\d, a check-in every 120 min; next due",
                     revised)  # fmt: skip
    assert f"Movement {movement} revised" in revised  # whole: 8 characters of a UUIDv7 are its
    assert movement in ok(run(vault, "movement", "status"))  # minute, shared by its neighbours
    status = json.loads(ok(run(vault, "movement", "status", movement, "--json")))[0]
    assert status["interval"] == 120 and status["escalation"] == {"warning": 0, "alarm": 60,
                                                                   "flash": 120}  # fmt: skip
    nothing = run(vault, "movement", "revise", movement)
    assert nothing.returncode == 4 and "Give a new ETA or a new check-in interval" in nothing.stderr
    ok(run(vault, "movement", "arrive", movement))
    late = run(vault, "movement", "checkin", movement)
    assert late.returncode == 4 and "arrived" in late.stderr

    panic = json.loads(ok(run(vault, "alert", "panic", "--person", "BRAVO-2", "--json")))
    assert panic["precedence"] == "flash" and panic["position"]["mgrs"].startswith("38S MB")

    ok(run(vault, "headcount", "start", "--title", "Shelling", "--outpost", "OP North"))
    marked = ok(run(vault, "headcount", "mark", "BRAVO-2", "needs_help", "--note", "leg"))
    assert "was not in this headcount" not in marked  # on the roster of OP North
    wrong = run(vault, "headcount", "mark", "BRAVO-2", "fine")
    assert wrong.returncode == 4 and "status: use safe, needs_help or unaccounted" in wrong.stderr
    view = json.loads(ok(run(vault, "headcount", "status", "--json")))
    assert view["mission"] == {**view["mission"], "needs_help": 1, "unaccounted": 0, "total": 1}
    assert view["outposts"][0]["name"] == "OP North" and view["mission"]["accounted_at"]
    visitor = ok(run(vault, "headcount", "mark", "ALPHA-1", "safe"))  # of no outpost
    assert "ALPHA-1 (no outpost) was not in this headcount: now counted in it (2 in all)." in (
        visitor
    )


def test_roster_update_and_remove(tmp_path):
    vault = tmp_path / "vault"
    ok(run(vault, "init", "--name", "Anna Berg", "--callsign", "ALPHA-1"))
    ok(run(vault, "roster", "add", "--name", "Ben Okafor", "--callsign", "BRAVO-2",
           "--outpost", "OP North", "--blood-group", "O+"))  # fmt: skip
    ok(run(vault, "roster", "add", "--name", "Chen Li", "--callsign", "CHARLIE-3"))

    out = ok(run(vault, "roster", "update", "bravo-2", "--outpost", "OP South",
                 "--role", "duty officer", "--allergies", "penicillin"))  # fmt: skip
    assert out.strip() == "BRAVO-2 updated (role, outpost, allergies)."
    shown = ok(run(vault, "roster", "show", "BRAVO-2"))
    assert "Outpost:  OP South" in shown and "Role:     duty officer" in shown
    assert "Allergies: penicillin" in shown and "Blood group: O+" in shown
    taken = run(vault, "roster", "update", "CHARLIE-3", "--callsign", "bravo-2")
    assert taken.returncode == 4 and "callsign: is already on the roster" in taken.stderr
    nothing = run(vault, "roster", "update", "CHARLIE-3")
    assert nothing.returncode == 4 and "Say what to change" in nothing.stderr

    out = ok(run(vault, "roster", "remove", "BRAVO-2"))
    assert "BRAVO-2 (Ben Okafor) is off the roster" in out
    listed = [p["callsign"] for p in json.loads(ok(run(vault, "roster", "list", "--json")))]
    assert "BRAVO-2" not in listed and "CHARLIE-3" in listed
    again = run(vault, "roster", "remove", "BRAVO-2")
    assert again.returncode == 4 and "No one on the roster is called 'BRAVO-2'" in again.stderr
    myself = run(vault, "roster", "remove", "ALPHA-1")
    assert myself.returncode == 4 and "officer of this laptop" in myself.stderr
    assert "Traceback" not in again.stderr + myself.stderr
