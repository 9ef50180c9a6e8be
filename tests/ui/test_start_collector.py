"""The cyclic collector is paused for the desktop start and resumes, with what was loaded
frozen, once the session's code has loaded (behind the unlock dialog)."""

from __future__ import annotations

import gc
import subprocess
import sys

from missiondesk.ui import start_collector

PROBE = """
import gc
from missiondesk.ui import start_collector
start_collector.pause()
paused = not gc.isenabled()
import missiondesk.ui.application as application
still_paused = not gc.isenabled()
application.load_session_code()
print(paused, still_paused, gc.isenabled(), gc.get_freeze_count())
"""


def test_collection_resumes_with_the_loaded_code_frozen_once_the_session_code_has_loaded():
    done = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=120, check=True
    )
    paused, still_paused, enabled, frozen = done.stdout.split()
    assert (paused, still_paused, enabled) == ("True", "True", "True")
    assert int(frozen) > 20_000  # the modules, classes and functions of the start (~70,000)


def test_resume_without_a_pause_changes_nothing():
    before = gc.get_freeze_count()
    start_collector.resume()
    assert gc.isenabled()
    assert gc.get_freeze_count() == before
