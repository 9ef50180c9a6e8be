"""Settings (Ctrl+,): auto-lock idle time, theme, notifications. Saved at once on OK."""

from __future__ import annotations

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from missiondesk.services.settings import Settings, SettingsStore, Theme
from missiondesk.ui.feedback import InlineError
from missiondesk.ui.theme import THEME_LABELS, muted_label


class SettingsDialog(QDialog):
    saved = Signal(object)  # the new Settings

    def __init__(
        self, settings: Settings, store: SettingsStore, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._settings = settings
        self._store = store
        self.setWindowTitle("MissionDesk settings")
        self.setMinimumWidth(460)
        self.auto_lock = QSpinBox(self)
        self.auto_lock.setRange(1, 240)
        self.auto_lock.setSuffix(" min")
        self.auto_lock.setValue(settings.auto_lock_minutes)
        self.auto_lock.setAccessibleName("Lock after idle minutes")
        self.theme = QComboBox(self)
        for theme, label in THEME_LABELS.items():
            self.theme.addItem(label, theme)
        self.theme.setCurrentIndex(list(THEME_LABELS).index(settings.theme))
        self.notify_flash = QCheckBox("FLASH messages", self)
        self.notify_flash.setChecked(settings.notify_flash)
        self.notify_immediate = QCheckBox("IMMEDIATE messages", self)
        self.notify_immediate.setChecked(settings.notify_immediate)
        form = QFormLayout()
        form.addRow("&Lock after idle:", self.auto_lock)
        form.addRow("&Theme:", self.theme)
        form.addRow("Notify on:", self.notify_flash)
        form.addRow("", self.notify_immediate)
        note = muted_label(
            "Notifications name the sender and channel, never the text. Ctrl+L locks at once; "
            "Ctrl+Shift+L (panic lock) also clears the clipboard and closes every open window.",
            self,
        )
        self.error = InlineError(self)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self._on_ok)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def chosen(self) -> Settings:
        return self._settings.model_copy(
            update={
                "auto_lock_minutes": self.auto_lock.value(),
                "theme": Theme(self.theme.currentData()),
                "notify_flash": self.notify_flash.isChecked(),
                "notify_immediate": self.notify_immediate.isChecked(),
            }
        )

    @Slot()
    def _on_ok(self) -> None:
        settings = self.chosen()
        try:
            self._store.save(settings)
        except Exception as exc:  # noqa: BLE001 - shown to the officer; nothing else to undo
            message = getattr(exc, "message", "The settings could not be saved.")
            self.error.show_message(str(message))
            return
        self.saved.emit(settings)
        self.accept()
