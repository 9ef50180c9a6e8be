"""What the dialogs share: an inline error line, a busy indicator, a snug initial size."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QProgressBar, QWidget

from missiondesk.ui.theme import ERROR

SELECTABLE = Qt.TextInteractionFlag.TextSelectableByMouse


class InlineError(QLabel):
    """A red sentence under a form; hidden while empty. Screen readers get it as an alert.

    It becomes selectable (for copying into a report) with its first sentence: the first
    selectable label of the process costs ~11 ms of Qt's text machinery, which the unlock
    dialog should not pay before it is on screen."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setStyleSheet(f"color: {ERROR.name()}; font-weight: bold;")
        self.setAccessibleName("Error")
        self.hide()

    def show_message(self, message: str) -> None:
        if message and not self.textInteractionFlags() & SELECTABLE:
            self.setTextInteractionFlags(SELECTABLE)
        self.setText(message)
        self.setAccessibleDescription(message)
        self.setVisible(bool(message))
        refit_window(self)

    def clear_message(self) -> None:
        self.show_message("")


ANIMATE_AFTER_MS = 400  # work done sooner needs no moving bar: the sentence says it all


class BusyIndicator(QWidget):
    """An indeterminate progress bar with a short sentence saying what is happening.

    The sentence shows at once; the bar starts moving after ANIMATE_AFTER_MS. Short work (an
    unlock is ~0.4 s) then never pays for the animation, whose repaints compete with the work
    it waits for for Python's lock."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self._bar = QProgressBar(self)
        self._hold_still()  # until the work has taken ANIMATE_AFTER_MS
        self._animate = QTimer(self)
        self._animate.setSingleShot(True)
        self._animate.setInterval(ANIMATE_AFTER_MS)
        self._animate.timeout.connect(lambda: self._bar.setRange(0, 0))
        self._bar.setTextVisible(False)
        self._bar.setMaximumWidth(120)
        self._bar.setFixedHeight(12)
        self._label = QLabel(self)
        layout.addWidget(self._bar)
        layout.addWidget(self._label, 1)
        self.hide()

    @property
    def text(self) -> str:
        return self._label.text()

    @property
    def animating(self) -> bool:
        return self.isVisible() and self._bar.maximum() == 0

    def start(self, text: str) -> None:
        self._label.setText(text)
        self.setAccessibleName(text)
        if self.isHidden():
            self._animate.start()
        self.show()
        refit_window(self)

    def stop(self) -> None:
        self._animate.stop()
        self._hold_still()
        self.hide()
        refit_window(self)

    def _hold_still(self) -> None:
        self._bar.setRange(0, 1)  # a range with a maximum: an empty bar, not the moving one
        self._bar.setValue(0)


def fit_height_to_width(dialog: QDialog) -> None:
    """Size a dialog whose labels wrap: its height for its width, so no gap opens up and no
    field is squeezed when a line (an error, the busy indicator) appears or goes."""
    layout = dialog.layout()
    width = max(dialog.minimumWidth(), dialog.sizeHint().width())
    if dialog.isVisible():
        width = max(width, dialog.width())  # keep what the officer chose
    height = layout.totalHeightForWidth(width) if layout is not None else -1
    dialog.resize(width, height if height > 0 else dialog.sizeHint().height())


def refit_window(widget: QWidget) -> None:
    window = widget.window()
    if isinstance(window, QDialog) and window.isVisible():
        fit_height_to_width(window)
