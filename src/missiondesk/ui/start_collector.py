"""Python's cyclic garbage collector during the desktop start.

The start makes hundreds of thousands of objects that live as long as the process (modules,
classes, functions, pydantic's validators, PySide6's types), and each of the collector's full
collections scans them all: ~30 ms each, on whichever thread trips it, which after Enter is
the GUI thread building the window. Almost nothing the start makes is cyclic garbage (reference
counting frees the rest). So collection pauses from the start of the app until the session's
code has loaded; then what is loaded is frozen (`gc.freeze()`: left out of every later
collection) and collection resumes, for the objects the running app makes.
"""

from __future__ import annotations

import gc


def pause() -> None:
    gc.disable()


def resume() -> None:
    """Freeze what is loaded and collect again. Does nothing if collection was not paused."""
    if not gc.isenabled():
        gc.freeze()
        gc.enable()
