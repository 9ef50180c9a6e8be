"""The desktop app's entry point and its flow: first run or unlock, the main window, lock.

`run(vault_dir)` is called by `missiondesk.app` with paths already resolved; nothing here looks
anything up globally. `AppFlow` owns the one window or dialog on screen at a time.
"""

from __future__ import annotations

import sys
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QByteArray, QObject, Qt, Signal, Slot
from PySide6.QtWidgets import QApplication, QMessageBox

from missiondesk import __version__
from missiondesk.crypto.keywrap import KdfParams
from missiondesk.services.session import Session
from missiondesk.services.vault_access import vault_exists
from missiondesk.ui.first_run import FirstRunDialog
from missiondesk.ui.main_window import MainWindow
from missiondesk.ui.tasks import TaskRunner, describe_failure
from missiondesk.ui.unlock import UnlockDialog

LOCKED_REASON = "MissionDesk is locked. Enter your passphrase to continue."


class AppFlow(QObject):
    """First run or unlock -> main window -> (Lock -> unlock -> main window)* -> ended."""

    ended = Signal()  # the officer quit: a dialog was cancelled or the window was closed

    def __init__(
        self,
        vault_dir: Path,
        tasks: TaskRunner,
        *,
        kdf: KdfParams | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._vault_dir = vault_dir
        self._tasks = tasks
        self._kdf = kdf
        self.window: MainWindow | None = None
        self.dialog: FirstRunDialog | UnlockDialog | None = None
        self._geometry: QByteArray | None = None

    def start(self) -> None:
        if vault_exists(self._vault_dir):
            self._show_unlock()
        else:
            self._show_first_run()

    def _show_first_run(self) -> None:
        dialog = FirstRunDialog(self._vault_dir, self._tasks, kdf=self._kdf)
        dialog.created.connect(self._on_session_opened)
        self._show_dialog(dialog)

    def _show_unlock(self, reason: str = "") -> None:
        dialog = UnlockDialog(self._vault_dir, self._tasks, reason=reason)
        dialog.unlocked.connect(self._on_session_opened)
        self._show_dialog(dialog)

    def _show_dialog(self, dialog: FirstRunDialog | UnlockDialog) -> None:
        self.dialog = dialog
        dialog.rejected.connect(self._on_dialog_cancelled)
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()

    @Slot(object)
    def _on_session_opened(self, session: Session) -> None:
        window = MainWindow(session)
        if self._geometry is not None:
            window.restoreGeometry(self._geometry)
        window.locked.connect(self._on_locked)
        window.closed.connect(self._on_window_closed)
        self.window = window
        window.show()  # before the dialog goes, so there is never a moment with no window
        window.raise_()
        window.activateWindow()
        self._drop_dialog()

    @Slot()
    def _on_locked(self) -> None:
        window, self.window = self.window, None
        if window is not None:
            self._geometry = window.saveGeometry()
            window.deleteLater()
        self._show_unlock(LOCKED_REASON)

    @Slot()
    def _on_window_closed(self) -> None:
        self.window = None
        self.ended.emit()

    @Slot()
    def _on_dialog_cancelled(self) -> None:
        self._drop_dialog()
        self.ended.emit()

    def _drop_dialog(self) -> None:
        dialog, self.dialog = self.dialog, None
        if dialog is not None:
            dialog.rejected.disconnect(self._on_dialog_cancelled)
            dialog.hide()
            dialog.deleteLater()

    def shutdown(self) -> None:
        """Close whatever is open; the vault is closed with the window."""
        self._drop_dialog()
        window, self.window = self.window, None
        if window is not None:
            window.closed.disconnect(self._on_window_closed)
            window.close()
            window.deleteLater()


class UncaughtErrorReporter:
    """sys.excepthook while the app runs: a bug in a slot is shown and logged, never lost.

    PySide hands exceptions raised in slots to sys.excepthook, whose default prints the
    exception's message (which can quote mission data) to stderr. This logs the type and the
    frames only, and tells the officer in a plain sentence.
    """

    def __init__(self) -> None:
        self.shown: list[QMessageBox] = []

    def __call__(
        self, kind: type[BaseException], error: BaseException, tb: TracebackType | None
    ) -> None:
        if not isinstance(error, Exception):  # KeyboardInterrupt, SystemExit: not ours
            sys.__excepthook__(kind, error, tb)
            return
        failure = describe_failure("event handler", error.with_traceback(tb))
        error.__traceback__ = None
        box = QMessageBox(QMessageBox.Icon.Critical, "MissionDesk", failure.message)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.finished.connect(lambda _code: self.shown.remove(box))
        self.shown.append(box)
        box.show()


def run(vault_dir: Path) -> int:
    """Create the QApplication, show first run or unlock, then the main window. Returns the
    exit code of the event loop."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(sys.argv)
    app.setApplicationName("MissionDesk")
    app.setApplicationVersion(__version__)
    app.setOrganizationName("MissionDesk")
    app.setQuitOnLastWindowClosed(False)  # the flow decides: windows come and go on lock
    tasks = TaskRunner()
    flow = AppFlow(vault_dir, tasks)
    flow.ended.connect(app.quit)
    previous_hook, sys.excepthook = sys.excepthook, UncaughtErrorReporter()
    try:
        flow.start()
        code = app.exec()
        flow.shutdown()
        tasks.wait_for_done()
    finally:
        sys.excepthook = previous_hook
    return int(code)
