"""Unlock: the passphrase opens the vault; Argon2id runs off the GUI thread, on a thread of its
own, so it overlaps the session's code still loading on the vault's thread."""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from missiondesk.ui.feedback import SELECTABLE, BusyIndicator, InlineError, fit_height_to_width
from missiondesk.ui.first_paint import AfterFirstPaint
from missiondesk.ui.tasks import Failure, TaskRunner
from missiondesk.ui.theme import MUTED_STYLE, muted_label, scaled_font

if TYPE_CHECKING:
    from missiondesk.services.passphrase_check import CheckedKey
    from missiondesk.services.session import Session

log = logging.getLogger(__name__)
Prefetch = Callable[["Session"], Any]  # what the first screen reads, run right after the unlock


def check_passphrase_now(root: Path, passphrase: str) -> Callable[[], CheckedKey]:
    """Start the passphrase's check (Argon2id) at once on a thread of its own; the returned
    callable waits for it and gives the key or raises what the check raised. Argon2id lets
    other threads run Python, so when Enter comes before the session's code has loaded (the
    vault's thread is still loading it) the two overlap instead of following each other. The
    check reads two files and no database, so it needs no place on the vault's thread."""

    def check() -> CheckedKey:
        from missiondesk.services.passphrase_check import check_passphrase

        return check_passphrase(root, passphrase)

    pool = ThreadPoolExecutor(1, thread_name_prefix="passphrase")
    future = pool.submit(check)
    pool.shutdown(wait=False)  # the thread ends with the check
    return future.result


def open_session(
    root: Path, passphrase: str, checked: Callable[[], CheckedKey] | None = None
) -> Session:
    """On the vault thread: the services load here, not before the dialog is on screen."""
    from missiondesk.services.vault_access import unlock_vault

    return unlock_vault(root, passphrase, checked=checked)


def open_and_prefetch(
    root: Path,
    passphrase: str,
    prefetch: Prefetch | None,
    checked: Callable[[], CheckedKey] | None = None,
) -> tuple[Session, Any]:
    """On the vault thread: unlock, then read what the first screen shows while the GUI
    thread is idle, so the window is built without waiting for (and competing with) a read.
    A failed read is logged and given as None: the screen then reads it itself."""
    session = open_session(root, passphrase, checked)
    if prefetch is None:
        return session, None
    try:
        return session, prefetch(session)
    except Exception as exc:  # noqa: BLE001 - the screen reads it again and reports a failure
        log.warning("first screen not read at unlock (%s)", type(exc).__name__)
        return session, None


class UnlockDialog(QDialog):
    """One passphrase field. Wrong passphrases are said plainly; the field is cleared."""

    unlocked = Signal(object)  # the open Session

    def __init__(
        self,
        vault_dir: Path,
        tasks: TaskRunner,
        *,
        reason: str = "",
        prefetch: Prefetch | None = None,
        parent: QWidget | None = None,
    ) -> None:
        """`prefetch(session)` runs on the vault thread after a successful unlock; its result is
        `prefetched` when `unlocked` is emitted."""
        super().__init__(parent)
        self._vault_dir = vault_dir
        self._tasks = tasks
        self._prefetch = prefetch
        self.prefetched: Any = None
        self._busy = False
        self.setWindowTitle("MissionDesk: unlock")
        self.setMinimumWidth(460)

        title = QLabel("Unlock MissionDesk", self)
        title.setFont(scaled_font(title, 1.4, bold=True))
        self.intro = muted_label(
            reason or "Enter your passphrase to open the encrypted vault on this computer.", self
        )
        folder = QLabel(f"Vault folder: {vault_dir}", self)
        folder.setWordWrap(True)
        folder.setTextFormat(Qt.TextFormat.PlainText)
        folder.setStyleSheet(MUTED_STYLE)
        folder.setAccessibleName("Vault folder")
        # selectable once on screen: the first selectable label costs ~11 ms (ui/feedback.py)
        AfterFirstPaint(self, lambda: folder.setTextInteractionFlags(SELECTABLE), latest_ms=1000)

        prompt = QLabel("&Passphrase:", self)
        self.passphrase_edit = QLineEdit(self)
        self.passphrase_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase_edit.setAccessibleName("Passphrase")
        prompt.setBuddy(self.passphrase_edit)

        self.error = InlineError(self)
        self.busy = BusyIndicator(self)
        self.buttons = QDialogButtonBox(self)
        self.unlock_button: QPushButton = self.buttons.addButton(
            "Unlock", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.quit_button: QPushButton = self.buttons.addButton(
            "Quit", QDialogButtonBox.ButtonRole.RejectRole
        )
        self.unlock_button.setDefault(True)
        self.buttons.accepted.connect(self._on_unlock_clicked)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.addWidget(title)
        layout.addWidget(self.intro)
        layout.addWidget(folder)
        layout.addSpacing(4)
        layout.addWidget(prompt)
        layout.addWidget(self.passphrase_edit)
        layout.addWidget(self.error)
        layout.addWidget(self.busy)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        QWidget.setTabOrder(self.passphrase_edit, self.unlock_button)
        QWidget.setTabOrder(self.unlock_button, self.quit_button)
        self.passphrase_edit.setFocus()
        fit_height_to_width(self)

    @property
    def is_busy(self) -> bool:
        return self._busy

    @Slot()
    def _on_unlock_clicked(self) -> None:
        if self._busy:
            return
        passphrase = self.passphrase_edit.text()
        if not passphrase:
            self.error.show_message("Enter your passphrase.")
            self.passphrase_edit.setFocus()
            return
        self.error.clear_message()
        self._set_busy(True)
        root, prefetch = self._vault_dir, self._prefetch
        checked = check_passphrase_now(root, passphrase)
        self._tasks.run(
            "unlock vault",
            lambda: open_and_prefetch(root, passphrase, prefetch, checked),
            self._on_unlock_succeeded,
            self._on_unlock_failed,
        )

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        for widget in (self.passphrase_edit, self.unlock_button, self.quit_button):
            widget.setEnabled(not busy)
        if busy:
            self.busy.start("Checking the passphrase and opening the vault…")
            self.setCursor(Qt.CursorShape.WaitCursor)
        else:
            self.busy.stop()
            self.unsetCursor()

    @Slot(object)
    def _on_unlock_succeeded(self, opened: tuple[Session, Any]) -> None:
        session, self.prefetched = opened
        self._set_busy(False)
        self.passphrase_edit.clear()
        self.unlocked.emit(session)
        self.accept()

    @Slot(object)
    def _on_unlock_failed(self, failure: Failure) -> None:
        self._set_busy(False)
        self.error.show_message(failure.message)
        from missiondesk.crypto.keywrap import WrongPassphrase  # loaded by the unlock

        if isinstance(failure.error, WrongPassphrase):
            self.passphrase_edit.clear()
        self.passphrase_edit.setFocus()
        self.passphrase_edit.selectAll()

    def reject(self) -> None:
        if not self._busy:  # an unlock in flight would leave an open vault behind
            super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._busy:
            event.ignore()
            return
        super().closeEvent(event)
