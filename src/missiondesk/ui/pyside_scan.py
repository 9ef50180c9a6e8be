"""Spare the start-up PySide6's source scan of every module imported after it.

PySide6 supports `from __feature__ import snake_case` per module. To know which modules take
part, it reads the source file of every module imported after PySide6 (`inspect.getsource`,
through `shibokensupport.feature._mod_uses_pyside`) and looks for the word "PySide6". From a
source checkout that is one file read and tokenise per module: ~70 ms for the ~230 modules of
an unlocked session on the reference laptop. (A PyInstaller bundle has no sources, so there the
scan already ends at once.)

MissionDesk uses no `__feature__`, so the answer never changes anything; `answer_from_globals`
gives PySide6 the same answer from what the module imported instead of from its text. If a
PySide6 release renames the hook, nothing is replaced and start-up is only slower.
"""

from __future__ import annotations

import sys
from types import ModuleType

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
