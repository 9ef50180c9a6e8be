"""Colours and type used across the app, in one place so screens stay consistent.

Two themes, light and dark (or the desktop's own choice), built on Qt's Fusion style so every
platform draws the same. Colours that carry meaning (precedence, errors) come in a light and a
dark variant; `is_dark()` reads the palette in force, so models pick the right one.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QLabel, QWidget

from missiondesk.domain.markings import Precedence, Sensitivity
from missiondesk.services.settings_file import Theme

STYLE = "Fusion"  # every platform draws the same
THEME_LABELS = {Theme.SYSTEM: "Same as the desktop", Theme.LIGHT: "Light", Theme.DARK: "Dark"}

ERROR = QColor("#b3261e")
SUCCESS = QColor("#2e7d32")
MUTED = QColor("#5f6368")
_MUTED_DARK = QColor("#a8adb3")

# ACP precedence as officers expect to see it: FLASH shouts, ROUTINE does not.
PRECEDENCE_COLOURS: dict[Precedence, QColor] = {
    Precedence.FLASH: QColor("#c62828"),
    Precedence.IMMEDIATE: QColor("#d35400"),
    Precedence.PRIORITY: QColor("#1565c0"),
}
_PRECEDENCE_DARK: dict[Precedence, QColor] = {
    Precedence.FLASH: QColor("#ff8a80"),
    Precedence.IMMEDIATE: QColor("#ffb74d"),
    Precedence.PRIORITY: QColor("#82b1ff"),
}
# Row backgrounds: a FLASH line is impossible to miss, an IMMEDIATE one is tinted.
_ROW_LIGHT = {Precedence.FLASH: QColor("#fbd9d6"), Precedence.IMMEDIATE: QColor("#fdebd9")}
_ROW_DARK = {Precedence.FLASH: QColor("#6b1f1c"), Precedence.IMMEDIATE: QColor("#5a3614")}
BADGE_TEXT = QColor("#ffffff")

SENSITIVITY_COLOURS: dict[Sensitivity, QColor] = {
    Sensitivity.UNCLASSIFIED: QColor("#4b5563"),
    Sensitivity.CONFIDENTIAL: QColor("#9a6700"),
    Sensitivity.STRICTLY_CONFIDENTIAL: QColor("#b3261e"),
}

STRENGTH_COLOURS: dict[str, QColor] = {
    "too short": ERROR,
    "not accepted": ERROR,
    "weak": ERROR,
    "fair": QColor("#b26a00"),
    "strong": SUCCESS,
    "very strong": SUCCESS,
}


# Muted text through the palette, so it follows a change of theme (see apply_theme).
MUTED_STYLE = "color: palette(placeholder-text);"


def is_dark() -> bool:
    """True when the palette in force has a dark window background."""
    return QGuiApplication.palette().color(QPalette.ColorRole.Window).lightness() < 128


def muted() -> QColor:
    return _MUTED_DARK if is_dark() else MUTED


def precedence_colour(precedence: Precedence) -> QColor | None:
    """The text colour of a precedence, or None for the palette's own (ROUTINE)."""
    return (_PRECEDENCE_DARK if is_dark() else PRECEDENCE_COLOURS).get(precedence)


def precedence_badge(precedence: Precedence) -> QColor:
    """The fill of a precedence badge (white text on it)."""
    return PRECEDENCE_COLOURS.get(precedence, QColor("#546e7a"))


def precedence_row(precedence: Precedence) -> QColor | None:
    """The background of a message line of this precedence, or None for the plain one."""
    return (_ROW_DARK if is_dark() else _ROW_LIGHT).get(precedence)


def precedence_bold(precedence: Precedence) -> bool:
    return precedence in (Precedence.FLASH, Precedence.IMMEDIATE)


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
    label.setStyleSheet(MUTED_STYLE)
    return label


def badge_style(fill: QColor) -> str:
    return (
        f"QLabel {{ background: {fill.name()}; color: {BADGE_TEXT.name()}; border-radius: 4px;"
        " padding: 1px 7px; font-weight: bold; }"
    )


def _dark_palette() -> QPalette:
    p = QPalette()
    window, base, text = QColor("#202428"), QColor("#16191c"), QColor("#e6e8ea")
    roles = {
        QPalette.ColorRole.Window: window,
        QPalette.ColorRole.WindowText: text,
        QPalette.ColorRole.Base: base,
        QPalette.ColorRole.AlternateBase: QColor("#1d2125"),
        QPalette.ColorRole.ToolTipBase: QColor("#2b3035"),
        QPalette.ColorRole.ToolTipText: text,
        QPalette.ColorRole.PlaceholderText: _MUTED_DARK,
        QPalette.ColorRole.Text: text,
        QPalette.ColorRole.Button: QColor("#2b3035"),
        QPalette.ColorRole.ButtonText: text,
        QPalette.ColorRole.BrightText: QColor("#ff8a80"),
        QPalette.ColorRole.Highlight: QColor("#3d6fb4"),
        QPalette.ColorRole.HighlightedText: QColor("#ffffff"),
        QPalette.ColorRole.Link: QColor("#82b1ff"),
        QPalette.ColorRole.Mid: QColor("#3a4046"),
        QPalette.ColorRole.Dark: QColor("#111315"),
        QPalette.ColorRole.Light: QColor("#3a4046"),
    }
    for role, colour in roles.items():
        p.setColor(role, colour)
    for role in (QPalette.ColorRole.Text, QPalette.ColorRole.ButtonText):
        p.setColor(QPalette.ColorGroup.Disabled, role, QColor("#6b7176"))
    return p


