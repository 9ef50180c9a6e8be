"""The desktop app's entry point and its flow: first run or unlock, the main window, lock.

`run(vault_dir)` is called by `missiondesk.app` with paths already resolved; nothing here looks
anything up globally. `AppFlow` owns the one window or dialog on screen at a time.
"""

from __future__ import annotations

import importlib
import logging
import os
import sys
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QObject, QSettings, Qt, Signal, Slot
from PySide6.QtGui import QClipboard, QGuiApplication
from PySide6.QtWidgets import QApplication

from missiondesk import __version__
from missiondesk.domain import json_codec
from missiondesk.domain.errors import AccessDenied
from missiondesk.services.settings_file import SettingsStore
from missiondesk.services.vault_paths import require_vault_free, vault_exists
from missiondesk.ui import collector
from missiondesk.ui.first_paint import AfterFirstPaint
from missiondesk.ui.icons import icon
from missiondesk.ui.shell.tray import Tray
from missiondesk.ui.tasks import Failure, TaskRunner, describe_failure
from missiondesk.ui.theme import apply_theme, style_arguments
from missiondesk.ui.unlock import UnlockDialog
from missiondesk.ui.window_options import WindowOptions

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMessageBox

    from missiondesk.crypto.keywrap import KdfParams
    from missiondesk.services.session import Session
    from missiondesk.services.settings import Settings
    from missiondesk.ui.first_run import FirstRunDialog  # a first run is rare: loaded for it
    from missiondesk.ui.main_window import MainWindow
    from missiondesk.ui.messages.page import FirstScreen
    from missiondesk.ui.shell.alerts import MessageAlerts
    from missiondesk.ui.shell.idle_lock import IdleWatcher
    from missiondesk.ui.shell.watch_ticker import WatchTicker

log = logging.getLogger(__name__)
# The code of an open session, loaded on the vault thread while the unlock dialog waits for the
# passphrase, so the window follows the passphrase without a pause (docs/architecture.md).
SESSION_CODE = (
    "missiondesk.services.vault_access",
    "missiondesk.services.session",
    "missiondesk.ui.main_window",
)
# What the screens need after the first one, loaded behind the dialog once SESSION_CODE is, if
# the officer has not asked to unlock by then: pydantic, the models and their validators.
VALIDATION_CODE = (
    "missiondesk.services.settings",
    "missiondesk.domain.records.messaging",
    "missiondesk.domain.records.people",
)
# The idle watcher's timeout until the settings have loaded (just after the first screen):
# the shortest the settings allow, so an early idle spell is never given longer.
AUTO_LOCK_UNTIL_SETTINGS_MS = 60_000
WINDOW_STATE = "window.ini"
TRAY_LATEST_MS = 1000  # the tray icon is shown by then even if the first window never paints
LOCKED_REASON = "MissionDesk is locked. Enter your passphrase to continue."


