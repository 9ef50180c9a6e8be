"""Incidents and reports from the command line, through real subprocesses."""

from __future__ import annotations

import csv
import io
import json
import re

import pypdf
import pytest

from tests.cli.test_cli import run

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def vault(tmp_path_factory):
    path = tmp_path_factory.mktemp("incidents") / "vault"
    assert run(path, "init", "--name", "Anna Berg", "--callsign", "ALPHA-1").returncode == 0
    return path


def ok(done):
    assert done.returncode == 0, (done.stdout, done.stderr)
    return done.stdout


def add(vault, *args):
    out = ok(run(vault, "incident", "add", *args))
    return re.search(r"Incident (\S+) logged", out).group(1)


def test_log_edit_and_move_an_incident_through_its_workflow(vault, tmp_path):
    photo = tmp_path / "crater.jpg"
    photo.write_bytes(b"\xff\xd8\xff" + b"j" * 200)
    incident = add(
        vault,
        "--title",
        "Shots fired near checkpoint 4",
        "--category",
        "Small-arms fire",
        "--severity",
        "3",
        "--location",
        "38S MB 44845 36965",
        "--place",
        "CP 4",
        "--occurred",
        "201530Z NOV 26",
        "--killed",
        "civ=1",
        "--injured",
        "un=2,nf=1",
        "--admiralty",
        "B2",
        "--source",
        "Village elder",
        "--perpetrators",
        "Two armed men",
        "--attach",
        str(photo),
    )
    ok(
        run(
            vault,
            "incident",
            "update",
            incident[:13],
            "--narrative",
            "Two bursts",
            "--killed",
            "civilians=2",
        )
    )
    ok(run(vault, "incident", "status", incident, "--to", "submitted"))
    ok(run(vault, "incident", "status", incident, "--to", "verified"))
    refused = run(vault, "incident", "status", incident, "--to", "draft")
    assert refused.returncode == 4 and "reason" in refused.stderr
    ok(run(vault, "incident", "status", incident, "--to", "draft", "--reason", "Check grid"))
    shown = ok(run(vault, "incident", "show", incident))
    assert "[DRAFT]" in shown and "Killed:      2 (civilians 2" in shown
    assert "Attachment:  crater.jpg (image/jpeg" in shown
    assert re.search(r"submitted -> verified\s+by ALPHA-1", shown)
    assert "verified -> draft  by ALPHA-1: Check grid" in shown
    data = json.loads(ok(run(vault, "incident", "show", incident, "--json")))
    assert [h["to"] for h in data["history"]] == ["submitted", "verified", "draft"]
    assert data["casualties"]["injured"] == {
        "civilians": 0,
        "un_personnel": 2,
        "national_forces": 1,
        "others": 0,
    }
    assert (data["source_reliability"], data["source_credibility"]) == ("B", 2)
    text = ok(run(vault, "report", "increp", incident, "--format", "text", "--out", "-"))
    assert text.startswith("UNCLASSIFIED\nINCREP") and "9. PERPETRATORS: Two armed men" in text


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("--severity", "9"), "severity"),
        (("--location", "behind the hill"), "not a location"),
        (("--admiralty", "Z7"), "admiralty: an Admiralty code"),
        (("--killed", "children=2"), "not a casualty count"),
        (("--category", "parade"), "not an incident category"),
        (("--occurred", "tomorrow"), "date-time group"),
        (("--place", "Km 8"), "place: a place name goes with a location"),
        (("--related", "ffff"), "no incident"),
    ],
)
def test_wrong_values_exit_4_naming_the_field(vault, args, says):
    base = {"--title": "x", "--category": "fire", "--severity": "1"}
    for option, value in zip(args[::2], args[1::2], strict=True):
        base[option] = value
    done = run(vault, "incident", "add", *(x for kv in base.items() for x in kv))
    assert done.returncode == 4, (done.stdout, done.stderr)
    assert says in done.stderr and done.stderr.count("\n") == 1


