import json
import os
import shutil
import subprocess
import sys
import textwrap
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from missiondesk.crypto.keywrap import WrappedKey, WrongPassphrase, unwrap_data_key
from missiondesk.domain.errors import AccessDenied, InvalidInput, Unavailable
from missiondesk.domain.markings import Precedence
from missiondesk.services.audit import AuditEvent
from missiondesk.services.passphrase_check import check_passphrase
from missiondesk.services.passphrase_policy import assess
from missiondesk.services.vault_access import change_passphrase, create_vault, unlock_vault
from missiondesk.store.connection import CipherSettings, open_encrypted
from missiondesk.store.errors import (
    MigrationFailed,
    StorageFull,
    VaultCorrupt,
    VaultInUse,
    VaultNotFound,
)
from missiondesk.store.layout import VaultLayout
from missiondesk.store.migrations import LATEST
from tests.conftest import FAST_KDF, PASSPHRASE
from tests.holder import held_by_another_process

FIXTURES = Path(__file__).parent.parent / "fixtures"


def events(session) -> list[str]:
    return [e.event for e in session.audit.entries()]


def test_create_then_unlock_keeps_everything(session, vault_dir):
    session.messaging.send("general", "Radio check at 1800", Precedence.PRIORITY)
    session.close()
    again = unlock_vault(vault_dir, PASSPHRASE)
    assert [m.text for m in again.messaging.list()] == ["Radio check at 1800"]
    assert again.people.me().callsign == "ALPHA-1"
    assert events(again) == [AuditEvent.CREATED, AuditEvent.UNLOCKED]
    again.close()


def test_files_are_private(session, vault_dir):
    layout = VaultLayout(vault_dir)
    assert layout.root.stat().st_mode & 0o077 == 0
    for path in (layout.database, layout.key_file):
        assert path.stat().st_mode & 0o077 == 0, path


def test_refuses_to_overwrite_an_existing_vault(session, vault_dir):
    with pytest.raises(InvalidInput, match="already exists"):
        create_vault(vault_dir, PASSPHRASE, name="X", kdf=FAST_KDF)


def test_a_database_whose_key_file_is_lost_is_never_replaced(session, vault_dir):
    session.messaging.send("general", "Fuel state at OP North", Precedence.ROUTINE)
    session.close()
    layout = VaultLayout(vault_dir)
    kept = layout.database.read_bytes()
    layout.key_file.rename(vault_dir.parent / "vault.key.saved")  # lost (e.g. a bad copy)
    with pytest.raises(VaultCorrupt, match="not its key file") as opening:
        unlock_vault(vault_dir, PASSPHRASE)
    assert "missiondesk init" not in str(opening.value)  # never told to make one over it
    with pytest.raises(InvalidInput, match="without its key file"):
        create_vault(vault_dir, PASSPHRASE, name="New officer", kdf=FAST_KDF)
    assert layout.database.read_bytes() == kept
    assert not layout.key_file.exists() and not layout.creating_marker.exists()
    (vault_dir.parent / "vault.key.saved").rename(layout.key_file)  # put back from a backup
    again = unlock_vault(vault_dir, PASSPHRASE)
    assert [m.text for m in again.messaging.list()] == ["Fuel state at OP North"]
    again.close()


def test_a_creation_that_never_finished_is_cleared_by_the_next(tmp_path):
    root = tmp_path / "v"
    root.mkdir()
    layout = VaultLayout(root)
    layout.database.write_bytes(b"half a database")  # a creation cut off before its key file
    layout.creating_marker.touch()
    session = create_vault(root, PASSPHRASE, name="X", kdf=FAST_KDF)
    session.close()
    assert layout.key_file.is_file() and not layout.creating_marker.exists()
    unlock_vault(root, PASSPHRASE).close()


def test_a_vault_path_that_is_a_file_or_cannot_be_made_is_refused_plainly(tmp_path):
    a_file = tmp_path / "notes.txt"
    a_file.write_text("mine")
    with pytest.raises(InvalidInput, match="is a file, not a folder"):
        create_vault(a_file, PASSPHRASE, name="X", kdf=FAST_KDF)
    assert a_file.read_text() == "mine"
    with pytest.raises(VaultNotFound, match="cannot be made"):
        create_vault(a_file / "vault", PASSPHRASE, name="X", kdf=FAST_KDF)