class AppFlow(QObject):
    """First run or unlock -> main window -> (Lock -> unlock -> main window)* -> ended.

    Lives for the whole run and owns what outlasts a session: the settings, the tray icon.
    Per session it starts the idle watcher (auto-lock) and the FLASH/IMMEDIATE alerts.
    """

    ended = Signal()  # the officer quit: a dialog was cancelled or the window was closed

    def __init__(
        self,
        vault_dir: Path,
        tasks: TaskRunner,
        *,
        kdf: KdfParams | None = None,
        settings_store: SettingsStore | None = None,
        auto_lock_ms: int | None = None,
        options: WindowOptions | None = None,
        tray: Tray | None = None,
        watch_ms: int | None = None,
        parent: QObject | None = None,
    ) -> None:
        """`watch_ms`: how often the watch ticks (None: every few seconds; 0: only at unlock)."""
        super().__init__(parent)
        self._vault_dir = vault_dir
        self._watch_ms = watch_ms
        self._tasks = tasks
        self._kdf = kdf
        self._store = settings_store
        self._settings: Settings | None = None  # read after the first screen (pydantic)
        self._auto_lock_ms = auto_lock_ms
        self._options = options or WindowOptions()
        self._options.settings_store = settings_store
        if settings_store is not None and self._options.early_theme is None:
            self._options.early_theme = settings_store.peek_theme()
        self.tray = tray or Tray(self, start=False)  # put in the tray after the first paint
        self.tray.show_requested.connect(self._on_show_requested)
        self.tray.lock_requested.connect(self._on_tray_lock)
        self.tray.quit_requested.connect(self._on_tray_quit)
        self.window: MainWindow | None = None
        self.dialog: FirstRunDialog | UnlockDialog | None = None
        self.idle: IdleWatcher | None = None
        self.alerts: MessageAlerts | None = None
        self.watch: WatchTicker | None = None
        # Window size and place (no mission data): kept beside settings.json when there is one.
        self._window_state = (
            QSettings(str(settings_store.path.with_name(WINDOW_STATE)), QSettings.Format.IniFormat)
            if settings_store is not None
            else None
        )
        self._geometry: QByteArray | None = self._saved_geometry()

    def _saved_geometry(self) -> QByteArray | None:
        if self._window_state is None:
            return None
        value = self._window_state.value("main_window/geometry")
        return value if isinstance(value, QByteArray) else None

    def _remember_geometry(self, window: MainWindow) -> None:
        self._geometry = window.saveGeometry()
        if self._window_state is not None:
            self._window_state.setValue("main_window/geometry", self._geometry)
            self._window_state.sync()

    @property
    def settings(self) -> Settings:
        """settings.json as the model reads it; the first read may correct the early theme."""
        if self._settings is None:
            self._adopt(read_settings(self._store))
        assert self._settings is not None
        return self._settings

    @settings.setter
    def settings(self, value: Settings) -> None:
        self._settings = value

    def _adopt(self, settings: Settings) -> None:
        """The settings read (`read_settings`) are in force from now on."""
        if self._settings is None:
            self._settings = settings
            if self._store is not None:
                if self._store.problem:
                    log.warning("settings: defaults used")
                early = self._options.early_theme
                if settings.theme is not early and self._options.apply_theme is not None:
                    self._options.apply_theme(settings.theme)
        self._options.settings = self._settings

    @property
    def auto_lock_ms(self) -> int:
        if self._auto_lock_ms is not None:
            return self._auto_lock_ms
        return self.settings.auto_lock_minutes * 60_000

    def _early_auto_lock_ms(self) -> int:
        """The idle watcher's timeout before the settings have loaded."""
        if self._auto_lock_ms is not None or self._settings is not None:
            return self.auto_lock_ms
        return AUTO_LOCK_UNTIL_SETTINGS_MS

    def start(self) -> None:
        if vault_exists(self._vault_dir):
            self._show_unlock()
            # Told before typing; Unlock tries again. At the start only: after a lock this
            # session's own vault may still be closing on the vault thread.
            try:
                require_vault_free(self._vault_dir)
            except AccessDenied as in_use:
                if isinstance(self.dialog, UnlockDialog):
                    self.dialog.error.show_message(
                        f"{in_use.message} Close it there, then unlock here."
                    )
        else:
            self._show_first_run()

    def _show_first_run(self) -> None:
        from missiondesk.ui.first_run import FirstRunDialog

        collector.resume()  # a first run is not timed: collect as usual
        dialog = FirstRunDialog(self._vault_dir, self._tasks, kdf=self._kdf)
        dialog.created.connect(self._on_session_opened)
        self._show_dialog(dialog)

    def _show_unlock(self, reason: str = "") -> None:
        dialog = UnlockDialog(self._vault_dir, self._tasks, reason=reason, prefetch=first_screen)
        dialog.unlocked.connect(self._on_session_opened)
        self._show_dialog(dialog)
        if not all(name in sys.modules for name in SESSION_CODE):
            self._tasks.run(  # then collects again
                "load the session's code", load_session_code, self._load_validation_code
            )
        else:
            collector.resume()

    def _load_validation_code(self, _loaded: object) -> None:
        """Behind the dialog, after the session's code, unless the officer has asked to unlock:
        the unlock and the first screen need none of it, and would wait behind it."""
        dialog = self.dialog
        waiting = isinstance(dialog, UnlockDialog) and not dialog.is_busy
        if waiting and not all(name in sys.modules for name in VALIDATION_CODE):
            self._tasks.run("load the validators", load_validation_code)

    def _show_dialog(self, dialog: FirstRunDialog | UnlockDialog) -> None:
        self.dialog = dialog
        dialog.setWindowIcon(icon("missiondesk"))
        dialog.rejected.connect(self._on_dialog_cancelled)
        if not self.tray.started:  # the desktop's tray (D-Bus) once the first window is up
            AfterFirstPaint(dialog, self.tray.start, latest_ms=TRAY_LATEST_MS)
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()

    @Slot(object)
    def _on_session_opened(self, session: Session) -> None:
        from missiondesk.ui.main_window import MainWindow  # loaded while the officer typed

        first = self.dialog.prefetched if isinstance(self.dialog, UnlockDialog) else None
        window = MainWindow(session, self._tasks, self._options, first_screen=first)
        if self._geometry is not None:
            window.restoreGeometry(self._geometry)
        window.locked.connect(self._on_locked)
        window.panic.connect(self._on_panic)
        window.closed.connect(self._on_window_closed)
        window.settings_changed.connect(self._on_settings_changed)
        self.window = window
        self.tray.start()  # already, unless the dialog went before it painted
        self.tray.set_locked(False)
        window.first_screen_shown.connect(self._start_session_helpers)
        window.first_screen_shown.connect(self._read_settings)
        window.show()  # before the dialog goes, so there is never a moment with no window
        window.raise_()
        window.activateWindow()
        self._drop_dialog()

    @Slot()
    def _start_session_helpers(self) -> None:
        """Once the first screen is up (nothing they do is on it): the idle watcher (auto-lock),
        the FLASH/IMMEDIATE alerts and the watch's ticker, which first looks at what fell due
        while the app was shut."""
        window = self.window
        session = window.session if window is not None else None
        if window is None or session is None or self.idle is not None:
            return
        from missiondesk.ui.shell.alerts import MessageAlerts
        from missiondesk.ui.shell.idle_lock import IdleWatcher
        from missiondesk.ui.shell.watch_ticker import WatchTicker

        self._tasks.run("load the JSON codec", json_codec.load_orjson)  # see run()
        app = QApplication.instance()
        if app is not None:
            self.idle = IdleWatcher(app, self._early_auto_lock_ms(), self)
            self.idle.idle.connect(self._on_idle)
        self.alerts = MessageAlerts(
            window.relay, session.messaging, self._tasks, self.tray, self._settings, window, self
        )
        self.watch = WatchTicker(
            session, window.relay, self._tasks, self.tray, window, tick_ms=self._watch_ms,
            parent=self, start=False,
        )  # fmt: skip
        self.watch.tick()  # what fell due while shut

    @Slot()
    def _read_settings(self) -> None:
        """Once the first screen is up: settings.json through the model, on the vault thread
        (the first unlock), then in force for the window, the idle watcher and the alerts."""
        if self._settings is not None:
            self._settings_read(self._settings)
        else:
            store = self._store
            self._tasks.run(
                "read the settings",
                lambda: read_settings(store),
                self._settings_read,
                self._settings_not_read,
            )

    @Slot(object)
    def _settings_not_read(self, failure: Failure) -> None:
        """`SettingsStore.load` gives the defaults for any file it cannot use; this is for the
        unexpected: the defaults apply, and the log says why."""
        log.warning("settings not read (%s): defaults used", type(failure.error).__name__)
        self._settings_read(read_settings(None))

    @Slot(object)
    def _settings_read(self, settings: Settings) -> None:
        self._adopt(settings)
        if self.idle is not None and self._auto_lock_ms is None:
            self.idle.set_timeout(self.auto_lock_ms)
        if self.alerts is not None:
            self.alerts.set_settings(self.settings)

    @Slot(object)
    def _on_settings_changed(self, settings: Settings) -> None:
        self.settings = settings
        if self.idle is not None and self._auto_lock_ms is None:
            self.idle.set_timeout(self.auto_lock_ms)
        if self.alerts is not None:
            self.alerts.set_settings(settings)

    @Slot()
    def _on_idle(self) -> None:
        if self.window is not None and not self.window.is_locked:
            log.info("locked after %d ms idle", self.auto_lock_ms)
            self.window.lock()

    def _stop_session_helpers(self) -> None:
        if self.idle is not None:
            self.idle.stop()
            self.idle.deleteLater()
            self.idle = None
        if self.alerts is not None:
            self.alerts.stop()
            self.alerts.deleteLater()
            self.alerts = None
        if self.watch is not None:
            self.watch.stop()
            self.watch.deleteLater()
            self.watch = None

    @Slot()
    def _on_panic(self) -> None:
        """Before the lock: nothing of the session may stay on screen or in the clipboard."""
        clipboard = QGuiApplication.clipboard()
        if clipboard is not None:
            clipboard.clear(QClipboard.Mode.Clipboard)
            clipboard.clear(QClipboard.Mode.Selection)
        for widget in QApplication.topLevelWidgets():
            if widget is not self.window and widget is not self.dialog and widget.isVisible():
                widget.close()

    @Slot()
    def _on_locked(self) -> None:
        self._stop_session_helpers()
        window, self.window = self.window, None
        if window is not None:
            self._remember_geometry(window)
            window.deleteLater()
        self.tray.set_locked(True)
        self._show_unlock(LOCKED_REASON)

    @Slot()
    def _on_window_closed(self) -> None:
        self._stop_session_helpers()
        if self.window is not None:
            self._remember_geometry(self.window)
        self.window = None
        self.ended.emit()

    @Slot()
    def _on_dialog_cancelled(self) -> None:
        self._drop_dialog()
        self.ended.emit()

    @Slot()
    def _on_show_requested(self) -> None:
        shown = self.window or self.dialog
        if shown is not None:
            shown.showNormal()
            shown.raise_()
            shown.activateWindow()

    @Slot()
    def _on_tray_lock(self) -> None:
        if self.window is not None:
            self.window.lock()

    @Slot()
    def _on_tray_quit(self) -> None:
        if self.window is not None:
            self.window.close()
        elif self.dialog is not None:
            self.dialog.reject()

    def _drop_dialog(self) -> None:
        dialog, self.dialog = self.dialog, None
        if dialog is not None:
            dialog.rejected.disconnect(self._on_dialog_cancelled)
            dialog.hide()
            dialog.deleteLater()

    def shutdown(self) -> None:
        """Close whatever is open; the vault is closed with the window."""
        self._drop_dialog()
        self._stop_session_helpers()
        window, self.window = self.window, None
        if window is not None:
            window.closed.disconnect(self._on_window_closed)
            window.close()
            window.deleteLater()
        self.tray.hide()