def test_list_filters_counts_saved_filters_and_exports(vault, tmp_path):
    for title, category, severity, when, where in (
        ("Convoy ambushed", "armed_clash", "5", "210600Z NOV 26", "38S MB 44845 36965"),
        ("Second ambush", "armed_clash", "4", "220700Z NOV 26", "38S MB 44000 36000"),
        ("Bridge flooded", "natural_hazard", "3", "230800Z NOV 26", "9.3010, 32.1902"),
    ):
        add(
            vault,
            "--title",
            title,
            "--category",
            category,
            "--severity",
            severity,
            "--occurred",
            when,
            "--location",
            where,
            "--submit",
        )
    listed = json.loads(
        ok(
            run(
                vault,
                "incident",
                "list",
                "--category",
                "armed_clash",
                "--severity",
                "4-5",
                "--from",
                "210000Z NOV 26",
                "--save-filter",
                "clashes",
                "--counts",
                "--json",
            )
        )
    )
    assert [r["title"] for r in listed["rows"]] == ["Second ambush", "Convoy ambushed"]
    assert listed["counts"]["by_severity"] == {"4": 1, "5": 1}
    pages = [
        ok(run(vault, "incident", "list", "--category", "armed_clash", "--limit", "1",
               "--offset", offset)).strip().splitlines()[-1]
        for offset in ("0", "1")
    ]  # fmt: skip
    assert pages == ["1-1 of 2 incidents (--offset 1 for more).", "2-2 of 2 incidents."]
    grid = json.loads(ok(run(vault, "incident", "list", "--grid", "38S MB 44 36", "--json")))
    assert {r["title"] for r in grid} >= {"Convoy ambushed", "Second ambush"}
    assert "Bridge flooded" not in {r["title"] for r in grid}
    assert grid[0]["location"]["mgrs"].startswith("38S MB 44")
    saved = json.loads(
        ok(
            run(
                vault,
                "incident",
                "list",
                "--filter",
                "clashes",
                "--sort",
                "severity",
                "--asc",
                "--json",
            )
        )
    )
    assert [r["title"] for r in saved] == ["Second ambush", "Convoy ambushed"]
    assert "clashes" in ok(run(vault, "incident", "filters"))
    bad = run(vault, "incident", "list", "--grid", "38S MB 4")
    assert bad.returncode == 4 and "grid" in bad.stderr
    out = tmp_path / "clashes.csv"
    said = ok(
        run(
            vault,
            "incident",
            "export",
            "--format",
            "csv",
            "--hxl",
            "--filter",
            "clashes",
            "--strip-personal",
            "--out",
            str(out),
        )
    )
    assert "Wrote 2 incidents" in said and "NOT encrypted" in said
    lines = out.read_text().splitlines()
    assert lines[0].startswith("# UNCLASSIFIED")
    rows = list(csv.DictReader(io.StringIO("\n".join(lines[1:]))))
    assert rows[0]["severity"] == "#severity" and {r["title"] for r in rows[1:]} == {
        "Convoy ambushed",
        "Second ambush",
    }
    geo = tmp_path / "all.geojson"
    ok(run(vault, "incident", "export", "--format", "geojson", "--out", str(geo)))
    assert json.loads(geo.read_text())["type"] == "FeatureCollection"
    audit = json.loads(ok(run(vault, "audit", "list", "--json")))
    exported = [json.loads(a["detail"])["what"] for a in audit if a["event"] == "data.exported"]
    assert exported[-2:] == ["incidents csv", "incidents geojson"]


def test_sitrep_pdf_and_medevac_from_the_command_line(vault, tmp_path):
    add(
        vault,
        "--title",
        "Shelling of the camp",
        "--category",
        "indirect_fire",
        "--severity",
        "4",
        "--occurred",
        "251200Z NOV 26",
        "--location",
        "38S MB 41000 33000",
        "--injured",
        "civilians=3",
        "--sensitivity",
        "confidential",
        "--submit",
    )
    out = tmp_path / "sitrep.pdf"
    said = ok(
        run(
            vault,
            "report",
            "sitrep",
            "--from",
            "250000Z NOV 26",
            "--to",
            "260000Z NOV 26",
            "--grid",
            "38SMB",
            "--format",
            "pdf",
            "--out",
            str(out),
        )
    )
    assert "marked CONFIDENTIAL" in said
    text = re.sub(r"\s+", " ", pypdf.PdfReader(str(out)).pages[0].extract_text())
    assert text.count("CONFIDENTIAL") >= 2 and "1 INCIDENT " in text and "INJURED 3" in text
    medevac = ok(
        run(
            vault,
            "report",
            "medevac",
            "--location",
            "38S MB 44845 36965",
            "--frequency",
            "45.500",
            "--callsign",
            "MEDIC-4",
            "--patients",
            "A=1",
            "--litter",
            "1",
            "--security",
            "N",
            "--marking",
            "C",
            "--nationality",
            "A=1",
            "--format",
            "text",
            "--out",
            "-",
        )
    )
    assert "3. PATIENTS BY PRECEDENCE: 1 ALPHA (urgent)" in medevac
    wrong = run(
        vault,
        "report",
        "medevac",
        "--location",
        "38S MB 44845 36965",
        "--frequency",
        "45.5",
        "--callsign",
        "M",
        "--patients",
        "A=2",
        "--litter",
        "1",
        "--nationality",
        "A=2",
        "--security",
        "N",
        "--format",
        "text",
        "--out",
        "-",
    )
    assert wrong.returncode == 4 and "litter" in wrong.stderr
    nowhere = run(
        vault,
        "report",
        "sitrep",
        "--from",
        "250000Z NOV 26",
        "--to",
        "260000Z NOV 26",
        "--format",
        "text",
        "--out",
        str(tmp_path / "no" / "x"),
    )
    assert nowhere.returncode == 4 and "does not exist" in nowhere.stderr