def test_short_passphrase_is_refused(tmp_path):
    with pytest.raises(InvalidInput, match="too short"):
        create_vault(tmp_path / "v", "short", name="X", kdf=FAST_KDF)
    assert not (tmp_path / "v" / "vault.key").exists()


@pytest.mark.parametrize(
    ("passphrase", "reason"),
    [
        (" " * 8, "only spaces"),
        ("aaaaaaaaaaaa", "too few characters"),
        ("abababab", "too few characters"),
        ("12345678", "run of characters"),
        ("hgfedcba", "run of characters"),
        ("Password1", "first ones guessed"),
    ],
)
def test_passphrases_guessed_first_are_refused(tmp_path, passphrase: str, reason: str):
    with pytest.raises(InvalidInput, match=reason):
        create_vault(tmp_path / "v", passphrase, name="X", kdf=FAST_KDF)
    assert not (tmp_path / "v" / "vault.key").exists()
    assert assess(passphrase).label == "not accepted"
    assert assess("Walnut Harbour 9").label != "not accepted"  # words, even short ones


def test_wrong_passphrase_is_plain_counted_and_audited(session, vault_dir):
    session.close()
    for _ in range(2):
        with pytest.raises(WrongPassphrase, match="Wrong passphrase"):
            unlock_vault(vault_dir, "not the passphrase")
    again = unlock_vault(vault_dir, PASSPHRASE)
    assert events(again) == [
        AuditEvent.CREATED,
        AuditEvent.UNLOCK_FAILED,
        AuditEvent.UNLOCK_FAILED,
        AuditEvent.UNLOCKED,
    ]
    assert not VaultLayout(vault_dir).failures_file.exists()
    assert again.audit.verify().ok
    again.close()


def test_repeated_failures_slow_down(session, vault_dir):
    session.close()
    for _ in range(3):
        with pytest.raises(WrongPassphrase):
            unlock_vault(vault_dir, "not the passphrase")
    with pytest.raises(AccessDenied, match="Too many wrong passphrases"):
        unlock_vault(vault_dir, PASSPHRASE)  # even the right one must wait
    failures = VaultLayout(vault_dir).failures_file
    past = (datetime.now(UTC) - timedelta(minutes=10)).isoformat()
    failures.write_text(json.dumps({"failures": [past] * 3}))  # the wait has passed
    unlock_vault(vault_dir, PASSPHRASE).close()


def test_a_check_made_beforehand_opens_the_vault_or_refuses_it_as_the_unlock_would(
    session, vault_dir
):
    """The desktop checks the passphrase on a thread of its own and hands the unlock the
    result: a right one opens the vault, a wrong one is refused and counted, and either way
    the vault is left unlocked for the next try."""
    session.close()
    with pytest.raises(WrongPassphrase):
        unlock_vault(
            vault_dir, "", checked=lambda: check_passphrase(vault_dir, "not the passphrase")
        )
    assert VaultLayout(vault_dir).failures_file.exists()  # counted by the check
    key = check_passphrase(vault_dir, PASSPHRASE)
    assert key.data_key.hex() not in repr(key) and "withheld" in repr(key)
    again = unlock_vault(vault_dir, "", checked=lambda: key)
    assert events(again)[-2:] == [AuditEvent.UNLOCK_FAILED, AuditEvent.UNLOCKED]
    again.close()
    with pytest.raises(VaultNotFound):
        check_passphrase(vault_dir / "elsewhere", PASSPHRASE)