def first_screen(session: Session) -> FirstScreen:
    """Read at unlock, on the vault thread: what the main window shows first (Messages)."""
    from missiondesk.ui.messages.page import read_first_screen

    return read_first_screen(session.channels, session.messaging)


def read_settings(store: SettingsStore | None) -> Settings:
    """settings.json through the settings model (the defaults without a store): pydantic."""
    if store is None:
        from missiondesk.ui.window_options import default_settings

        return default_settings()
    return store.load()


def load_session_code() -> None:
    """On the vault thread, ahead of the unlock it runs next: what the unlock and the first
    screen run (no pydantic: the first screen reads cards, domain/cards.py). Modules define
    classes and do no work at import, so loading Qt widget classes off the GUI thread is safe."""
    try:
        for name in SESSION_CODE:
            importlib.import_module(name)
    finally:
        collector.resume()  # what is loaded now lives as long as the app


def load_validation_code() -> None:
    """On the vault thread, behind the dialog: pydantic, the models the screens write first
    and their validators (built at a model's first use), so the first Send, the settings read
    after the first screen and the status bar's first read do not pay for them."""
    for name in VALIDATION_CODE:
        importlib.import_module(name)
    from missiondesk.domain.kinds import RECORD_TYPES
    from missiondesk.services.settings import Settings

    for model in (Settings, RECORD_TYPES["message"], RECORD_TYPES["person"]):
        model.model_rebuild()


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
        from PySide6.QtWidgets import QMessageBox

        failure = describe_failure("event handler", error.with_traceback(tb))
        error.__traceback__ = None
        box = QMessageBox(QMessageBox.Icon.Critical, "MissionDesk", failure.message)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.finished.connect(lambda _code: self.shown.remove(box))
        self.shown.append(box)
        box.show()


