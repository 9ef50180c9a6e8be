"""The command line end to end, through real subprocesses, with the real Argon2id parameters."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from missiondesk.store.migrations import LATEST
from tests.holder import held_by_another_process

PASS = "field passphrase 42"
pytestmark = pytest.mark.slow


def run(
    vault: Path | None,
    *args: str,
    passphrase: str | None = PASS,
    env_extra: dict[str, str] | None = None,
    stdin: str | None = None,
):
    env = {k: v for k, v in os.environ.items() if not k.startswith("MISSIONDESK_")}
    if passphrase is not None:
        env["MISSIONDESK_PASSPHRASE"] = passphrase
    env.update(env_extra or {})
    argv = [sys.executable, "-m", "missiondesk"] + (["--vault", str(vault)] if vault else [])
    done = subprocess.run(
        [*argv, *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        input=stdin if stdin is not None else "",
    )
    assert "Traceback" not in done.stderr, done.stderr
    return done


@pytest.fixture(scope="module")
def vault(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("cli") / "vault"
    done = run(path, "init", "--name", "Anna Berg", "--callsign", "ALPHA-1")
    assert done.returncode == 0, done.stderr
    assert "Device fingerprint" in done.stdout
    return path


def test_version():
    done = run(None, "--version")
    assert done.returncode == 0 and done.stdout.startswith("MissionDesk ")


def test_message_round_trip_with_json(vault):
    done = run(
        vault,
        "message",
        "send",
        "--channel",
        "general",
        "--text",
        "Convoy departs 0600",
        "--precedence",
        "flash",
    )
    assert done.returncode == 0, done.stderr
    listed = json.loads(run(vault, "message", "list", "--channel", "general", "--json").stdout)
    assert [(m["text"], m["precedence"], m["author_name"]) for m in listed] == [
        ("Convoy departs 0600", "FLASH", "ALPHA-1")
    ]
    plain = run(vault, "message", "list").stdout
    assert "[FLASH]" in plain and "ALPHA-1" in plain


def test_incident_add_list_and_search(vault):
    done = run(
        vault,
        "incident",
        "add",
        "--title",
        "Shots fired near checkpoint 4",
        "--category",
        "small_arms_fire",
        "--severity",
        "3",
        "--location",
        "38S MB 44845 36965",
        "--description",
        "Two bursts from the ridge",
        "--occurred",
        "221530Z NOV 26",
    )
    assert done.returncode == 0, done.stderr
    done = run(
        vault,
        "incident",
        "add",
        "--title",
        "Crowd at the gate",
        "--category",
        "civil_unrest",
        "--severity",
        "2",
        "--location",
        "33.31,44.36",
    )
    assert done.returncode == 0, done.stderr
    incidents = json.loads(run(vault, "incident", "list", "--json").stdout)
    shots = next(i for i in incidents if i["title"].startswith("Shots"))
    assert shots["occurred_dtg"] == "221530Z NOV 26"
    assert shots["location"]["mgrs"] == "38S MB 44845 36965"
    assert shots["severity"] == 3 and shots["status"] == "draft"
    found = json.loads(run(vault, "search", "ridge", "--json").stdout)
    assert [f["title"] for f in found] == ["Shots fired near checkpoint 4"]


def test_verify_commands(vault):
    done = run(vault, "ops", "verify")
    assert done.returncode == 0 and done.stdout.startswith("OK:")
    done = run(vault, "audit", "verify")
    assert done.returncode == 0 and "chain intact" in done.stdout
    status = json.loads(run(vault, "status", "--json").stdout)
    assert status["callsign"] == "ALPHA-1" and status["schema_version"] == LATEST


@pytest.mark.parametrize(
    ("args", "code", "says"),
    [
        (("bogus",), 2, "invalid choice"),
        (("message", "send", "--channel", "general"), 2, "--text"),
        (("message", "send", "--channel", "nowhere", "--text", "x"), 4, "no channel"),
        (
            ("message", "send", "--channel", "general", "--text", "x", "--precedence", "urgent"),
            4,
            "not a precedence",
        ),
        (
            ("incident", "add", "--title", "x", "--category", "fire", "--severity", "9"),
            4,
            "severity",
        ),
        (
            (
                "incident",
                "add",
                "--title",
                "x",
                "--category",
                "fire",
                "--severity",
                "1",
                "--location",
                "behind the hill",
            ),
            4,
            "not a location",
        ),
        (
            ("incident", "add", "--title", "x", "--category", "parade", "--severity", "1"),
            4,
            "category",
        ),
        (
            (
                "incident",
                "add",
                "--title",
                "x",
                "--category",
                "fire",
                "--severity",
                "1",
                "--occurred",
                "yesterday",
            ),
            4,
            "date-time group",
        ),
    ],
)
def test_refusals_have_documented_codes_and_one_clear_line(vault, args, code, says):
    done = run(vault, *args)
    assert done.returncode == code, (done.stdout, done.stderr)
    assert says in done.stderr


def test_wrong_passphrase_exits_3(vault):
    done = run(vault, "status", passphrase="not my passphrase")
    assert done.returncode == 3
    assert done.stderr.strip() == "missiondesk: Wrong passphrase."
    assert run(vault, "status").returncode == 0  # and the next right one still works


def test_no_passphrase_and_no_terminal_is_a_usage_error(vault):
    done = run(vault, "status", passphrase=None)
    assert done.returncode == 2 and "MISSIONDESK_PASSPHRASE" in done.stderr


def test_missing_vault_exits_5(tmp_path):
    done = run(tmp_path / "nothing-here", "message", "list")
    assert done.returncode == 5 and "No vault" in done.stderr
    assert "missiondesk init" in done.stderr


def test_vault_env_variable_selects_the_vault(vault):
    done = run(None, "status", "--json", env_extra={"MISSIONDESK_VAULT": str(vault)})
    assert json.loads(done.stdout)["vault"] == str(vault)


def test_corrupt_vault_exits_5(tmp_path):
    path = tmp_path / "v"
    assert run(path, "init", "--name", "X Y").returncode == 0
    (path / "vault.db").write_bytes(os.urandom(8192))
    done = run(path, "status")
    assert done.returncode == 5 and "cannot be read" in done.stderr


def test_vault_locked_by_another_process_exits_3(vault):
    with held_by_another_process(vault, PASS):
        done = run(vault, "message", "list")
        assert done.returncode == 3 and "open in another" in done.stderr


def test_passphrase_change_from_environment(tmp_path):
    path = tmp_path / "v"
    assert run(path, "init", "--name", "X Y").returncode == 0
    done = run(
        path, "passphrase", "change", env_extra={"MISSIONDESK_NEW_PASSPHRASE": "the new passphrase"}
    )
    assert done.returncode == 0, done.stderr
    assert run(path, "status").returncode == 3
    assert run(path, "status", passphrase="the new passphrase").returncode == 0
    audit = json.loads(run(path, "audit", "list", "--json", passphrase="the new passphrase").stdout)
    assert "vault.passphrase_changed" in [a["event"] for a in audit]


def test_init_refuses_short_passphrase_and_existing_vault(tmp_path, vault):
    done = run(tmp_path / "v", "init", "--name", "X", passphrase="short")
    assert done.returncode == 4 and "too short" in done.stderr
    done = run(vault, "init", "--name", "X")
    assert done.returncode == 4 and "already exists" in done.stderr


def test_init_never_replaces_a_database_whose_key_file_is_gone(tmp_path):
    vault = tmp_path / "v"
    assert run(vault, "init", "--name", "X Y").returncode == 0
    (vault / "vault.key").unlink()
    kept = (vault / "vault.db").read_bytes()
    done = run(vault, "status")
    assert done.returncode == 5 and "not its key file" in done.stderr
    assert "missiondesk init" not in done.stderr
    done = run(vault, "init", "--name", "X")
    assert done.returncode == 4 and "without its key file" in done.stderr
    assert (vault / "vault.db").read_bytes() == kept
    a_file = tmp_path / "afile"
    a_file.write_text("")
    done = run(a_file, "init", "--name", "X")
    assert done.returncode == 4 and "is a file, not a folder" in done.stderr, done.stderr


def test_tampered_op_log_fails_verification_with_code_4(tmp_path):
    path = tmp_path / "v"
    assert run(path, "init", "--name", "X Y").returncode == 0
    script = textwrap.dedent(f"""
        from missiondesk.services.vault_access import unlock_vault
        s = unlock_vault({str(path)!r}, {PASS!r})
        s.vault.conn.execute("UPDATE ops SET payload = replace(payload, 'general', 'genera1')")
        s.close()
    """)
    subprocess.run([sys.executable, "-c", script], check=True)
    done = run(path, "ops", "verify")
    assert done.returncode == 4
    assert "FAIL" in done.stdout and "Verification failed" in done.stderr


def test_attachments_members_and_pending_from_the_command_line(vault, tmp_path: Path):
    report = tmp_path / "patrol report.txt"
    report.write_text("Patrol N-2 returned 1420Z, nothing to report.")
    done = run(vault, "channel", "create", "night-watch", "--kind", "role", "--member", "alpha-1")
    assert done.returncode == 0, done.stderr
    done = run(
        vault,
        "message", "send", "--channel", "night-watch", "--text", "Report attached",
        "--precedence", "O", "--attach", str(report), "--attach", str(report),
    )  # fmt: skip
    assert done.returncode == 0 and "with 1 attachment" in done.stdout  # the same file once
    listed = json.loads(run(vault, "message", "list", "--channel", "night-watch", "--json").stdout)
    message = listed[-1]
    assert message["attachments"][0]["name"] == "patrol report.txt"
    assert message["state"] == "queued"
    shown = run(vault, "message", "show", message["id"])
    assert "Attachment: patrol report.txt (text/plain" in shown.stdout
    out = tmp_path / "copy.txt"
    saved = run(vault, "attachment", "save", message["attachments"][0]["id"], "--out", str(out))
    assert saved.returncode == 0 and "not encrypted" in saved.stdout
    assert out.read_text() == report.read_text()
    assert "data.exported" in run(vault, "audit", "list").stdout
    channels = json.loads(run(vault, "channel", "list", "--json").stdout)
    watch = next(c for c in channels if c["name"] == "night-watch")
    assert watch["member_names"] == ["ALPHA-1"] and watch["kind"] == "role"
    assert "Nothing waits" in run(vault, "message", "pending").stdout


def test_bad_attachments_and_people_are_refused_with_exit_4(vault, tmp_path: Path):
    missing = run(
        vault, "message", "send", "--channel", "general", "--text", "x",
        "--attach", str(tmp_path / "none.pdf"),
    )  # fmt: skip
    assert missing.returncode == 4 and "does not exist" in missing.stderr
    nobody = run(vault, "channel", "direct", "ZULU-9")
    assert nobody.returncode == 4 and "No single person" in nobody.stderr
    folder = run(vault, "attachment", "save", "01a00000-0000-7000-8000-000000000000", "--out", "/")
    assert folder.returncode == 4


def test_no_command_without_a_display_says_so_instead_of_aborting(vault):
    env = {"DISPLAY": "", "WAYLAND_DISPLAY": "", "QT_QPA_PLATFORM": ""}
    done = run(vault, env_extra=env)
    assert done.returncode == 5
    assert "No desktop display was found" in done.stderr


def test_output_closed_early_ends_quietly(tmp_path):
    vault = tmp_path / "vault"
    assert run(vault, "init", "--name", "Anna Berg").returncode == 0
    env = {k: v for k, v in os.environ.items() if not k.startswith("MISSIONDESK_")}
    env["MISSIONDESK_PASSPHRASE"] = PASS
    reader = subprocess.Popen(
        [sys.executable, "-m", "missiondesk", "--vault", str(vault), "channel", "list"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert reader.stdout is not None and reader.stderr is not None
    reader.stdout.close()  # as `| head` does once it has its lines
    err = reader.stderr.read().decode()
    assert reader.wait(timeout=60) == 141
    assert err == ""


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (("message", "list", "--limit", "9" * 20), "is too large: at most 1,000,000,000"),
        (("search", "convoy", "--limit", "9" * 20), "is too large"),
        (("incident", "list", "--offset", "9" * 20), "is too large"),
        (("incident", "list", "--offset", "-1"), "is not a whole number (0 or more)"),
        (
            ("message", "list", "--limit", "²"),
            "is not a positive whole number",
        ),  # a digit, no number
        (
            (
                "incident",
                "add",
                "--title",
                "t",
                "--category",
                "other",
                "--severity",
                "1",
                "--killed",
                "civ=" + "9" * 20,
            ),
            "civilians is too many: at most 1,000,000",
        ),
    ],
)
def test_numbers_beyond_reason_are_refused_plainly(vault, args, said):
    done = run(vault, *args)
    assert done.returncode == 4, done.stderr
    assert done.stderr.startswith("missiondesk: ") and said in done.stderr


def test_files_the_system_refuses_are_said_plainly(vault, tmp_path):
    long_name = "a" * 300
    for args, said in (
        (("incident", "export", "--format", "csv", "--out", ""), "--out was empty"),
        (("mission", "package", "export", "--out", ""), "--out was empty"),
        (("map", "render", "--out", str(tmp_path / f"{long_name}.png")), "is too long"),
        (("layer", "import", str(tmp_path / f"{long_name}.geojson")), "File name too long"),
        (("mission", "package", "show", str(tmp_path / f"{long_name}.mission")), "too long"),
        (("incident", "export", "--format", "csv", "--out", "/proc/x.csv"), "/proc/x.csv"),
    ):
        done = run(vault, *args)
        assert done.returncode == 4, (args, done.stderr)
        assert done.stderr.startswith("missiondesk: ") and said in done.stderr, done.stderr
        assert "unexpected" not in done.stderr and "previous file" not in done.stderr


def test_a_message_cannot_drive_the_terminal_that_lists_it(vault):
    text = "Report\x1b[2J\x1b]0;owned\x07 in\nfull"
    assert run(vault, "message", "send", "--channel", "general", "--text", text).returncode == 0
    listed = run(vault, "message", "list", "--limit", "1")
    assert listed.returncode == 0, listed.stderr
    assert "\x1b" not in listed.stdout and "\x07" not in listed.stdout
    assert listed.stdout.strip().endswith("Report\\x1b[2J\\x1b]0;owned\\x07 in ⏎ full")
    assert len(listed.stdout.strip().splitlines()) == 1


def test_usage_errors_are_one_line_and_choices_take_any_case(vault):
    done = run(vault, "channel", "create", "ops-east", "--kind", "Sideways")
    assert done.returncode == 2
    assert done.stderr.splitlines() == [
        "missiondesk: argument --kind: invalid choice: 'sideways' (choose from 'mission', "
        "'outpost', 'role', 'ad_hoc', 'direct') (see: missiondesk channel create --help)"
    ]
    done = run(vault, "checklist", "start")
    assert done.returncode == 2 and len(done.stderr.splitlines()) == 1
    assert done.stderr.startswith("missiondesk: the following arguments are required: template")
    made = run(vault, "channel", "create", "ops-east", "--kind", "Outpost")
    assert made.returncode == 0, made.stderr
    kinds = {
        c["name"]: c["kind"] for c in json.loads(run(vault, "channel", "list", "--json").stdout)
    }
    assert kinds["ops-east"] == "outpost"


def test_an_empty_vault_path_is_refused_not_swapped_for_the_default(tmp_path):
    done = run(None, "--vault", "", "status")
    assert done.returncode == 2 and "--vault was empty" in done.stderr
    home = tmp_path / "home"
    unset = run(
        None, "status", env_extra={"MISSIONDESK_VAULT": "", "XDG_DATA_HOME": str(home)}
    )  # empty is unset: the default folder, which has no vault here
    assert unset.returncode == 5 and str(home) in unset.stderr, unset.stderr