def test_passphrase_change_rewraps_the_same_data_key(session, vault_dir):
    layout = VaultLayout(vault_dir)
    old_key = unwrap_data_key(
        WrappedKey.from_dict(json.loads(layout.key_file.read_text())), PASSPHRASE
    )
    with pytest.raises(WrongPassphrase):
        change_passphrase(session, "not the passphrase", "a brand new passphrase")
    change_passphrase(session, PASSPHRASE, "a brand new passphrase")
    session.close()
    wrapped = WrappedKey.from_dict(json.loads(layout.key_file.read_text()))
    assert unwrap_data_key(wrapped, "a brand new passphrase") == old_key
    with pytest.raises(WrongPassphrase):
        unlock_vault(vault_dir, PASSPHRASE)
    again = unlock_vault(vault_dir, "a brand new passphrase")
    assert AuditEvent.PASSPHRASE_CHANGED in events(again)
    assert not list(vault_dir.glob(".*.tmp"))  # the atomic write left no temp file
    again.close()


def test_missing_folder_and_missing_key_file(tmp_path, session, vault_dir):
    with pytest.raises(VaultNotFound, match="No vault"):
        unlock_vault(tmp_path / "nowhere", PASSPHRASE)
    with pytest.raises(VaultNotFound):
        unlock_vault(tmp_path, PASSPHRASE)  # a folder that is not a vault
    assert not (tmp_path / "vault.lock").exists()  # and nothing was left in it
    session.close()
    (vault_dir / "vault.key").unlink()
    with pytest.raises(VaultCorrupt, match="not its key file"):  # its database is still there
        unlock_vault(vault_dir, PASSPHRASE)


@pytest.mark.parametrize("damage", ["garbage", "truncate", "empty"])
def test_damaged_database_is_reported_not_crashed(session, vault_dir, damage):
    session.messaging.send("general", "keep me", Precedence.ROUTINE)
    session.close()
    db = vault_dir / "vault.db"
    if damage == "garbage":
        db.write_bytes(os.urandom(db.stat().st_size))
    elif damage == "truncate":
        db.write_bytes(db.read_bytes()[:1000])
    else:
        db.write_bytes(b"")
    with pytest.raises(Unavailable):
        unlock_vault(vault_dir, PASSPHRASE)
    assert (vault_dir / "vault.key").exists()  # nothing else was touched


def test_damaged_key_file(session, vault_dir):
    session.close()
    (vault_dir / "vault.key").write_text("{not json")
    with pytest.raises(VaultCorrupt, match="key file"):
        unlock_vault(vault_dir, PASSPHRASE)


def test_vault_open_in_another_process_is_refused(session, vault_dir):
    session.close()
    with (
        held_by_another_process(vault_dir, PASSPHRASE),
        pytest.raises(VaultInUse, match="open in another"),
    ):
        unlock_vault(vault_dir, PASSPHRASE)
    unlock_vault(vault_dir, PASSPHRASE).close()  # free again once the other process let go


def test_disk_full_in_the_middle_of_a_write_loses_nothing(session, vault_dir):
    session.messaging.send("general", "written before the disk filled", Precedence.ROUTINE)
    conn = session.vault.conn
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.execute(f"PRAGMA max_page_count = {pages}")
    with pytest.raises(StorageFull, match="not saved"):
        session.messaging.send("general", "x" * 19_000, Precedence.ROUTINE)
    with pytest.raises(StorageFull):  # the chain head did not move: the next op retries cleanly
        session.messaging.send("general", "y" * 19_000, Precedence.ROUTINE)
    session.close()
    again = unlock_vault(vault_dir, PASSPHRASE)
    assert [m.text for m in again.messaging.list()] == ["written before the disk filled"]
    again.messaging.send("general", "after space was freed", Precedence.ROUTINE)
    assert again.verify_operations().ok
    again.close()


@pytest.mark.skipif(sys.platform == "win32", reason="RLIMIT_FSIZE is POSIX")
def test_write_refused_by_the_filesystem_is_reported(session, vault_dir):
    """A real write failure from the kernel (file size limit), in a separate process."""
    session.messaging.send("general", "safe", Precedence.ROUTINE)
    session.close()
    script = textwrap.dedent(f"""
        import resource, signal, sys
        from missiondesk.services.vault_access import unlock_vault
        from missiondesk.store.errors import StorageFull
        s = unlock_vault({str(vault_dir)!r}, {PASSPHRASE!r})
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        size = max(p.stat().st_size for p in s.vault.layout.database_files() if p.exists())
        resource.setrlimit(resource.RLIMIT_FSIZE, (size + 4096, size + 4096))
        try:
            for i in range(200):
                s.messaging.send("general", "z" * 15000, )
        except StorageFull as exc:
            print("refused:", exc.message)
            sys.exit(0)
        sys.exit(1)
    """)
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert "not saved" in done.stdout
    again = unlock_vault(vault_dir, PASSPHRASE)
    assert "safe" in [m.text for m in again.messaging.list()]
    assert again.verify_operations().ok
    again.close()