def forget_file_dialog_folders() -> None:
    """Qt's file dialog writes the folders it visited (its history, the last one) to
    QtProject.conf in the user's config folder whenever one closes: a record of where the
    officer keeps attachments, exports and bundles, outside the vault. Qt keeps its own
    settings in QSettings' native format for the user; pointed at a path that cannot be a
    folder, they are never written (nor read: the dialog starts from its defaults). The app's
    own settings have paths of their own. (On Windows and macOS the native format is the
    registry and the preferences: not redirected there, see docs/installers.md.)"""
    QSettings.setPath(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, os.devnull)


def run(vault_dir: Path, settings_dir: Path, *, native_dialogs: bool = True) -> int:
    """Create the QApplication, show first run or unlock, then the main window. Returns the
    exit code of the event loop. `native_dialogs` False: Qt's own file dialogs (portable mode)."""
    QApplication.setAttribute(Qt.ApplicationAttribute.AA_DontUseNativeDialogs, not native_dialogs)
    # orjson (~10 ms with what it loads) once the first window has painted: until then the
    # few values the unlock encodes and the first page's documents need only the standard
    # library's json, byte for byte the same (domain/json_codec.py)
    json_codec.defer_orjson()
    forget_file_dialog_folders()
    QGuiApplication.setHighDpiScaleFactorRoundingPolicy(
        Qt.HighDpiScaleFactorRoundingPolicy.PassThrough
    )
    app = QApplication.instance()
    style_set = False  # an app made elsewhere (tests) gets Fusion from apply_theme
    if not isinstance(app, QApplication):
        app = QApplication(style_arguments(sys.argv))
        style_set = True
    app.setApplicationName("MissionDesk")
    app.setApplicationVersion(__version__)
    app.setOrganizationName("MissionDesk")
    app.setWindowIcon(icon("missiondesk"))
    app.setQuitOnLastWindowClosed(False)  # the flow decides: windows come and go on lock
    store = SettingsStore(settings_dir)
    early = store.peek_theme()  # the settings model is read after the first screen
    apply_theme(app, early, style_set=style_set)
    gui_collector = collector.GuiThreadCollector(app)  # no collection on other threads
    tasks = TaskRunner()
    options = WindowOptions(apply_theme=lambda theme: apply_theme(app, theme), early_theme=early)
    flow = AppFlow(vault_dir, tasks, settings_store=store, options=options)
    flow.ended.connect(app.quit)
    previous_hook, sys.excepthook = sys.excepthook, UncaughtErrorReporter()
    try:
        flow.start()
        code = app.exec()
        flow.shutdown()
        tasks.wait_for_done()
        tasks.shutdown()
        gui_collector.stop()
    finally:
        sys.excepthook = previous_hook
    return int(code)
