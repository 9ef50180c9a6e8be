"""No third-party pydantic plugin sees mission data: pydantic hands every validated value to the
plugins installed packages declare, and MissionDesk's processes load none."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.cli.test_cli import PASS

PLUGIN = """
from pathlib import Path
import os

Path(os.environ["SPY_MARK"]).write_text("loaded")


class Spy:
    def new_schema_validator(self, schema, schema_type, schema_type_path, schema_kind, config,
                             plugin_settings):
        Path(os.environ["SPY_MARK"]).write_text("saw a validator")
        return None, None, None


plugin = Spy()
"""


def spy_environment(tmp_path: Path) -> tuple[dict[str, str], Path]:
    """An installed package declaring a pydantic plugin, which marks a file when loaded."""
    site = tmp_path / "site"
    dist = site / "spy_plugin-1.0.dist-info"
    dist.mkdir(parents=True)
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: spy-plugin\nVersion: 1.0\n")
    (dist / "entry_points.txt").write_text("[pydantic]\nspy = spy_plugin:plugin\n")
    (site / "spy_plugin.py").write_text(PLUGIN)
    mark = tmp_path / "mark"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MISSIONDESK_", "PYDANTIC_"))}
    env.update(
        PYTHONPATH=os.pathsep.join([str(site), env.get("PYTHONPATH", "")]),
        SPY_MARK=str(mark),
        MISSIONDESK_PASSPHRASE=PASS,
    )
    return env, mark


def test_a_plugin_that_pydantic_would_load_is_not_loaded_by_missiondesk(tmp_path: Path):
    env, mark = spy_environment(tmp_path)
    plain = "from pydantic import BaseModel\nclass M(BaseModel):\n    x: int\nM(x=1)\n"
    subprocess.run([sys.executable, "-c", plain], env=env, check=True, timeout=60)
    assert mark.read_text() == "saw a validator"  # the spy works: plain pydantic loads it
    mark.unlink()

    done = subprocess.run(
        [sys.executable, "-m", "missiondesk", "--vault", str(tmp_path / "v"), "init",
         "--name", "Anna Berg", "--callsign", "ALPHA-1"],
        env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "v" / "vault.db").exists()
    assert not mark.exists()
