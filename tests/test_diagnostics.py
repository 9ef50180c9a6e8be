"""The log file: capped in size, turned over to three older files, exception text left out."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import pytest

from missiondesk.diagnostics import RedactingFormatter, SizeCappedLog


@pytest.fixture
def log(tmp_path: Path):
    handler = SizeCappedLog(tmp_path / "missiondesk.log", max_bytes=1_000, backups=3)
    handler.setFormatter(RedactingFormatter("%(levelname)s %(message)s"))
    logger = logging.getLogger("test.diagnostics")
    logger.propagate = False
    logger.setLevel(logging.INFO)
    logger.addHandler(handler)
    yield logger, tmp_path
    logger.removeHandler(handler)
    handler.close()


def test_the_log_turns_over_before_it_passes_its_cap_and_keeps_three_older_files(log):
    logger, folder = log
    for n in range(200):
        logger.info("event %03d %s", n, "x" * 40)
    names = sorted(p.name for p in folder.iterdir())
    assert names == [
        "missiondesk.log",
        "missiondesk.log.1",
        "missiondesk.log.2",
        "missiondesk.log.3",
    ]
    for path in folder.iterdir():
        assert 0 < path.stat().st_size <= 1_000
    newest = (folder / "missiondesk.log").read_text("utf-8").splitlines()
    assert newest[-1].startswith("INFO event 199")
    before = (folder / "missiondesk.log.1").read_text("utf-8").splitlines()
    assert int(before[-1].split()[2]) == int(newest[0].split()[2]) - 1  # nothing lost between


def test_a_record_bigger_than_the_cap_is_still_written(log):
    logger, folder = log
    logger.info("short")
    logger.info("y" * 5_000)
    assert (folder / "missiondesk.log").read_text("utf-8").startswith("INFO yyy")
    assert (folder / "missiondesk.log.1").read_text("utf-8") == "INFO short\n"


def test_exception_messages_stay_out_of_the_log(log):
    logger, folder = log
    typed = "".join(["hunter", "2"])  # not in any source line the traceback quotes
    try:
        raise ValueError(f"the passphrase was {typed}")
    except ValueError:
        logger.exception("unlock failed", exc_info=sys.exc_info())
    text = (folder / "missiondesk.log").read_text("utf-8")
    assert "hunter2" not in text
    assert "ValueError: <redacted>" in text