def test_categories_can_be_extended_in_a_vault_without_a_mission(vault):
    ok(run(vault, "incident", "categories", "--add", "cattle_raid", "Cattle raid"))
    listed = ok(run(vault, "incident", "categories"))
    assert listed.splitlines()[-1].split() == ["cattle_raid", "Cattle", "raid"]
    add(vault, "--title", "Herd taken", "--category", "cattle raid", "--severity", "2")
    twice = run(vault, "incident", "categories", "--add", "raid2", "cattle RAID ")
    assert twice.returncode == 4 and "is cattle_raid's already" in twice.stderr
    both = run(vault, "incident", "categories", "--add", "a_b", "A b", "--retire", "crime")
    assert both.returncode == 2 and "not allowed with argument" in both.stderr
    unnamed = run(vault, "incident", "list", "--save-filter", " ")
    assert unnamed.returncode == 4 and "needs a name of 1 to 80 characters" in unnamed.stderr


def test_sitrep_with_movements_personnel_and_the_officers_paragraphs(tmp_path):
    from datetime import UTC, datetime, timedelta

    from missiondesk.domain.dtg import format_dtg

    def dtg(minutes: float) -> str:
        return format_dtg(datetime.now(UTC) + timedelta(minutes=minutes))

    vault = tmp_path / "vault"
    ok(run(vault, "init", "--name", "Anna Berg", "--callsign", "ALPHA-1"))
    ok(run(vault, "roster", "add", "--name", "Ben Okafor", "--callsign", "BRAVO-2",
           "--outpost", "OP North"))  # fmt: skip
    out = ok(run(vault, "movement", "plan", "--title", "Resupply OP North", "--person", "BRAVO-2",
                 "--via", "Camp Alpha=38S MB 44845 36965", "--via", "OP North",
                 "--depart", dtg(-180), "--eta", dtg(60), "--interval", "60"))  # fmt: skip
    assert "planned" in out
    ok(run(vault, "watch"))  # its check-ins were missed: every step is raised
    ok(run(vault, "headcount", "start", "--title", "Shelling", "--outpost", "OP North"))
    ok(run(vault, "headcount", "mark", "BRAVO-2", "safe"))
    period = ["--from", dtg(-24 * 60), "--to", dtg(2)]
    text = ok(run(vault, "report", "sitrep", *period, "--logistics", "Fuel for 3 days",
                  "--communications", "HF net down 0600-0800Z", "--assessment", "Calm",
                  "--next-steps", "Resupply OP North at first light", "--format", "text",
                  "--out", "-"))  # fmt: skip
    lines = text.splitlines()
    assert lines[0] == lines[-1] == "CONFIDENTIAL"  # the movement's and the headcount's level
    assert "8. OPERATIONS AND MOVEMENTS:" in lines
    assert re.search(r"Resupply OP North\s+BRAVO-2\s+Camp Alpha - OP North\s+\d{6}Z [A-Z]{3} \d\d"
                     r"\s+ETA \d{6}Z [A-Z]{3} \d\d\s+FLASH\s+\d \(FLASH\)", text)  # fmt: skip
    assert "9. PERSONNEL AND HEADCOUNT:" in lines
    assert re.search(r"OP North\s+1\s+1\s+0\s+0\n", text)
    assert 'Headcount "Shelling" of OP North' in " ".join(text.split())
    assert "10. LOGISTICS: Fuel for 3 days" in lines
    assert "11. COMMUNICATIONS: HF net down 0600-0800Z" in lines  # no mission: no sync facts
    assert "12. ASSESSMENT: Calm" in lines
    assert "13. NEXT STEPS: Resupply OP North at first light" in lines

    pdf = tmp_path / "sitrep.pdf"
    said = ok(run(vault, "report", "sitrep", *period, "--next-steps", "Hold at OP North",
                  "--format", "pdf", "--out", str(pdf)))  # fmt: skip
    assert "marked CONFIDENTIAL" in said
    page = re.sub(r"\s+", " ", " ".join(p.extract_text() for p in pypdf.PdfReader(str(pdf)).pages))
    for needle in ("8. OPERATIONS AND MOVEMENTS:", "9. PERSONNEL AND HEADCOUNT:",
                   "10. LOGISTICS: NIL", "13. NEXT STEPS: Hold at OP North"):  # fmt: skip
        assert needle in page, needle
    assert "ResupplyOPNorth" in page.replace(" ", "")

    earlier = ok(run(vault, "report", "sitrep", "--from", "010000Z JAN 25", "--to",
                     "020000Z JAN 25", "--format", "text", "--out", "-"))  # fmt: skip
    assert "8. OPERATIONS AND MOVEMENTS: NIL" in earlier.splitlines()
    assert "No headcount was started before the end of the period." in " ".join(earlier.split())
    assert "10. LOGISTICS: NIL" in earlier.splitlines()
    assert earlier.splitlines()[0] == "UNCLASSIFIED"


