"""Spare the start-up the work PySide6 does for `from __feature__ import ...` at every import.

PySide6 supports `from __feature__ import snake_case` per module. For that it puts its own
`builtins.__import__` (`__feature_import__`) in front of every import statement run after
PySide6 has loaded: a Python function (`shibokensupport.feature.feature_import`) that reads the
caller's frame, then, for each module, `_mod_uses_pyside`, which reads the module's source file
(`inspect.getsource`) and looks for the word "PySide6".

MissionDesk uses no `__feature__`, so none of it changes anything:
- `use_python_import` hands imports to what PySide6 put behind its redirection
  (`builtins.__orig_import__`: its lazy loading of Qt classes, then Python's own import). The
  redirection cost the start ~25 ms: the session's code runs thousands of import statements.
  After it, `from __feature__ import ...` selects nothing (MissionDesk has none).
- `answer_from_globals` (for a PySide6 without that redirection) gives the scan's answer from
  what the module imported instead of from its text: the scan cost ~70 ms from a source
  checkout (a PyInstaller bundle has no sources, so there it ends at once).
If a PySide6 release renames either, nothing is replaced and start-up is only slower.
"""

from __future__ import annotations

import sys
from types import ModuleType

REDIRECTION = "__feature_import__"
HOOK_MODULE = "shibokensupport.feature"
HOOK = "_mod_uses_pyside"


def uses_pyside(module: ModuleType) -> bool:
    """True when the module holds a PySide6 module, class or function among its globals."""
    for value in list(vars(module).values()):
        name = value.__name__ if isinstance(value, ModuleType) else getattr(value, "__module__", "")
        if isinstance(name, str) and name.startswith("PySide6"):
            return True
    return False


def answer_from_globals() -> bool:
    """Replace PySide6's per-module source scan; False when its hook was not found."""
    import PySide6.QtCore  # noqa: F401 - loads the feature support this replaces a part of

    feature = sys.modules.get(HOOK_MODULE)
    if feature is None or not callable(getattr(feature, HOOK, None)):
        return False
    setattr(feature, HOOK, uses_pyside)
    return True


def spare_feature_support() -> None:
    """Before the app's own Qt modules load: the redirection out, or else the scan answered."""
    if not use_python_import():
        answer_from_globals()


def use_python_import() -> bool:
    """Take out PySide6's `__feature__` redirection of every import; False when not found."""
    import builtins

    import PySide6.QtCore  # noqa: F401 - installs the redirection this takes out

    behind = getattr(builtins, "__orig_import__", None)
    if getattr(builtins.__import__, "__name__", "") != REDIRECTION or not callable(behind):
        return False
    builtins.__import__ = behind
    return True