def test_a_failed_migration_says_so_keeps_the_vault_and_its_copy(tmp_path):
    path = tmp_path / "v9"
    old = create_vault(path, PASSPHRASE, name="Anna", kdf=FAST_KDF, schema_target=9)
    old.messaging.send("general", "Convoy left at 0600")
    with old.vault.transaction() as conn:  # what step 10 makes is there already: it fails
        conn.execute("CREATE TABLE layer_tiles (unexpected INTEGER)")
    old.close()
    with pytest.raises(MigrationFailed) as failed:
        unlock_vault(path, PASSPHRASE)
    text = failed.value.message
    backups = list((path / "backups").glob("vault-v9-*.db"))
    assert len(backups) == 1 and backups[0].name in text
    assert "the step to schema 10 (map layers" in text and "stays at schema 9" in text
    assert "damaged" not in text
    key_file = json.loads((path / "vault.key").read_text())
    key = unwrap_data_key(WrappedKey.from_dict(key_file), PASSPHRASE)
    cipher = CipherSettings.from_dict(key_file["database"])
    for database in (VaultLayout(path).database, backups[0]):
        db = open_encrypted(database, key, cipher=cipher)
        assert db.execute("PRAGMA user_version").fetchone()[0] == 9
        assert db.execute("SELECT count(*) FROM messages").fetchone()[0] == 1
        db.close()
    fixed = open_encrypted(VaultLayout(path).database, key, cipher=cipher)
    fixed.execute("DROP TABLE layer_tiles")  # what the IT focal point would mend
    fixed.close()
    again = unlock_vault(path, PASSPHRASE)
    try:
        assert again.vault.schema_version == LATEST
        assert [m.text for m in again.messaging.list()] == ["Convoy left at 0600"]
    finally:
        again.close()


def test_migration_from_schema_1_backs_up_first(tmp_path):
    from tests.fixtures.make_v1_vault import FIXTURE_PASSPHRASE

    vault_dir = tmp_path / "old"
    shutil.copytree(FIXTURES / "vault-v1", vault_dir)
    session = unlock_vault(vault_dir, FIXTURE_PASSPHRASE)
    try:
        assert session.vault.schema_version == LATEST
        backups = list((vault_dir / "backups").glob("vault-v1-*.db"))
        assert len(backups) == 1
        assert AuditEvent.MIGRATED in events(session)
        assert [r.type for r in session.search.search("bridge")] == ["message"]
        assert [r.type for r in session.search.search("roadblock")] == ["incident"]
        from missiondesk.domain.incident_filter import IncidentFilter

        listed = session.incidents.page(IncidentFilter(grid="38SMB", text="militia"))
        assert [r.title for r in listed.rows] == ["Roadblock on the northern supply route"]
        assert session.verify_operations().ok
        key_file = json.loads((vault_dir / "vault.key").read_text())
        key = unwrap_data_key(WrappedKey.from_dict(key_file), FIXTURE_PASSPHRASE)
    finally:
        session.close()
    old = open_encrypted(
        backups[0], key, cipher=CipherSettings.from_dict(key_file["database"])
    )  # the backup is the untouched schema-1 vault
    assert old.execute("PRAGMA user_version").fetchone()[0] == 1
    old.close()
    unlock_vault(vault_dir, FIXTURE_PASSPHRASE).close()  # no second migration, no new backup
    assert len(list((vault_dir / "backups").glob("*.db"))) == 1


def test_newer_schema_is_refused_clearly(session, vault_dir):
    session.vault.conn.execute("PRAGMA user_version = 99")
    session.close()
    with pytest.raises(VaultCorrupt, match="newer MissionDesk"):
        unlock_vault(vault_dir, PASSPHRASE)
