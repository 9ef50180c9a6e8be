"""The Qt part of `missiondesk --self-test`: start Qt, build the real main window, render it.

Imported by the command when the self-test reaches Qt (only ui/ imports Qt widgets). The
platform is whatever `QT_QPA_PLATFORM` names (the command sets `offscreen` unless one is set);
a platform whose plugin is not installed is reported instead of letting Qt abort the process.
Every section is shown once, so the code behind each loads and reads the vault, and the window
is drawn into an image in memory. Errors the window's tasks log fail the check.
"""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path
from typing import Any

from missiondesk.services.self_test import SelfTestFailure
from missiondesk.services.session import Session

_app: Any = None  # the QApplication made here, kept for the life of the process
TASK_TIMEOUT_MS = 30_000


class _Errors(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def _plugin_dirs() -> list[Path]:
    from PySide6.QtCore import QLibraryInfo

    dirs = [Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath)) / "platforms"]
    extra = os.environ.get("QT_QPA_PLATFORM_PLUGIN_PATH")
    if extra:
        dirs += [Path(p) for p in extra.split(os.pathsep) if p]
    return dirs


def check_platform() -> str:
    """The platform Qt will use, checked to be installed (Qt aborts the process otherwise)."""
    wanted = os.environ.get("QT_QPA_PLATFORM", "") or "xcb"
    names = [item.split(":", 1)[0].strip() for item in wanted.split(";")]
    dirs = _plugin_dirs()
    for name in filter(None, names):
        if any(d.is_dir() and any(d.glob(f"*q{name}.*")) for d in dirs):
            if name in {"xcb", "wayland"} and not (
                os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
            ):
                raise SelfTestFailure(f"the Qt platform '{name}' needs a display and none is set")
            return name
    raise SelfTestFailure(
        f"no Qt platform plugin for '{wanted}' in {', '.join(str(d) for d in dirs)}"
    )


def start_qt() -> str:
    """A QApplication on the checked platform; returns the platform's name."""
    global _app  # noqa: PLW0603 - one QApplication per process
    name = check_platform()
    from PySide6.QtWidgets import QApplication

    if QApplication.instance() is None:
        _quiet_qt_warnings()
        _app = QApplication([sys.argv[0] if sys.argv else "missiondesk"])
    from PySide6.QtGui import QFontDatabase

    if not QFontDatabase.families():  # without fontconfig's fonts every glyph is a box
        raise SelfTestFailure("Qt found no fonts (on Debian: apt-get install fontconfig)")
    return QApplication.platformName() or name


def _quiet_qt_warnings() -> None:
    """The offscreen plugin warns about window hints it ignores; the one line stays clean.
    Critical and fatal messages still reach stderr."""
    from PySide6.QtCore import QtMsgType, qInstallMessageHandler

    def handler(kind: QtMsgType, _context: object, message: str) -> None:
        if kind in (QtMsgType.QtCriticalMsg, QtMsgType.QtFatalMsg):
            print(f"Qt: {message}", file=sys.stderr)

    qInstallMessageHandler(handler)


def render_main_window(session: Session) -> tuple[int, int]:
    """Build MainWindow over `session`, visit every section, grab it; close it and the vault.

    Returns the size of the image drawn. The session is closed when this returns."""
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtWidgets import QApplication

    from missiondesk.ui.main_window import SECTIONS, MainWindow
    from missiondesk.ui.tasks import TaskRunner
    from missiondesk.ui.window_options import WindowOptions

    errors = _Errors()
    logger = logging.getLogger("missiondesk")
    logger.addHandler(errors)
    raised: list[BaseException] = []  # exceptions in slots reach sys.excepthook, not the caller
    previous_hook = sys.excepthook
    sys.excepthook = lambda _kind, error, _tb: raised.append(error)
    tasks = TaskRunner()
    window: MainWindow | None = None
    try:
        try:
            window = MainWindow(session, tasks, WindowOptions())
        except BaseException:
            session.close()
            raise
        window.resize(1280, 800)
        window.show()
        for title in SECTIONS:
            window.show_section(title)
            _settle(tasks)
        image = window.grab().toImage()
        if image.isNull() or image.width() < 100 or image.height() < 100:
            raise SelfTestFailure(f"the main window drew an empty image ({image.width()}x"
                                  f"{image.height()})")  # fmt: skip
        if raised:
            error = raised[0]
            text = str(error).splitlines()[0] if str(error) else ""
            raise SelfTestFailure(f"the window raised {type(error).__name__}: {text}".rstrip(": "))
        if errors.records:
            first = errors.records[0]
            raise SelfTestFailure(
                f"the window logged an error: {first.getMessage().splitlines()[0]}"
            )
        return image.width(), image.height()
    finally:
        if window is not None:
            window.close()  # closes the vault on the vault thread
            window.deleteLater()
        _settle(tasks)
        tasks.shutdown()
        tasks.deleteLater()
        QCoreApplication.processEvents()
        app = QApplication.instance()
        if app is not None:
            app.processEvents()
        logger.removeHandler(errors)
        sys.excepthook = previous_hook


def _settle(tasks: Any) -> None:
    """Let queued reads run and their answers arrive."""
    from PySide6.QtCore import QCoreApplication

    for _ in range(3):
        QCoreApplication.processEvents()
        if not tasks.wait_for_done(TASK_TIMEOUT_MS):
            raise SelfTestFailure("the window's reads did not finish within 30 s")
        QCoreApplication.processEvents()
