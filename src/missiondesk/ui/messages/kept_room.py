"""The sizes of the compose box and the reading pane, known before they are built: the
Messages page keeps that much room for them on the first screen, so nothing moves when they
come after its first paint (ui/messages/page.py). The boxes take their text's sizes from
here too; `tests/ui/test_kept_room.py` holds the two to each other at several font sizes."""

from __future__ import annotations

from PySide6.QtWidgets import QPushButton, QWidget

from missiondesk.domain.markings import Precedence, Sensitivity
from missiondesk.ui.icons import icon

TEXT_LINES = 3  # the compose box's text shows three lines; longer messages scroll
SPACING = 4  # between the compose box's text and its row of controls
MARKINGS_SPACING = 8  # between the labels and pickers of the compose box's markings row
PICKER_FRAME = 32  # a Fusion combo box's frame and arrow beside its text (at most, measured)
READING_MARGIN = 6  # above the reading pane
READING_SPACING = 6  # between the reading pane's rows
BADGE_ROOM = 8  # a badge's padding above and below its text (theme.badge_style, with room)


def text_height(widget: QWidget) -> int:
    """The compose box's text, fixed, and the reading pane's text at its smallest."""
    return widget.fontMetrics().lineSpacing() * TEXT_LINES + 14


def button_height(widget: QWidget, text: str, icon_name: str = "") -> int:
    """A push button's height in `widget`'s font (measured on one made for it)."""
    button = QPushButton(text)
    button.setFont(widget.font())
    if icon_name:
        button.setIcon(icon(icon_name))
    height = button.sizeHint().height()
    button.deleteLater()
    return height


def compose_height(widget: QWidget) -> int:
    """The whole compose box with its controls on one row (a wide window, no files attached):
    the text, then the row, whose tallest part is the Attach button with its icon."""
    return text_height(widget) + SPACING + button_height(widget, "&Attach…", "paperclip")


def compose_min_width(widget: QWidget) -> int:
    """At least the compose box's narrowest: its markings row (Precedence: [picker]
    Sensitivity: [picker]), which stays whole when the controls drop onto two rows."""
    metrics = widget.fontMetrics()
    widest = max(metrics.horizontalAdvance(p.value.upper()) for p in Precedence)
    widest_level = max(metrics.horizontalAdvance(s.label.title()) for s in Sensitivity)
    labels = metrics.horizontalAdvance("Precedence:") + metrics.horizontalAdvance("Sensitivity:")
    return labels + widest + widest_level + 2 * PICKER_FRAME + 3 * MARKINGS_SPACING


def reading_min_height(widget: QWidget) -> int:
    """At least the reading pane at its smallest, a message shown (no files): the badges' row,
    the text at its smallest, the row with Acknowledge. (Files add a row: the pane then takes
    more, as it did before it came in two steps.)"""
    badges = widget.fontMetrics().lineSpacing() + BADGE_ROOM
    button = button_height(widget, "Ac&knowledge")
    return READING_MARGIN + badges + text_height(widget) + button + 2 * READING_SPACING
