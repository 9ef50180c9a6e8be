"""PySide6's per-module source scan, answered from the module's globals instead."""

from __future__ import annotations

import subprocess
import sys
import types

from missiondesk.ui.pyside_scan import uses_pyside
from tests.fresh_python import run_fresh


def test_a_module_holding_pyside6_names_uses_it_and_others_do_not():
    from PySide6.QtCore import QObject

    with_qt = types.ModuleType("with_qt")
    with_qt.QObject = QObject  # type: ignore[attr-defined]
    import PySide6

    as_module = types.ModuleType("as_module")
    as_module.PySide6 = PySide6  # type: ignore[attr-defined]
    plain = types.ModuleType("plain")
    plain.path = "PySide6 in a string is not a use"  # type: ignore[attr-defined]
    assert uses_pyside(with_qt) and uses_pyside(as_module)
    assert not uses_pyside(plain) and not uses_pyside(types)


def test_the_hook_is_replaced_and_modules_still_import():
    probe = (
        "import sys\n"
        "from missiondesk.ui.pyside_scan import HOOK, HOOK_MODULE, answer_from_globals, "
        "uses_pyside\n"
        "assert answer_from_globals()\n"
        "assert getattr(sys.modules[HOOK_MODULE], HOOK) is uses_pyside\n"
        "import missiondesk.ui.application, missiondesk.ui.main_window\n"
        "from PySide6.QtWidgets import QApplication\n"
        "print('ok')\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"


def test_imports_go_past_the_feature_redirection_and_qt_still_loads():
    """After `use_python_import` no import statement runs PySide6's `feature_import`; Qt's
    classes still load (lazily, through what PySide6 put behind it) and work."""
    probe = (
        "import builtins, sys\n"
        "from missiondesk.ui.pyside_scan import use_python_import\n"
        "assert use_python_import()\n"
        "feature = sys.modules['shibokensupport.feature']\n"
        "calls = []\n"
        "real = feature.feature_import\n"
        "feature.feature_import = lambda *a, **k: calls.append(a[0]) or real(*a, **k)\n"
        "import missiondesk.ui.application, missiondesk.ui.main_window\n"
        "from PySide6.QtWidgets import QApplication, QLabel\n"
        "app = QApplication([])\n"
        "label = QLabel('Patrol back at base')\n"
        "print(builtins.__import__.__name__, len(calls), label.text())\n"
    )
    assert run_fresh(probe).strip() == "__lazy_import__ 0 Patrol back at base"
