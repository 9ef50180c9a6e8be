"""One cold start, in a fresh process, for bench/desk_start.py (not a benchmark on its own).

    python bench/_desk_start_child.py bare
    python bench/_desk_start_child.py floor VAULT_DIR PASSPHRASE
    python bench/_desk_start_child.py app VAULT_DIR PASSPHRASE [TYPE_AFTER_MS]

`bare`: a QApplication and a QMainWindow holding a QTableView of 100 rows (five text columns,
as the message table has), shown at 1280x800 and painted.

`floor`: the lightest start this stack allows, for information: a plain passphrase dialog; once
it has painted, "Unlock" unwraps the vault's key and opens SQLCipher with the app's own
crypto and store modules (`crypto.keywrap`, `store.connection`, `store.reads`: no pydantic, no
services), reads the channels and the newest page of the first, and shows them in a plain
window (a section list, a channel list and the 100-row table of `bare`) until it has painted.

`app`: the real entry point, `missiondesk.cli.main(["--vault", VAULT_DIR])` (parser, logging,
`run_app`, `ui.application.run`: QApplication, settings, theme, tray, AppFlow), with the
officer replaced by two hooks on AppFlow: once the unlock dialog has painted, the passphrase
is put in its field and Unlock is clicked; once the main window has painted with rows in its
message model (the newest page of the channel), the start is over ("painted"); the window's
second step (the compose box and the reading pane) is then waited for until painted
("complete", for information), and the window is closed, which ends the app as the officer
closing it would.

Every kind watches the paint of its top-level window: Qt paints a window and all its children
in one pass, so the first paint of the window is the first paint of its table. (Watching the
table's `viewport()` instead cost the watch itself ~24 ms: a widget Qt made, asked for from
Python the first time, makes PySide6 create the Python classes of every widget class it might
be, with their enums. Until 2026-12-02 both the bare window and the app paid that.)

Both print one JSON line on stdout: CLOCK_MONOTONIC seconds at each milestone. The parent
took the same clock just before starting the process, so the figures run from process start
(interpreter start-up included) to the first paint with content.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable
from typing import Any

MARKS: dict[str, float] = {"script": time.monotonic()}


def mark(name: str) -> None:
    MARKS.setdefault(name, time.monotonic())


def finish() -> None:
    mark("painted")
    print("MARKS " + json.dumps(MARKS), flush=True)


def report() -> None:
    """The marks so far, the first paint's among them (the app's: and the whole window's)."""
    print("MARKS " + json.dumps(MARKS), flush=True)


def plain_parts() -> tuple[Any, Any]:
    """The table model and the first-paint watch of the plain windows (`bare`, `floor`),
    defined once PySide6 has loaded."""
    from PySide6.QtCore import QAbstractTableModel, QEvent, QModelIndex, QObject, Qt, QTimer

    class Rows(QAbstractTableModel):
        def __init__(self, rows: list[tuple[str, ...]]) -> None:
            super().__init__()
            self.rows = rows

        def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
            return 0 if parent.isValid() else len(self.rows)

        def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
            return 0 if parent.isValid() else 5

        def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
            if role == Qt.ItemDataRole.DisplayRole:
                return self.rows[index.row()][index.column()]
            return None

    class FirstPaint(QObject):
        """Calls `then` once, right after the first paint of the widget it watches."""

        def __init__(self, then: Callable[[], None]) -> None:
            super().__init__()
            self.then: Callable[[], None] | None = then

        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint and self.then is not None:
                QTimer.singleShot(0, self.then)  # runs once this paint has been done
                self.then = None
            return False

    return Rows, FirstPaint


def bare() -> int:
    from PySide6.QtWidgets import QApplication, QMainWindow, QTableView

    rows_model, first_paint = plain_parts()
    mark("imports")

    def done() -> None:
        finish()
        app.quit()

    app = QApplication(sys.argv)
    mark("qapplication")
    model = rows_model(
        [
            ("ROUTINE", f"0112{i % 60:02d}Z DEC 26", "BRAVO-2", f"Patrol report {i}", "")
            for i in range(100)
        ]
    )
    window = QMainWindow()
    view = QTableView(window)
    view.setModel(model)
    window.setCentralWidget(view)
    window.resize(1280, 800)
    watch = first_paint(done)
    window.installEventFilter(watch)
    window.show()
    mark("shown")
    return app.exec()


