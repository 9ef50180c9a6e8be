"""PySide6 6.12.0 on Python 3.11 takes a reference from None on every void call and, after a few
thousand calls, aborts the interpreter (Fatal Python error: none_dealloc). This catches it."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject


def test_none_refcount_is_stable_across_void_qt_calls() -> None:
    o = QObject()
    o.setObjectName("x")
    before = sys.getrefcount(None)
    for _ in range(200):
        o.setObjectName("x")
    assert sys.getrefcount(None) - before > -50
