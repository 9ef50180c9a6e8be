"""No plaintext of personnel-protection data on disk: a canary written through the roster, its
emergency details, a movement, its check-ins and alerts, a headcount and a panic appears in no
file under the vault folder, the temp folder or the log folder (the scanner of
test_canary.py)."""

import os
import subprocess
import sys
import textwrap

from tests.services.test_canary import CANARY, files_containing, needles

WRITER = textwrap.dedent("""
    import sys
    from datetime import UTC, datetime, timedelta
    from pathlib import Path
    from missiondesk.diagnostics import configure_logging
    from missiondesk.crypto.keywrap import KdfParams
    from missiondesk.services.vault_access import create_vault, unlock_vault

    vault, logs, canary = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
    configure_logging(logs)
    kdf = KdfParams(memory_kib=8192, iterations=1, lanes=1)
    s = create_vault(vault, "passphrase for canary", name="Anna", callsign="A-1", kdf=kdf)
    now = datetime.now(UTC)
    s.roster.add(canary, callsign="C-9", unit=canary, outpost=canary, emergency={
        "next_of_kin": canary, "next_of_kin_contact": canary, "allergies": canary,
        "medical_notes": canary})
    movement = s.movements.plan(canary, ["C-9"], [canary + "=33.3, 44.4", canary],
                                depart=now - timedelta(hours=3), eta=now, interval=60,
                                vehicles=[canary])
    assert len(s.watch.tick(now).found["movements"]) == 3
    s.movements.check_in(movement, "33.3, 44.4", note=canary)
    s.alerts.panic("C-9", note=canary)
    headcount = s.headcount.start(canary)
    s.headcount.mark(headcount, "C-9", "needs_help", note=canary)
    s.close()
    s = unlock_vault(vault, "passphrase for canary")
    assert s.verify_operations().ok
    s.close()
    print("written")
""")


def test_protection_canary_never_reaches_disk_in_plaintext(tmp_path):
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
    assert files_containing(tmp_path, needles()) == []