def floor(vault_dir: str, passphrase: str) -> int:
    from PySide6.QtWidgets import (
        QApplication,
        QDialog,
        QLabel,
        QLineEdit,
        QListWidget,
        QMainWindow,
        QPushButton,
        QSplitter,
        QTableView,
        QVBoxLayout,
    )

    rows_model, first_paint = plain_parts()
    mark("imports")

    app = QApplication(sys.argv)
    dialog = QDialog()
    layout = QVBoxLayout(dialog)
    layout.addWidget(QLabel("Enter your passphrase to unlock the vault."))
    edit = QLineEdit()
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    layout.addWidget(edit)
    button = QPushButton("Unlock")
    layout.addWidget(button)
    keep: list[object] = []

    def done() -> None:
        finish()
        app.quit()

    def unlock() -> None:
        from pathlib import Path

        from missiondesk.crypto.keywrap import WrappedKey, unwrap_data_key
        from missiondesk.store.connection import CipherSettings, open_encrypted
        from missiondesk.store.reads import Reads

        folder = Path(vault_dir)
        key_file = json.loads((folder / "vault.key").read_text())
        data_key = unwrap_data_key(WrappedKey.from_dict(key_file), passphrase)
        cipher = CipherSettings.from_dict(key_file.get("database"))
        conn = open_encrypted(folder / "vault.db", data_key, create=False, cipher=cipher)
        reads = Reads(conn, search=True)
        channels = reads.of_type("channel")
        page = reads.messages(channels[0].id, limit=100)
        rows = [
            (str(r.doc.get("precedence", "")), str(r.created_hlc), r.author[:8],
             str(r.doc.get("text", "")), "")
            for r in page
        ]  # fmt: skip
        mark("unlocked")
        window = QMainWindow()
        split = QSplitter(window)
        sections = QListWidget(split)
        sections.addItems(["Messages", "Incidents", "Checklists", "Personnel", "Map", "Sync"])
        QListWidget(split).addItems([str(c.doc.get("name", "")) for c in channels])
        view = QTableView(split)
        model = rows_model(rows)
        view.setModel(model)
        window.setCentralWidget(split)
        window.statusBar().showMessage("Not syncing")
        window.resize(1280, 800)
        watch = first_paint(done)
        window.installEventFilter(watch)
        keep.extend([window, model, watch, conn])
        window.show()
        dialog.hide()
        mark("window shown")

    def type_passphrase() -> None:
        mark("dialog")
        edit.setText(passphrase)
        mark("unlock clicked")
        button.click()

    button.clicked.connect(unlock)
    dialog_watch = first_paint(type_passphrase)
    dialog.installEventFilter(dialog_watch)
    dialog.show()
    mark("dialog shown")
    return app.exec()


def app(vault_dir: str, passphrase: str, type_after_ms: int = 0) -> int:
    # The CLI first, then PySide6 (with the collector), as the entry point loads them: code
    # loaded after PySide6 would go through its import redirection until spare_feature_support.
    from missiondesk.cli import main
    from missiondesk.ui.collector import pause
    from missiondesk.ui.pyside_scan import spare_feature_support

    pause()  # as run_app does before it loads ui.application (imported here)
    spare_feature_support()
    from PySide6.QtCore import QEvent, QObject, QTimer

    from missiondesk.ui import application
    from missiondesk.ui.unlock import UnlockDialog

    mark("imports")
    show_dialog = application.AppFlow._show_dialog
    session_opened = application.AppFlow._on_session_opened
    keep: list[QObject] = []

    class DialogWatch(QObject):
        def __init__(self, dialog: UnlockDialog) -> None:
            super().__init__(dialog)
            self.dialog = dialog

        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint and "dialog" not in MARKS:
                mark("dialog")
                QTimer.singleShot(type_after_ms, self.type_passphrase)
            return False

        def type_passphrase(self) -> None:
            self.dialog.passphrase_edit.setText(passphrase)
            mark("unlock clicked")
            self.dialog.unlock_button.click()

    class TableWatch(QObject):
        """The first paint with messages ("painted", the judged mark); then the paint of the
        window's second step (the compose box and the reading pane, built right after the
        first paint; `first_screen_shown` follows its paint): "complete", for information."""

        def __init__(self, flow: application.AppFlow) -> None:
            super().__init__(flow)
            self.flow = flow

        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            window = self.flow.window
            if event.type() != QEvent.Type.Paint or window is None:
                return False
            if "painted" not in MARKS and window.messages_page.model.rowCount() > 0:
                QTimer.singleShot(0, self.painted)
            return False

        def painted(self) -> None:
            window = self.flow.window
            if "painted" in MARKS or window is None:
                return
            mark("painted")
            if window.messages_page.compose_built:  # built with the first paint
                self.done()
            else:
                window.first_screen_shown.connect(self.built)

        def built(self) -> None:  # first_screen_shown: the second step has painted
            self.done()

        def done(self) -> None:
            window = self.flow.window
            if "complete" in MARKS or window is None:
                return
            mark("complete")
            report()
            window.close()  # the app ends as when the officer closes it

    def hooked_show_dialog(self: application.AppFlow, dialog: object) -> None:
        show_dialog(self, dialog)  # type: ignore[arg-type]
        mark("dialog shown")
        if isinstance(dialog, UnlockDialog):
            watch = DialogWatch(dialog)
            dialog.installEventFilter(watch)

    def hooked_session_opened(self: application.AppFlow, session: object) -> None:
        mark("unlocked")
        session_opened(self, session)  # type: ignore[arg-type]
        mark("window shown")
        window = self.window
        if window is not None:
            watch = TableWatch(self)
            keep.append(watch)
            if window.messages_page.model.rowCount() > 0:  # read by the unlock, shown at once
                mark("first page")
            window.messages_page.model.loaded.connect(lambda: mark("first page"))
            window.installEventFilter(watch)

    application.AppFlow._show_dialog = hooked_show_dialog  # type: ignore[method-assign]
    application.AppFlow._on_session_opened = hooked_session_opened  # type: ignore[method-assign]
    code = main(["--vault", vault_dir])
    if "painted" not in MARKS:
        print("the main window never painted with messages", file=sys.stderr)
        return 3
    return code


if __name__ == "__main__":
    if sys.argv[1] == "bare":
        raise SystemExit(bare())
    if sys.argv[1] == "floor":
        raise SystemExit(floor(sys.argv[2], sys.argv[3]))
    raise SystemExit(app(sys.argv[2], sys.argv[3], *(int(x) for x in sys.argv[4:5])))