MEDEVAC = ("report", "medevac", "--location", "38S MB 44845 36965", "--frequency", "45.500",
           "--callsign", "MEDIC-4", "--litter", "1", "--security", "N",
           "--marking", "C")  # fmt: skip


def test_a_report_is_sent_to_a_channel_as_a_message(tmp_path):
    vault = tmp_path / "vault"
    ok(run(vault, "init", "--name", "Anna Berg", "--callsign", "ALPHA-1"))
    ok(run(vault, "channel", "create", "medics", "--sensitivity", "confidential"))

    said = ok(run(vault, *MEDEVAC, "--patients", "A=1", "--nationality", "A=1", "--send", "medics"))
    assert re.fullmatch(
        r"Sent the MEDEVAC to #medics as FLASH, marked CONFIDENTIAL \(message \S+\)\. "
        r"Acknowledgements are asked for\.\n", said
    ), said  # fmt: skip
    both = run(vault, *MEDEVAC, "--patients", "C=1", "--nationality", "D=1", "--send", "medics",
               "--format", "text", "--out", "-")  # fmt: skip
    assert both.returncode == 0, both.stderr
    assert both.stdout.startswith("UNCLASSIFIED\n9-LINE MEDEVAC REQUEST")  # the report itself
    assert "as IMMEDIATE" in both.stderr  # priority patients only
    ok(run(vault, "report", "sitrep", "--from", "010000Z NOV 26", "--to", "020000Z NOV 26",
           "--send", "medics", "--precedence", "priority"))  # fmt: skip

    listed = json.loads(ok(run(vault, "message", "list", "--channel", "medics", "--json")))
    assert [(m["precedence"].lower(), m["text"].splitlines()[1]) for m in listed] == [
        ("flash", "9-LINE MEDEVAC REQUEST"),
        ("immediate", "9-LINE MEDEVAC REQUEST"),
        ("priority", "SITREP - SITUATION REPORT"),
    ]
    assert "1. LOCATION OF PICKUP SITE: 38S MB 44845 36965" in listed[0]["text"]
    assert {m["sensitivity"].lower() for m in listed} == {"confidential"}  # the channel's level...
    assert {m["text"].splitlines()[0] for m in listed} == {"CONFIDENTIAL"}  # ...in the text too

    nowhere = run(vault, *MEDEVAC, "--patients", "A=1", "--nationality", "A=1")
    assert nowhere.returncode == 4 and "Say where the report goes" in nowhere.stderr
    unformatted = run(vault, *MEDEVAC, "--patients", "A=1", "--nationality", "A=1", "--out", "-")
    assert unformatted.returncode == 4 and "--format pdf or --format text" in unformatted.stderr
    unknown = run(vault, *MEDEVAC, "--patients", "A=1", "--nationality", "A=1", "--send", "zz")
    assert unknown.returncode == 4 and "Traceback" not in unknown.stderr
    assert len(json.loads(ok(run(vault, "message", "list", "--channel", "medics", "--json")))) == 3


def test_every_wrong_field_of_an_incident_is_named_at_once(vault):
    done = run(vault, "incident", "add", "--title", "", "--category", "nonsense",
               "--severity", "9", "--location", "in the river", "--occurred", "991199Z XYZ 26",
               "--sensitivity", "secret")  # fmt: skip
    assert done.returncode == 4 and len(done.stderr.splitlines()) == 1, done.stderr
    for field in ("title:", "category:", "severity: must be at most 5", "location:",
                  "occurred: '991199Z XYZ 26' has an unknown month", "sensitivity:"):  # fmt: skip
        assert field in done.stderr, (field, done.stderr)
    incident = add(vault, "--title", "Shots near the gate", "--category", "small arms fire",
                   "--severity", "2", "--occurred", "031100Z DEC 26",
                   "--sensitivity", "c")  # fmt: skip
    shown = json.loads(ok(run(vault, "incident", "show", incident, "--json")))
    fields = shown.get("fields", shown)
    assert (fields["severity"], fields["sensitivity"]) == (2, "confidential")
    assert fields["occurred"].startswith("2026-12-03T11:00")
