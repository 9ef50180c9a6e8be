"""Colours and type used across the app, in one place so screens stay consistent."""

from __future__ import annotations

from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import QLabel, QWidget

from missiondesk.domain.records.messaging import Precedence

ERROR = QColor("#b3261e")
SUCCESS = QColor("#2e7d32")
MUTED = QColor("#5f6368")

# ACP precedence as officers expect to see it: FLASH shouts, ROUTINE does not.
PRECEDENCE_COLOURS: dict[Precedence, QColor] = {
    Precedence.FLASH: QColor("#c62828"),
    Precedence.IMMEDIATE: QColor("#d35400"),
    Precedence.PRIORITY: QColor("#1565c0"),
}

STRENGTH_COLOURS: dict[str, QColor] = {
    "too short": ERROR,
    "weak": ERROR,
    "fair": QColor("#b26a00"),
    "strong": SUCCESS,
    "very strong": SUCCESS,
}


def precedence_colour(precedence: Precedence) -> QColor | None:
    """The text colour of a precedence, or None for the palette's own (ROUTINE)."""
    return PRECEDENCE_COLOURS.get(precedence)


def precedence_bold(precedence: Precedence) -> bool:
    return precedence is Precedence.FLASH


def scaled_font(widget: QWidget, factor: float, *, bold: bool = False) -> QFont:
    font = QFont(widget.font())
    size = font.pointSizeF()
    if size > 0:
        font.setPointSizeF(size * factor)
    font.setBold(bold)
    return font


def page_title(text: str, parent: QWidget | None = None) -> QLabel:
    label = QLabel(text, parent)
    label.setFont(scaled_font(label, 1.45, bold=True))
    label.setAccessibleName(text)
    return label


def muted_label(text: str, parent: QWidget | None = None) -> QLabel:
    label = QLabel(text, parent)
    label.setWordWrap(True)
    label.setStyleSheet(f"color: {MUTED.name()};")
    return label