# Fusion's own light palette (QFusionStyle::standardPalette in Qt 6.11) as (active, inactive,
# disabled), written out: Fusion hands out its dark one on a desktop with a dark colour scheme,
# and asking Qt for it from Python makes PySide6 build QStyle's class (tests/ui/test_theme.py
# holds these to Qt's).
_FUSION_LIGHT: dict[QPalette.ColorRole, tuple[str, str, str]] = {
    QPalette.ColorRole.WindowText: ("#000000", "#000000", "#bebebe"),
    QPalette.ColorRole.Button: ("#efefef", "#efefef", "#efefef"),
    QPalette.ColorRole.Light: ("#ffffff", "#ffffff", "#ffffff"),
    QPalette.ColorRole.Midlight: ("#cacaca", "#cacaca", "#cacaca"),
    QPalette.ColorRole.Dark: ("#9f9f9f", "#9f9f9f", "#bebebe"),
    QPalette.ColorRole.Mid: ("#b8b8b8", "#b8b8b8", "#b8b8b8"),
    QPalette.ColorRole.Text: ("#000000", "#000000", "#bebebe"),
    QPalette.ColorRole.BrightText: ("#ffffff", "#ffffff", "#ffffff"),
    QPalette.ColorRole.ButtonText: ("#000000", "#000000", "#bebebe"),
    QPalette.ColorRole.Base: ("#ffffff", "#ffffff", "#efefef"),
    QPalette.ColorRole.Window: ("#efefef", "#efefef", "#efefef"),
    QPalette.ColorRole.Shadow: ("#767676", "#767676", "#b1b1b1"),
    QPalette.ColorRole.Highlight: ("#308cc6", "#308cc6", "#919191"),
    QPalette.ColorRole.HighlightedText: ("#ffffff", "#ffffff", "#ffffff"),
    QPalette.ColorRole.Link: ("#0000ff", "#0000ff", "#0000ff"),
    QPalette.ColorRole.LinkVisited: ("#ff00ff", "#ff00ff", "#ff00ff"),
    QPalette.ColorRole.AlternateBase: ("#f7f7f7", "#f7f7f7", "#f7f7f7"),
    QPalette.ColorRole.ToolTipBase: ("#ffffdc", "#ffffdc", "#ffffdc"),
    QPalette.ColorRole.ToolTipText: ("#000000", "#000000", "#000000"),
    QPalette.ColorRole.PlaceholderText: ("#80000000", "#80000000", "#80000000"),
    QPalette.ColorRole.Accent: ("#308cc6", "#308cc6", "#919191"),
}
_GROUPS = (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive, QPalette.ColorGroup.Disabled)


def fusion_light_palette() -> QPalette:
    p = QPalette()
    for role, colours in _FUSION_LIGHT.items():
        for group, colour in zip(_GROUPS, colours, strict=True):
            p.setColor(group, role, QColor(colour))
    return p


def light_palette() -> QPalette:
    p = fusion_light_palette()
    p.setColor(QPalette.ColorRole.PlaceholderText, MUTED)
    p.setColor(QPalette.ColorRole.Highlight, QColor("#2f6db5"))
    p.setColor(QPalette.ColorRole.HighlightedText, QColor("#ffffff"))
    return p


def style_arguments(argv: list[str]) -> list[str]:
    """QApplication's arguments with Fusion as its style, set by Qt as it starts: the first
    `apply_theme` then need not set it (`style_set`). Setting it from Python costs ~13 ms at
    start-up: PySide6 builds QStyle's class and its 11 enums for the style handed back."""
    return [*argv, "-style", STYLE]


def apply_theme(app: QApplication, theme: Theme, *, style_set: bool = False) -> None:
    """Set Fusion (unless the app was started with it: `style_arguments`) and the palette for
    `theme` (SYSTEM follows the desktop's colour scheme)."""
    if not style_set:
        app.setStyle(STYLE)
    dark = theme is Theme.DARK
    if theme is Theme.SYSTEM:
        dark = app.styleHints().colorScheme() == Qt.ColorScheme.Dark
    app.setPalette(_dark_palette() if dark else light_palette())
    repolish_style_sheets(app)


def repolish_style_sheets(app: QApplication) -> None:
    """Widgets with a style sheet of their own read `palette(...)` in it when they are
    polished: after a change of palette they are polished again (setting the sheet again does
    it). There is no application style sheet: with one, Qt draws every widget of the app
    through its style-sheet style, which cost ~25 ms of the main window's build (and more at
    every paint). At start-up there are no widgets yet."""
    for widget in app.allWidgets():
        sheet = widget.styleSheet()
        if sheet:
            widget.setStyleSheet(sheet)
