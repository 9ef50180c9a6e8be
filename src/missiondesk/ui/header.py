"""The strip at the top of the main window: who is signed in, and on which device."""

from __future__ import annotations

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from missiondesk.ui.theme import MUTED_STYLE, scaled_font

FINGERPRINT_HELP = (
    "This computer's device fingerprint. Read it aloud to the other officer when you pair "
    "devices: both screens must show the same groups."
)


def fixed_pitch(font: QFont) -> QFont:
    """`font`'s size in the desktop's fixed-pitch face ("monospace": DejaVu Sans Mono, Courier
    New). QFontDatabase.systemFont would do, but PySide6 builds QFontDatabase's 35-member
    WritingSystem enum for it (~1.5 ms) before the first paint."""
    mono = QFont(font)
    mono.setFamilies(["monospace"])
    mono.setStyleHint(QFont.StyleHint.TypeWriter)
    mono.setFixedPitch(True)
    return mono


class OfficerHeader(QWidget):
    def __init__(
        self, name: str, callsign: str, fingerprint: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.name_label = QLabel(name, self)
        self.name_label.setFont(scaled_font(self.name_label, 1.2, bold=True))
        self.callsign_label = QLabel(callsign or "no callsign", self)
        self.callsign_label.setStyleSheet(
            "QLabel { background: #1f3b63; color: white; border-radius: 4px;"
            " padding: 2px 8px; font-weight: bold; }"
        )
        self.callsign_label.setAccessibleName("Callsign")
        mono = fixed_pitch(self.font())
        caption = QLabel("Device fingerprint", self)
        caption.setStyleSheet(MUTED_STYLE)
        self.fingerprint_label = QLabel(fingerprint, self)
        self.fingerprint_label.setFont(mono)
        self.fingerprint_label.setAccessibleName("Device fingerprint")
        for widget in (caption, self.fingerprint_label):
            widget.setToolTip(FINGERPRINT_HELP)

        who = QHBoxLayout()
        who.setSpacing(10)
        who.addWidget(self.name_label)
        who.addWidget(self.callsign_label)
        who.addStretch(1)
        device = QHBoxLayout()
        device.setSpacing(8)
        device.addWidget(caption)
        device.addWidget(self.fingerprint_label)
        device.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        layout.setSpacing(2)
        layout.addLayout(who)
        layout.addLayout(device)

    def clear(self) -> None:
        """Forget who was shown (on lock), before the widget itself is deleted."""
        for label in (self.name_label, self.callsign_label, self.fingerprint_label):
            label.clear()
