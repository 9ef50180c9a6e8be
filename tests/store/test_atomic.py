import stat
import subprocess
import sys
import textwrap

import pytest

from missiondesk.store.atomic import write_atomically


def test_replaces_the_file_and_keeps_it_private(tmp_path):
    target = tmp_path / "vault.key"
    target.write_bytes(b"old")
    write_atomically(target, b"new content")
    assert target.read_bytes() == b"new content"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["vault.key"]


@pytest.mark.skipif(sys.platform == "win32", reason="RLIMIT_FSIZE is POSIX")
def test_a_write_the_disk_refuses_leaves_the_old_file_whole(tmp_path):
    target = tmp_path / "vault.key"
    target.write_bytes(b"the old key file")
    script = textwrap.dedent(f"""
        import resource, signal, sys
        from pathlib import Path
        from missiondesk.store.atomic import write_atomically
        from missiondesk.store.errors import StorageFull
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))
        try:
            write_atomically(Path({str(target)!r}), b"x" * 100_000)
        except StorageFull as exc:
            print(exc.message)
            sys.exit(0)
        sys.exit(1)
    """)
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert "previous file is unchanged" in done.stdout
    assert target.read_bytes() == b"the old key file"
    assert [p.name for p in tmp_path.iterdir()] == ["vault.key"]  # no temp file left behind
